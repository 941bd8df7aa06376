import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { ACCESS_POLICY, AccessPolicy } from './access-policy';
import { sameSecret } from './credentials';
import { attachPrincipal, hasRole, Principal } from './principal';
import { PrincipalResolver } from './principal-resolver.service';

/**
 * The one global guard: every route declares `@Access(...)` (handler first, then controller) and a
 * route that declares nothing is refused. Resolves the caller and attaches it to the request.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: PrincipalResolver,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) throw new ForbiddenException('this route declares no access policy');
    const req = context.switchToHttp().getRequest<Request>();
    const { principal, rejected } = await this.resolver.resolve(req);
    attachPrincipal(req, principal);
    if (policy === 'public') return true;
    if (rejected) throw new UnauthorizedException('the credential is unknown, expired or revoked');
    if (!this.permits(policy, principal)) return false;
    checkCsrf(req, principal);
    return true;
  }

  private permits(policy: Exclude<AccessPolicy, 'public'>, p: Principal): boolean {
    switch (policy) {
      case 'ingest':
        if (this.config.access.ingestMode === 'open' || p.kind === 'rig' || p.kind === 'ingest-token' || hasRole(p, 'admin')) return true;
        throw new UnauthorizedException('ingestion needs a rig key (Authorization: Bearer <key>, or HTTP Basic with the key as password)');
      case 'host-key':
        // The hosts service compares the key with the host's; an admin principal passes there too.
        return true;
      case 'metrics':
        if (p.kind === 'metrics' || hasRole(p, 'admin')) return true;
        return refuse(p, 'metrics need the metrics token or an admin');
      default:
        if (hasRole(p, policy)) return true;
        return refuse(p, `this needs the ${policy} role or above`);
    }
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser session's state-changing request must echo the session's synchronizer token, as the form
 * field `_csrf` or the header `X-CSRF-Token` (JSON writes from pages). Token-authenticated calls carry
 * their credential in a header no other site can set, so they need none.
 */
function checkCsrf(req: Request, p: Principal): void {
  if (p.kind !== 'person' || SAFE_METHODS.has(req.method)) return;
  const body = req.body as Record<string, unknown> | undefined;
  const given = req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  if (!given || !sameSecret(given, p.csrfToken)) {
    throw new ForbiddenException('CSRF token missing or wrong: send the session\'s token as X-CSRF-Token or the form field _csrf');
  }
}

/** 401 when the caller brought nothing that names them, 403 when they are known but lack the right. */
function refuse(p: Principal, message: string): never {
  if (p.kind === 'anonymous') throw new UnauthorizedException(`sign in or send a token: ${message}`);
  throw new ForbiddenException(message);
}
