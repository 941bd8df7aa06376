import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { ApiTokensService } from './api-tokens.service';
import { cookieValue, presentedSecret, RIG_KEY_PREFIX, sameSecret, SESSION_COOKIE, TOKEN_PREFIX } from './credentials';
import { ANONYMOUS, Principal } from './principal';
import { RigKeysService } from './rig-keys.service';
import { SessionsService } from './sessions.service';

export interface Resolution {
  principal: Principal;
  /** A hub credential was presented but is unknown, expired or revoked: refused rather than treated as anonymous. */
  rejected: boolean;
}

/**
 * Turns a request's credentials into a principal: the Authorization header (Bearer, or Basic with the
 * secret as password) when there is one, else the session cookie. A bearer that is no hub credential
 * (an agent's erasure key) leaves the caller anonymous: the hosts service checks it against the host.
 */
@Injectable()
export class PrincipalResolver {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly tokens: ApiTokensService,
    private readonly rigKeys: RigKeysService,
    private readonly sessions: SessionsService,
  ) {}

  async resolve(req: Request): Promise<Resolution> {
    const secret = presentedSecret(req.headers.authorization);
    if (!secret) return this.fromSession(req);
    const { adminToken, ingestToken, access } = this.config;
    if (adminToken && sameSecret(secret, adminToken)) return { principal: { kind: 'admin-token' }, rejected: false };
    if (access.metricsToken && sameSecret(secret, access.metricsToken)) return { principal: { kind: 'metrics' }, rejected: false };
    if (ingestToken && sameSecret(secret, ingestToken)) return { principal: { kind: 'ingest-token' }, rejected: false };
    if (secret.startsWith(TOKEN_PREFIX)) return found(await this.tokens.resolve(secret));
    if (secret.startsWith(RIG_KEY_PREFIX)) return found(await this.rigKeys.resolve(secret));
    return { principal: ANONYMOUS, rejected: false };
  }

  /** A stale or ended session cookie leaves the browser anonymous (it is sent to sign in again), not refused. */
  private async fromSession(req: Request): Promise<Resolution> {
    const secret = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const person = secret ? await this.sessions.resolve(secret) : null;
    return { principal: person ?? ANONYMOUS, rejected: false };
  }
}

const found = (p: Principal | null): Resolution => (p ? { principal: p, rejected: false } : { principal: ANONYMOUS, rejected: true });
