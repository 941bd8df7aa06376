import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A browser session; the cookie carries a secret whose sha256 is the id, so a database leak gives no sessions. */
@Entity('user_session')
@Index('user_session_user_idx', ['userId'])
export class UserSessionEntity {
  @PrimaryColumn('text')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** Synchronizer token every state-changing request of this session must echo. */
  @Column('text', { name: 'csrf_token' })
  csrfToken!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  /** Absolute end, whatever the activity. */
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
