import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A server known by its agent's anonymous host id; never by name or address. */
@Entity('host')
@Index('host_last_report_idx', ['lastReportAt'])
export class HostEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('timestamptz', { name: 'first_report_at' })
  firstReportAt!: Date;

  /** Creation time of the newest CEP report (capped at its arrival): liveness is measured on it. */
  @Column('timestamptz', { name: 'last_report_at' })
  lastReportAt!: Date;

  @Column('int', { name: 'report_count', default: 0 })
  reportCount!: number;

  /** Country of the newest report's sender; the address itself is never stored. */
  @Column('text', { nullable: true })
  country!: string | null;

  @Column('text', { name: 'agent_version', nullable: true })
  agentVersion!: string | null;

  /** sha256 of the agent's erasure key: whoever holds the key may erase the host. */
  @Column('text', { name: 'erasure_key_hash', nullable: true })
  erasureKeyHash!: string | null;

  @Column('uuid', { name: 'current_profile_id', nullable: true })
  currentProfileId!: string | null;

  /** Signals that several machines report under this id (golden-image clones); kept apart, not merged. */
  @Column('jsonb', { name: 'clone_signals', default: () => `'[]'` })
  cloneSignals!: Array<{ reason: string; reportId: string; detectedAt: string }>;
}
