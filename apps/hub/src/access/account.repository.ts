import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { UserAccountEntity, UserSessionEntity } from '../../../../libs/storage/src/entities';

export type NewAccount = Pick<UserAccountEntity, 'username' | 'displayName' | 'role' | 'passwordHash' | 'oidcIssuer' | 'oidcSubject'>;

/** People's accounts. */
@Injectable()
export class AccountRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.dataSource.manager).getRepository(UserAccountEntity);
  }

  async insert(m: EntityManager | undefined, account: NewAccount): Promise<UserAccountEntity> {
    const saved = await this.repo(m).save(this.repo(m).create({ ...account, disabledAt: null }));
    return saved;
  }

  byId(id: string, m?: EntityManager): Promise<UserAccountEntity | null> {
    return this.repo(m).findOne({ where: { id } });
  }

  byUsername(username: string, m?: EntityManager): Promise<UserAccountEntity | null> {
    return this.repo(m).findOne({ where: { username } });
  }

  byOidcSubject(issuer: string, subject: string, m?: EntityManager): Promise<UserAccountEntity | null> {
    return this.repo(m).findOne({ where: { oidcIssuer: issuer, oidcSubject: subject } });
  }

  list(): Promise<UserAccountEntity[]> {
    return this.repo().find({ order: { createdAt: 'ASC' } });
  }

  async activeAdminExists(m?: EntityManager): Promise<boolean> {
    return (await this.repo(m).count({ where: { role: 'admin', disabledAt: IsNull() } })) > 0;
  }

  async update(m: EntityManager | undefined, id: string, changes: Partial<Pick<UserAccountEntity, 'role' | 'passwordHash' | 'disabledAt' | 'displayName'>>): Promise<void> {
    await this.repo(m).update({ id }, changes);
  }

  /** A disabled account, a new password or a changed role ends the account's sessions. */
  async endSessions(m: EntityManager, userId: string): Promise<void> {
    await m.getRepository(UserSessionEntity).delete({ userId });
  }
}
