import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import type { Role } from './access-policy';
import { AccountRepository } from './account.repository';
import { AuditTrail } from './audit-trail.service';
import { secretHash } from './credentials';
import { Principal } from './principal';
import { SessionRepository } from './session.repository';

/**
 * Server-side browser sessions: the cookie holds a random secret, the table its sha256, the account,
 * a CSRF synchronizer token, and idle and absolute expiry.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly sessions: SessionRepository,
    private readonly accounts: AccountRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** Starts a session for a signed-in account; the returned secret goes into the cookie and nowhere else. */
  async start(account: { id: string; username: string; displayName: string; role: string }, via: string, now = new Date()): Promise<{ secret: string; csrfToken: string; expiresAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.access.session.maxMs);
    // Sessions nobody came back to are swept here, so the table holds only live ones and a few idle.
    await this.sessions.deleteExpired(now);
    await this.sessions.insert({ id: secretHash(secret), userId: account.id, csrfToken, createdAt: now, lastSeenAt: now, expiresAt });
    const principal: Principal = { kind: 'person', id: account.id, name: account.displayName, role: account.role as Role, sessionId: secretHash(secret), csrfToken };
    await this.audit.record(principal, 'session.sign-in', { type: 'user', id: account.id }, null, { via, expiresAt });
    return { secret, csrfToken, expiresAt };
  }

  /** The person a cookie's secret stands for, or null when the session is unknown, idle too long, past its end, or the account disabled. */
  async resolve(secret: string, now = new Date()): Promise<Extract<Principal, { kind: 'person' }> | null> {
    const id = secretHash(secret);
    const session = await this.sessions.byId(id);
    if (!session) return null;
    const idle = now.getTime() - session.lastSeenAt.getTime() > this.config.access.session.idleMs;
    if (idle || session.expiresAt <= now) {
      await this.sessions.delete(id);
      return null;
    }
    const account = await this.accounts.byId(session.userId);
    if (!account || account.disabledAt) return null;
    await this.sessions.touch(id, now);
    return { kind: 'person', id: account.id, name: account.displayName, role: account.role as Role, sessionId: id, csrfToken: session.csrfToken };
  }

  async end(principal: Extract<Principal, { kind: 'person' }>): Promise<void> {
    await this.sessions.delete(principal.sessionId);
    await this.audit.record(principal, 'session.sign-out', { type: 'user', id: principal.id }, null, null);
  }
}
