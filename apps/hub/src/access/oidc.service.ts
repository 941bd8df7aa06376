import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { BaseClient, generators, Issuer } from 'openid-client';
import { DataSource } from 'typeorm';
import { roleFromClaims } from '../../../../libs/access/src';
import type { HubConfig, OidcConfig } from '../../../../libs/config/src';
import type { UserAccountEntity } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { AccountRepository } from './account.repository';
import { publicAccount } from './accounts.service';
import { AuditTrail } from './audit-trail.service';
import { Principal } from './principal';

/** What the browser keeps (in an HttpOnly cookie) between leaving for the provider and coming back. */
export interface PendingOidcSignIn {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

/**
 * Single sign-on with OpenID Connect: authorization-code flow with PKCE (S256), state and nonce; the
 * ID token's role claim is mapped to a role on every sign-in, so the provider stays the source of truth.
 */
@Injectable()
export class OidcService {
  private client?: Promise<BaseClient>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountRepository,
    private readonly audit: AuditTrail,
  ) {}

  get enabled(): boolean {
    return this.config.access.oidc !== undefined;
  }

  private settings(): OidcConfig {
    const oidc = this.config.access.oidc;
    if (!oidc) throw new NotFoundException('single sign-on is not configured');
    return oidc;
  }

  /** Discovered once, on first use, so the hub starts even while the provider is down. */
  private getClient(): Promise<BaseClient> {
    const oidc = this.settings();
    this.client ??= Issuer.discover(oidc.issuer).then(
      (issuer) =>
        new issuer.Client({ client_id: oidc.clientId, client_secret: oidc.clientSecret, redirect_uris: [oidc.redirectUrl], response_types: ['code'] }),
    );
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  async begin(next: string): Promise<{ url: string; pending: PendingOidcSignIn }> {
    const client = await this.getClient();
    const pending = { state: generators.state(), nonce: generators.nonce(), verifier: generators.codeVerifier(), next };
    const url = client.authorizationUrl({
      scope: 'openid profile email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Exchanges the code, checks the ID token, and returns the signed-in account (made on first sign-in). */
  async complete(req: Request, pending: PendingOidcSignIn): Promise<UserAccountEntity> {
    const oidc = this.settings();
    const client = await this.getClient();
    const tokens = await client.callback(oidc.redirectUrl, client.callbackParams(req), {
      state: pending.state,
      nonce: pending.nonce,
      code_verifier: pending.verifier,
    });
    const claims = tokens.claims();
    const role = roleFromClaims(claims, oidc.roleClaim, oidc.roleMap, oidc.defaultRole);
    if (!role) throw new ForbiddenException(`your account has no role in the hub (claim ${oidc.roleClaim})`);
    const issuer = client.issuer.metadata.issuer;
    const actor: Principal = { kind: 'system', name: `oidc:${issuer}` };
    return this.dataSource.transaction(async (m) => {
      const known = await this.accounts.byOidcSubject(issuer, claims.sub, m);
      if (known) {
        if (known.disabledAt) throw new ForbiddenException('this account is disabled in the hub');
        if (known.role !== role) {
          await this.accounts.update(m, known.id, { role });
          await this.audit.record(actor, 'user.role', { type: 'user', id: known.id }, publicAccount(known), publicAccount({ ...known, role }), m);
          known.role = role;
        }
        return known;
      }
      const wanted = String(claims.preferred_username ?? claims.email ?? claims.sub).slice(0, 64);
      const username = (await this.accounts.byUsername(wanted, m)) ? `${wanted.slice(0, 40)}@${claims.sub}`.slice(0, 64) : wanted;
      const made = await this.accounts.insert(m, {
        username,
        displayName: String(claims.name ?? username).slice(0, 200),
        role,
        passwordHash: null,
        oidcIssuer: issuer,
        oidcSubject: claims.sub,
      });
      await this.audit.record(actor, 'user.add', { type: 'user', id: made.id }, null, publicAccount(made), m);
      return made;
    });
  }
}
