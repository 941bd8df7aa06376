import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiTokenEntity, UserAccountEntity } from '../../../../libs/storage/src/entities';

export type NewApiToken = Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'tokenPrefix' | 'scope' | 'expiresAt'>;

/** API tokens, found by the sha256 of their secret. */
@Injectable()
export class ApiTokenRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(ApiTokenEntity);
  }

  insert(m: EntityManager | undefined, token: NewApiToken): Promise<ApiTokenEntity> {
    return this.repo(m).save(this.repo(m).create({ ...token, revokedAt: null, lastUsedAt: null }));
  }

  /** The token with its owner, for resolving a request's credential. */
  async withOwner(tokenHash: string): Promise<{ token: ApiTokenEntity; owner: UserAccountEntity } | null> {
    const token = await this.repo().findOne({ where: { tokenHash } });
    if (!token) return null;
    const owner = await this.dataSource.getRepository(UserAccountEntity).findOne({ where: { id: token.userId } });
    return owner ? { token, owner } : null;
  }

  byId(id: string, m?: EntityManager): Promise<ApiTokenEntity | null> {
    return this.repo(m).findOne({ where: { id } });
  }

  /** All tokens, or one person's. */
  list(userId?: string): Promise<ApiTokenEntity[]> {
    return this.repo().find({ where: userId ? { userId } : {}, order: { createdAt: 'DESC' } });
  }

  async revoke(m: EntityManager, id: string, at: Date): Promise<void> {
    await this.repo(m).update({ id }, { revokedAt: at });
  }

  /** Kept coarse (a minute) so a busy script does not write on every request. */
  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_token SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }
}
