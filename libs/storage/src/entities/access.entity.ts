import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A person who may sign in: a local account (password) or one first seen through OpenID Connect. */
@Entity('user_account')
@Index('user_account_username_key', ['username'], { unique: true })
@Index('user_account_oidc_key', ['oidcIssuer', 'oidcSubject'], { unique: true, where: 'oidc_subject IS NOT NULL' })
export class UserAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  username!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  /** viewer, developer, qa or admin; each includes the ones before it. */
  @Column('text')
  role!: string;

  /** argon2id PHC string; null for accounts that sign in only through OpenID Connect. */
  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash!: string | null;

  @Column('text', { name: 'oidc_issuer', nullable: true })
  oidcIssuer!: string | null;

  @Column('text', { name: 'oidc_subject', nullable: true })
  oidcSubject!: string | null;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

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

/** An API token for scripts: stored as a sha256 of the secret, scoped to at most its owner's role. */
@Entity('api_token')
@Index('api_token_hash_key', ['tokenHash'], { unique: true })
@Index('api_token_user_idx', ['userId'])
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  /** The first characters of the secret, so a person can tell their tokens apart. */
  @Column('text', { name: 'token_prefix' })
  tokenPrefix!: string;

  @Column('text')
  scope!: string;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** An ingest-only key for a test rig; its labels are merged into every report it brings. */
@Entity('rig_key')
@Index('rig_key_hash_key', ['keyHash'], { unique: true })
export class RigKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text', { name: 'rig_name' })
  rigName!: string;

  @Column('jsonb', { default: () => `'{}'` })
  labels!: Record<string, string>;

  @Column('text', { name: 'key_hash' })
  keyHash!: string;

  @Column('text', { name: 'key_prefix' })
  keyPrefix!: string;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Append-only record of every change made by a person, token or key (a trigger refuses UPDATE and DELETE). */
@Entity('audit_event')
@Index('audit_event_target_idx', ['targetType', 'targetId'])
@Index('audit_event_actor_idx', ['actorKind', 'actorId'])
@Index('audit_event_at_idx', ['at'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column('text', { name: 'actor_kind' })
  actorKind!: string;

  @Column('text', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Column('text')
  action!: string;

  @Column('text', { name: 'target_type' })
  targetType!: string;

  @Column('text', { name: 'target_id', nullable: true })
  targetId!: string | null;

  @Column('jsonb', { nullable: true })
  before!: object | null;

  @Column('jsonb', { nullable: true })
  after!: object | null;
}
