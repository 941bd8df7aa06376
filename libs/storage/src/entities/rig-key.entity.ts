import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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
