import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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
