import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One version of a host's hardware/software profile. A new version starts when the profile
 * changes, so a crash links to the profile its host had when it crashed.
 */
@Entity('host_profile')
@Index('host_profile_host_idx', ['hostId', 'validFrom'])
export class HostProfileEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'host_id' })
  hostId!: string;

  @Column('timestamptz', { name: 'valid_from' })
  validFrom!: Date;

  /** null for the current version. */
  @Column('timestamptz', { name: 'valid_to', nullable: true })
  validTo!: Date | null;

  /** Digest of `profile`: equal profiles are one version. */
  @Column('text')
  digest!: string;

  @Column('text', { name: 'hardware_fingerprint', nullable: true })
  hardwareFingerprint!: string | null;

  @Column('jsonb')
  profile!: Record<string, unknown>;

  /** Flattened `attribute=value` → objects, as filters and statistics read them. */
  @Column('jsonb')
  attributes!: Record<string, number>;
}
