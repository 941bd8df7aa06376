import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The newest record of each collector from a host: the material its current profile is built from. */
@Entity('host_collector_record')
export class HostCollectorRecordEntity {
  @PrimaryColumn('uuid', { name: 'host_id' })
  hostId!: string;

  @PrimaryColumn('text')
  collector!: string;

  @Column('int')
  version!: number;

  @Column('timestamptz', { name: 'collected_at' })
  collectedAt!: Date;

  @Column('uuid', { name: 'report_id' })
  reportId!: string;

  /** valid | invalid | untrusted | not-collected; only valid records feed the profile. */
  @Column('text')
  outcome!: string;

  @Column('text', { nullable: true })
  reason!: string | null;

  /** Validated data, or the raw data kept but not trusted. */
  @Column('jsonb', { nullable: true })
  data!: unknown;
}
