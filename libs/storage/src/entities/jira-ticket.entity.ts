import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the hub last read of a linked Jira issue. */
@Entity('jira_ticket')
export class JiraTicketEntity {
  @PrimaryColumn('text', { name: 'issue_key' })
  issueKey!: string;

  /** Jira's numeric id never changes when an issue moves (its key does). */
  @Column('text', { name: 'issue_id', nullable: true })
  issueId!: string | null;

  @Column('text', { nullable: true })
  status!: string | null;

  @Column('boolean', { default: false })
  done!: boolean;

  @Column('text', { nullable: true })
  resolution!: string | null;

  @Column('text', { name: 'fix_versions', array: true, default: () => `'{}'` })
  fixVersions!: string[];

  @Column('text', { name: 'duplicate_of', nullable: true })
  duplicateOf!: string | null;

  @Column('timestamptz', { name: 'jira_updated', nullable: true })
  jiraUpdated!: Date | null;

  @Column('timestamptz', { name: 'synced_at', nullable: true })
  syncedAt!: Date | null;
}
