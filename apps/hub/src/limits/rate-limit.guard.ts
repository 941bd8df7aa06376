import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { RateLimitService } from './rate-limit.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Liveness probes and scrapers are not rate limited (they are what tells an operator the hub is busy). */
const EXEMPT = new Set(['/health', '/metrics']);

/**
 * Global guard: every request is counted against its credential (or, without one, its client
 * address) and, when it names one, its host id; a spent quota answers 429 with Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limits: RateLimitService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (EXEMPT.has(req.path)) return true;
    const verdict = await this.limits.check({
      credential: req.headers.authorization || undefined,
      hostId: hostIdOf(req),
      address: req.ip,
    });
    if (!verdict.refused) return true;
    const { bucket, limit, retryAfterSec } = verdict.refused;
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSec));
    const per = { key: 'this credential', host: 'this host', client: 'this client' }[bucket];
    throw new HttpException(
      `rate limit: ${per} may make ${limit} requests per ${Math.round(this.config.rateLimits.windowMs / 1000)} s; retry after ${retryAfterSec} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** The host a report speaks for: X-Host-Id, or an agent crash report's `hostId`. */
function hostIdOf(req: Request): string | undefined {
  const header = req.headers['x-host-id'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const fromBody = req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? (req.body as { hostId?: unknown }).hostId : undefined;
  const id = fromHeader ?? (typeof fromBody === 'string' ? fromBody : undefined);
  return id && UUID.test(id) ? id.toLowerCase() : undefined;
}
