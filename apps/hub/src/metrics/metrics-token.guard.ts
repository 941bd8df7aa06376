import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';

function sameSecret(given: string, expected: string | undefined): boolean {
  if (!expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The `metrics` access policy until the global access guard enforces it: the metrics token or
 * the admin token. With neither configured, nobody may scrape.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = header.replace(/^Bearer\s+/i, '');
    if (sameSecret(token, this.config.ops.metricsToken) || sameSecret(token, this.config.adminToken)) return true;
    throw new UnauthorizedException('scraping needs Authorization: Bearer <METRICS_TOKEN or ADMIN_TOKEN>');
  }
}
