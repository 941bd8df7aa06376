import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Request } from 'express';
import { loadHubConfig } from '../../../../libs/config/src';
import { Access } from './access-policy';
import { AccessGuard } from './access.guard';
import { principalOf } from './principal';
import { PrincipalResolver } from './principal-resolver.service';

class Undeclared {
  handler() {}
}

@Access('viewer')
class Declared {
  read() {}
  @Access('metrics')
  metrics() {}
  @Access('ingest')
  ingest() {}
}

const ADMIN = 'admin-token-for-the-guard-spec';
const METRICS = 'metrics-token-for-the-guard-spec';

/**
 * The guard with the real resolver: configured tokens and anonymous callers never reach the
 * database-backed services, so none are given.
 */
function guard(env: Record<string, string> = {}) {
  const config = loadHubConfig({ ADMIN_TOKEN: ADMIN, METRICS_TOKEN: METRICS, ...env });
  return new AccessGuard(new Reflector(), new PrincipalResolver(config, undefined as never, undefined as never, undefined as never), config);
}

function call(g: AccessGuard, cls: object, handler: string, authorization?: string, method = 'GET') {
  const req = { method, headers: authorization ? { authorization } : {}, get: () => undefined } as unknown as Request;
  const proto = (cls as { prototype: Record<string, () => void> }).prototype;
  const ctx = new ExecutionContextHost([req, {}], cls as never, proto[handler]);
  return { result: g.canActivate(ctx), req };
}

describe('AccessGuard', () => {
  it('refuses a route that declares nothing, even to an admin', async () => {
    await expect(call(guard(), Undeclared, 'handler', `Bearer ${ADMIN}`).result).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('reads the handler first, then the class, and attaches the caller', async () => {
    const anonymous = call(guard(), Declared, 'read');
    await expect(anonymous.result).rejects.toBeInstanceOf(UnauthorizedException);
    const admin = call(guard(), Declared, 'read', `Bearer ${ADMIN}`);
    await expect(admin.result).resolves.toBe(true);
    expect(principalOf(admin.req)).toEqual({ kind: 'admin-token' });
  });

  it('metrics: the metrics token or an admin; the metrics token opens nothing else', async () => {
    await expect(call(guard(), Declared, 'metrics', `Bearer ${METRICS}`).result).resolves.toBe(true);
    await expect(call(guard(), Declared, 'metrics', `Bearer ${ADMIN}`).result).resolves.toBe(true);
    await expect(call(guard(), Declared, 'metrics').result).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(call(guard(), Declared, 'read', `Bearer ${METRICS}`).result).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('ingest is open by default; keys-only refuses anonymous senders, INGEST_TOKEN still counts', async () => {
    await expect(call(guard(), Declared, 'ingest', undefined, 'POST').result).resolves.toBe(true);
    await expect(call(guard({ INGEST_MODE: 'keys' }), Declared, 'ingest', undefined, 'POST').result).rejects.toBeInstanceOf(UnauthorizedException);
    const compat = guard({ INGEST_TOKEN: 'legacy-ingest-token' });
    await expect(call(compat, Declared, 'ingest', undefined, 'POST').result).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(call(compat, Declared, 'ingest', 'Bearer legacy-ingest-token', 'POST').result).resolves.toBe(true);
    await expect(call(compat, Declared, 'read', 'Bearer legacy-ingest-token').result).rejects.toBeInstanceOf(ForbiddenException);
  });
});
