import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A candidate's link to a Jira issue; several candidates may share one issue. */
@Entity('candidate_ticket')
@Index('candidate_ticket_issue_idx', ['issueKey'])
export class CandidateTicketEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @PrimaryColumn('text', { name: 'issue_key' })
  issueKey!: string;

  /** created (filed here), linked (existing issue), merged (carried from a merged candidate), auto (rig rule). */
  @Column('text')
  origin!: string;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
