import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type RawReportKind = 'ureport' | 'problem-dir' | 'cep';
/** `waiting`: stored but not processed, a problem directory with a core and no stack text (see waitingReason). */
export type RawReportStatus = 'queued' | 'processed' | 'rejected' | 'waiting';

/** Every accepted upload, byte for byte (compressed), written before the hub answers 202. */
@Entity('raw_report')
@Index('raw_report_queued_idx', ['receivedAt'], { where: `status = 'queued'` })
@Index('raw_report_host_idx', ['hostId'])
@Index('raw_report_crash_key_idx', ['crashKey'], { where: 'crash_key IS NOT NULL' })
@Index('raw_report_unclaimed_bthash_idx', ['bthash'], { where: 'crash_key IS NULL AND bthash IS NOT NULL' })
export class RawReportEntity {
  /** Client idempotency key (agent report id) or a hub-made UUID. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: RawReportKind;

  /** Which door it came through: faf, upload, agent. */
  @Column('text')
  source!: string;

  @Column('text', { default: 'queued' })
  status!: RawReportStatus;

  @Column('text', { name: 'reject_reason', nullable: true })
  rejectReason!: string | null;

  /** Why a `waiting` report is not processed yet. */
  @Column('text', { name: 'waiting_reason', nullable: true })
  waitingReason!: string | null;

  /** Problem-directory entries left out while streaming in: "skipped: <name>, <size>". */
  @Column('text', { name: 'skipped_entries', array: true, default: () => `'{}'` })
  skippedEntries!: string[];

  /** gzip for JSON bodies; archives are kept in the compression they arrived in. */
  @Column('text')
  encoding!: string;

  @Column('bytea')
  payload!: Buffer;

  @Column('int', { name: 'payload_bytes' })
  payloadBytes!: number;

  @Column('text', { name: 'content_sha256' })
  contentSha256!: string;

  @Column('uuid', { name: 'host_id', nullable: true })
  hostId!: string | null;

  @Column('jsonb', { default: () => `'{}'` })
  labels!: Record<string, string>;

  @Column('int', { default: 1 })
  occurrences!: number;

  /** Country of the sender's address, looked up at intake; the address is never stored. */
  @Column('text', { nullable: true })
  country!: string | null;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt!: Date | null;

  /** The crash this report is an occurrence of, whichever client sent it (libs/crash-reports crash-identity). */
  @Column('text', { name: 'crash_key', nullable: true })
  crashKey!: string | null;

  /** A stock uReport's bthash, so the problem dir uploaded after it can claim it as the same crash. */
  @Column('text', { nullable: true })
  bthash!: string | null;

  @Column('int', { name: 'processing_attempts', default: 0 })
  processingAttempts!: number;
}
