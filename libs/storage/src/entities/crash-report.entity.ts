import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NormalizedFrameRecord } from './normalized-frame-record';

/** Why a report sits in its candidate: the grouping decision, kept for QA. */
export interface GroupingExplanation {
  method: 'exact-signature' | 'near-duplicate' | 'new-candidate' | 'split-rule' | 'merge-rule';
  distance?: number;
  /** Report whose stack was nearest (near-duplicate). */
  nearestReportId?: string;
  /** Candidate the signature pointed at before a merge was followed. */
  via?: string;
  threshold?: number;
  normalizationVersion: number;
  /** new-candidate: the nearest candidate compared, its distance, and why it was not joined. */
  nearestCandidateId?: string;
  rejected?: string;
  /** Why the stack can only match narrowly (a stripped build, a stack of library frames only). */
  note?: string;
  /** Core frames resolved with debuginfo (DEBUGINFO_DIRS) before normalization, and inlined frames it added. */
  retraced?: { frames: number; inlinedFrames: number; buildIds: string[] };
  /** Set by the regrouping job when it moved the report or rewrote its signature. */
  regrouped?: { at: string; from: string; reason: 'better-exemplar' | 'reprocess'; job?: string };
}

/** What grouping needs to redo its decision later: the crash thread as parsed, and the key of a frameless crash. */
export interface GroupingInput {
  frames: Array<Record<string, unknown>>;
  fallbackKey: string;
}

/** A processed crash report: what was parsed out of its raw upload. */
@Entity('crash_report')
// (candidate_id, crashed_at DESC, id): the console's report list order, read from the index in order.
// Hand-written in the CandidateCounts migration: TypeORM cannot declare a descending column.
@Index('crash_report_candidate_idx', { synchronize: false })
@Index('crash_report_exact_hash_idx', ['exactHash'])
@Index('crash_report_duphash_idx', ['duphash'])
@Index('crash_report_bthash_idx', ['bthash'])
@Index('crash_report_host_idx', ['hostKey'])
@Index('crash_report_host_time_idx', ['hostId', 'crashedAt'])
export class CrashReportEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @Column('text')
  family!: string;

  @Column('text', { name: 'problem_type' })
  problemType!: string;

  @Column('text')
  component!: string;

  @Column('text', { nullable: true })
  executable!: string | null;

  @Column('text', { nullable: true })
  reason!: string | null;

  @Column('timestamptz', { name: 'crashed_at' })
  crashedAt!: Date;

  /** Agent host id, or a hash of the client's machine id; never a hostname. */
  @Column('text', { name: 'host_key', nullable: true })
  hostKey!: string | null;

  /** Agent host id when the crash came from the hub's agent: the key to its CEP profile. */
  @Column('uuid', { name: 'host_id', nullable: true })
  hostId!: string | null;

  /** Host profile version valid when it crashed (the earliest one for crashes before any CEP report). */
  @Column('uuid', { name: 'host_profile_id', nullable: true })
  hostProfileId!: string | null;

  @Column('text', { nullable: true })
  country!: string | null;

  /**
   * `attribute=value` facts of the crashing host: its profile at crash time overlaid with what the
   * crash itself says (cpuinfo, DMI, kernel). Searched through its integer-coded copy in crash_hardware.
   */
  @Column('text', { name: 'hardware_attrs', array: true, default: () => `'{}'` })
  hardwareAttrs!: string[];

  @Column('text', { name: 'package_name', nullable: true })
  packageName!: string | null;

  @Column('text', { name: 'package_version', nullable: true })
  packageVersion!: string | null;

  @Column('text', { name: 'os_release', nullable: true })
  osRelease!: string | null;

  @Column('text', { nullable: true })
  kernel!: string | null;

  @Column('text', { nullable: true })
  architecture!: string | null;

  @Column('text', { name: 'exact_hash' })
  exactHash!: string;

  @Column('text', { name: 'signature_text' })
  signatureText!: string;

  @Column('jsonb', { name: 'normalized_frames' })
  normalizedFrames!: NormalizedFrameRecord[];

  @Column('text', { nullable: true })
  duphash!: string | null;

  @Column('text', { nullable: true })
  bthash!: string | null;

  @Column('jsonb', { default: () => `'{}'` })
  labels!: Record<string, string>;

  @Column('int', { default: 1 })
  occurrences!: number;

  @Column('jsonb')
  grouping!: GroupingExplanation;

  /** Raw crash thread kept for regrouping (symbols learnt later, normalization data changes); null before v2. */
  @Column('jsonb', { name: 'grouping_input', nullable: true })
  groupingInput!: GroupingInput | null;

  /** Hardware facts found in the crash itself (cpuinfo, DMI, oops "Hardware name"). */
  @Column('jsonb', { default: () => `'{}'` })
  hardware!: Record<string, unknown>;
}
