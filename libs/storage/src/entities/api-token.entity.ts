import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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
