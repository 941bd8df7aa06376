import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * One request to file a candidate in Jira, run by a durable job. The request id makes a retried
 * request the same filing; at most one filing per candidate is pending at a time.
 */
@Entity('ticket_filing')
@Index('ticket_filing_request_idx', ['requestId'], { unique: true })
@Index('ticket_filing_pending_idx', ['candidateId'], { unique: true, where: `state = 'pending'` })
export class TicketFilingEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text', { name: 'request_id' })
  requestId!: string;

  @Column('uuid', { name: 'candidate_id' })
  candidateId!: string;

  /** pending → done (issue_key set) or failed (Jira refused; error kept verbatim). */
  @Column('text')
  state!: string;

  @Column('text', { name: 'issue_key', nullable: true })
  issueKey!: string | null;

  /** created or linked (an issue with the candidate's label already existed). */
  @Column('text', { nullable: true })
  outcome!: string | null;

  @Column('text', { name: 'requested_by' })
  requestedBy!: string;

  /** The exact Jira fields previewed and sent. */
  @Column('jsonb')
  fields!: Record<string, unknown>;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
