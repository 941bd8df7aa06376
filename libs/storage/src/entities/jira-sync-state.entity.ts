import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Watermark of the Jira poll: issues updated since the last poll are read again. */
@Entity('jira_sync_state')
export class JiraSyncStateEntity {
  @PrimaryColumn('text')
  id!: string;

  @Column('timestamptz', { name: 'last_poll' })
  lastPoll!: Date;
}
