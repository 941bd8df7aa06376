import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { UserSessionEntity } from '../../../../libs/storage/src/entities';

/** Browser sessions, found by the sha256 of the cookie's secret. */
@Injectable()
export class SessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(UserSessionEntity);
  }

  async insert(session: UserSessionEntity): Promise<void> {
    await this.repo.insert(session);
  }

  byId(id: string): Promise<UserSessionEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** Coarse (a minute), so a page with many requests does not write on each. */
  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE user_session SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2::timestamptz - interval '1 minute'`,
      [id, at],
    );
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Sessions past their absolute end (idle ones are refused on use, and go here once past it). */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.repo.delete({ expiresAt: LessThan(now) })).affected ?? 0;
  }
}
