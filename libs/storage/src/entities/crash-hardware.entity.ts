import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CrashReportEntity } from './crash-report.entity';

/** One `attribute=value` string, coded as a small integer so crash_hardware rows stay narrow. */
@Entity('hardware_attribute')
export class HardwareAttributeEntity {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @Column('text', { unique: true })
  key!: string;
}

/**
 * A narrow copy of what hardware filters and statistics read from crash_report (~2 KB a row), so
 * they scan ~100 bytes a report instead. crash_report stays the source of truth; every writer
 * refreshes this row in the same transaction (see crash-hardware-sql.ts).
 */
@Entity('crash_hardware')
// With the host: one host's crashes in a candidate are found without reading the whole candidate.
@Index('crash_hardware_candidate_host_idx', ['candidateId', 'hostKey'])
export class CrashHardwareEntity {
  @PrimaryColumn('uuid', { name: 'report_id' })
  reportId!: string;

  /** Erasing a crash report erases its copy. */
  @ManyToOne(() => CrashReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: CrashReportEntity;

  @Column('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @Column('text', { name: 'host_key', nullable: true })
  hostKey!: string | null;

  @Column('timestamptz', { name: 'crashed_at' })
  crashedAt!: Date;

  /** hardware_attribute ids of crash_report.hardware_attrs. GIN-indexed (hand-written in the migration). */
  @Index('crash_hardware_attr_ids_idx', { synchronize: false })
  @Column('int', { name: 'attr_ids', array: true, default: () => `'{}'` })
  attrIds!: number[];
}
