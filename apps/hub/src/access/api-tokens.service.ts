import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CreateApiToken } from '../../../../libs/contracts/src';
import type { ApiTokenEntity } from '../../../../libs/storage/src/entities';
import { ROLES, Role } from './access-policy';
import { ApiTokenRepository } from './api-token.repository';
import { AuditTrail } from './audit-trail.service';
import { newSecret, secretHash, TOKEN_PREFIX } from './credentials';
import { hasRole, Principal } from './principal';

const DAY_MS = 86_400_000;

/** What a token looks like to its owner and admins: never its secret or hash. */
export function publicToken(t: ApiTokenEntity) {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    prefix: t.tokenPrefix,
    scope: t.scope,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    lastUsedAt: t.lastUsedAt,
  };
}

const lower = (a: Role, b: Role): Role => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b);

/** API tokens for scripts: random, shown once, stored hashed, scoped to at most the owner's role, expiring, revocable. */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: ApiTokenRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** Issues a token for `owner` (a person acting for themselves, or an admin's tool); the secret is returned only here. */
  async issue(actor: Principal, owner: { id: string; role: Role }, input: CreateApiToken): Promise<{ token: string } & ReturnType<typeof publicToken>> {
    if (ROLES.indexOf(input.scope) > ROLES.indexOf(owner.role)) {
      throw new ForbiddenException(`scope ${input.scope} is above the owner's role ${owner.role}`);
    }
    const secret = newSecret(TOKEN_PREFIX);
    const saved = await this.dataSource.transaction(async (m) => {
      const row = await this.tokens.insert(m, {
        userId: owner.id,
        name: input.name,
        tokenHash: secretHash(secret),
        tokenPrefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        scope: input.scope,
        expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
      });
      await this.audit.record(actor, 'api-token.create', { type: 'api-token', id: row.id }, null, publicToken(row), m);
      return row;
    });
    return { token: secret, ...publicToken(saved) };
  }

  /** The principal a token secret stands for, or null when it is unknown, expired, revoked or its owner disabled. */
  async resolve(secret: string, now = new Date()): Promise<Extract<Principal, { kind: 'token' }> | null> {
    const found = await this.tokens.withOwner(secretHash(secret));
    if (!found) return null;
    const { token, owner } = found;
    if (token.revokedAt || owner.disabledAt || (token.expiresAt && token.expiresAt <= now)) return null;
    await this.tokens.touch(token.id, now);
    // An owner demoted after issuing keeps tokens no stronger than their role now.
    const role = lower(token.scope as Role, owner.role as Role);
    return { kind: 'token', id: token.id, name: `${owner.username}/${token.name}`, role, userId: owner.id };
  }

  /** One person's tokens, or everyone's (undefined; the controller allows that to admins only). */
  async list(ownerId: string | undefined) {
    return (await this.tokens.list(ownerId)).map(publicToken);
  }

  /** The owner or an admin revokes a token; revoking twice is harmless. */
  async revoke(actor: Principal, actorUserId: string | null, id: string): Promise<ReturnType<typeof publicToken>> {
    return this.dataSource.transaction(async (m) => {
      const token = await this.tokens.byId(id, m);
      if (!token || (!hasRole(actor, 'admin') && token.userId !== actorUserId)) throw new NotFoundException(`no token ${id}`);
      if (!token.revokedAt) {
        const at = new Date();
        await this.tokens.revoke(m, id, at);
        await this.audit.record(actor, 'api-token.revoke', { type: 'api-token', id }, publicToken(token), { ...publicToken(token), revokedAt: at }, m);
        token.revokedAt = at;
      }
      return publicToken(token);
    });
  }
}
