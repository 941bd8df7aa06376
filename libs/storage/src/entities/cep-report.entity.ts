import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export interface CollectorOutcome {
  name: string;
  version: number;
  agentStatus: string;
  outcome: string;
  reason?: string;
}

/** A processed CEP report: what came in and how each collector fared. Outlives the raw archive. */
@Entity('cep_report')
@Index('cep_report_host_idx', ['hostId', 'createdAt'])
export class CepReportEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'host_id' })
  hostId!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt!: Date;

  @Column('timestamptz', { name: 'processed_at', default: () => 'now()' })
  processedAt!: Date;

  @Column('text', { name: 'agent_version' })
  agentVersion!: string;

  @Column('int', { nullable: true })
  sequence!: number | null;

  @Column('text', { nullable: true })
  country!: string | null;

  /** Profile version current after this report. */
  @Column('uuid', { name: 'profile_id', nullable: true })
  profileId!: string | null;

  @Column('jsonb')
  collectors!: CollectorOutcome[];
}
