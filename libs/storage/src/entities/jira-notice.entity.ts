import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Something the hub says to Jira exactly once (a regression's comment and reopen, a test run's
 * comment): the key is claimed before acting, so retries and parallel workers never repeat it.
 */
@Entity('jira_notice')
export class JiraNoticeEntity {
  /** `regression:<issue>:<fixVersion>` or `run:<issue>:<testRun>`. */
  @PrimaryColumn('text', { name: 'notice_key' })
  noticeKey!: string;

  @Column('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @Column('text', { name: 'issue_key' })
  issueKey!: string;

  @Column('jsonb', { default: () => `'{}'` })
  detail!: Record<string, unknown>;

  @Column('timestamptz', { name: 'done_at', nullable: true })
  doneAt!: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
