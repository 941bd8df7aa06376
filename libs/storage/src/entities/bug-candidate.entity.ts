import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CandidateExemplar, NormalizedFrameRecord } from './normalized-frame-record';

/** One suspected bug: the reports grouped together by signature or near-duplicate distance. */
@Entity('bug_candidate')
@Index('bug_candidate_family_component_idx', ['family', 'component'])
@Index('bug_candidate_last_seen_idx', ['lastSeen'])
export class BugCandidateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  family!: string;

  @Column('text')
  component!: string;

  /** Exact signature of the report that opened the candidate. */
  @Column('text', { name: 'exact_hash' })
  exactHash!: string;

  @Column('text', { name: 'signature_text' })
  signatureText!: string;

  @Column('jsonb', { name: 'representative_frames' })
  representativeFrames!: NormalizedFrameRecord[];

  /** A few distinct member stacks that near-duplicates are measured against. */
  @Column('jsonb')
  exemplars!: CandidateExemplar[];

  @Column('timestamptz', { name: 'first_seen' })
  firstSeen!: Date;

  @Column('timestamptz', { name: 'last_seen' })
  lastSeen!: Date;

  @Column('int', { name: 'report_count', default: 0 })
  reportCount!: number;

  /**
   * Sum of ABRT `count`s: a report may stand for several local occurrences (at most
   * maxOccurrencesPerReport each), so the sum is 64-bit; read back as a number.
   */
  @Column('bigint', { name: 'occurrence_count', default: 0, transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? v : Number(v)) } })
  occurrenceCount!: number;

  @Column('int', { name: 'host_count', default: 0 })
  hostCount!: number;

  /** Set when QA merged this candidate into another; later matches follow the pointer. */
  @Column('uuid', { name: 'merged_into_id', nullable: true })
  mergedIntoId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
