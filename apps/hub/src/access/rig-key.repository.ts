import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RigKeyEntity } from '../../../../libs/storage/src/entities';

export type NewRigKey = Pick<RigKeyEntity, 'rigName' | 'labels' | 'keyHash' | 'keyPrefix' | 'createdBy'>;

/** Test rigs' ingest keys, found by the sha256 of their secret. */
@Injectable()
export class RigKeyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(RigKeyEntity);
  }

  insert(m: EntityManager | undefined, key: NewRigKey): Promise<RigKeyEntity> {
    return this.repo(m).save(this.repo(m).create({ ...key, revokedAt: null, lastUsedAt: null }));
  }

  byHash(keyHash: string): Promise<RigKeyEntity | null> {
    return this.repo().findOne({ where: { keyHash } });
  }

  byId(id: string, m?: EntityManager): Promise<RigKeyEntity | null> {
    return this.repo(m).findOne({ where: { id } });
  }

  list(): Promise<RigKeyEntity[]> {
    return this.repo().find({ order: { createdAt: 'DESC' } });
  }

  async revoke(m: EntityManager, id: string, at: Date): Promise<void> {
    await this.repo(m).update({ id }, { revokedAt: at });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE rig_key SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }
}
