import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * crash_hardware folded per candidate, host and hardware attribute set: a host's crashes in a
 * candidate share a handful of sets (one per profile version), so hardware-filtered searches read
 * about a fifth of the rows crash_hardware has and still count reports and distinct hosts exactly.
 * Kept by statement triggers on crash_hardware (HardwareGroups migration) in the writer's transaction.
 */
@Entity('candidate_host_hardware')
export class CandidateHostHardwareEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  /** crash_hardware.host_key; '' for crashes without a host (which count as no host). */
  @PrimaryColumn('text', { name: 'host_key' })
  hostKey!: string;

  /** GIN-indexed (hand-written in the migration), searched with && like crash_hardware.attr_ids. */
  @Index('candidate_host_hardware_attr_ids_idx', { synchronize: false })
  @PrimaryColumn('int', { name: 'attr_ids', array: true })
  attrIds!: number[];

  @Column('int')
  reports!: number;

  @Column('timestamptz', { name: 'first_crash' })
  firstCrash!: Date;

  @Column('timestamptz', { name: 'last_crash' })
  lastCrash!: Date;
}
