import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';

/** When INGEST_TOKEN is set, native ingestion needs `Authorization: Bearer <token>`. */
@Injectable()
export class IngestTokenGuard implements CanActivate {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.ingestToken;
    if (!expected) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
    const want = Buffer.from(expected);
    if (given.length === want.length && timingSafeEqual(given, want)) return true;
    throw new UnauthorizedException('a valid ingestion token is required (Authorization: Bearer <token>)');
  }
}
