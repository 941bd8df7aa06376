import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { ACCESS_POLICY, AccessPolicy } from '../access/access-policy';
import { HUB_CONFIG } from '../config/hub-config.provider';

/** Who did it, as recorded in the triage log. */
export interface QaRequest extends Request {
  principal?: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Interim gate for the QA routes until the hub-wide access guard (accounts, roles) is merged: a
 * role-protected route needs `Authorization: Bearer <ADMIN_TOKEN>`, recorded as principal `admin-token`.
 */
@Injectable()
export class QaPrincipalGuard implements CanActivate {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (policy === 'public') return true;
    const req = context.switchToHttp().getRequest<QaRequest>();
    if (req.principal) return true;
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) throw new UnauthorizedException('sign in: Authorization: Bearer <token>');
    if (!this.config.adminToken || !same(header.slice(7), this.config.adminToken)) throw new ForbiddenException(`this needs the ${policy ?? 'qa'} role`);
    req.principal = 'admin-token';
    return true;
  }
}
