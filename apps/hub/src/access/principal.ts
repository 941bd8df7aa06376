import type { Request } from 'express';
import { ROLES, Role } from './access-policy';

/**
 * Who is calling, resolved once per request by the access guard and attached to the request.
 * Other modules read it with `@CurrentPrincipal()` (handlers) or `principalOf(req)`.
 * - `anonymous`: no hub credential (a host's erasure key is not one: the hosts service checks it).
 * - `person`: a signed-in person (browser session); `csrfToken` is their session's synchronizer token.
 * - `token`: an API token; `role` is its scope, never more than its owner's role.
 * - `rig`: a test rig's ingest-only key; its labels go into every report it brings.
 * - `admin-token`: the configured ADMIN_TOKEN (automation and bootstrap), an admin.
 * - `ingest-token`: the configured INGEST_TOKEN (compatibility), ingest only.
 * - `metrics`: the configured METRICS_TOKEN, metrics only.
 * - `host-key`: a host acting with its own erasure key (set by the hosts service, which checks the key);
 *   `id` is the sha256 of the host id, so the audit trail keeps no erased host's id.
 * - `system`: the hub itself or its operator's CLI (admin bootstrap, `hub users ...`); never from a request.
 */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'person'; id: string; name: string; role: Role; sessionId: string; csrfToken: string }
  | { kind: 'token'; id: string; name: string; role: Role; userId: string }
  | { kind: 'rig'; id: string; name: string; labels: Record<string, string> }
  | { kind: 'admin-token' }
  | { kind: 'ingest-token' }
  | { kind: 'metrics' }
  | { kind: 'host-key'; id: string }
  | { kind: 'system'; name: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The role a principal acts with, or null when it acts with none (anonymous, keys). */
export function roleOf(p: Principal): Role | null {
  if (p.kind === 'person' || p.kind === 'token') return p.role;
  // The operator's own CLI and the hub's bootstrap act with full rights; neither comes from a request.
  if (p.kind === 'admin-token' || p.kind === 'system') return 'admin';
  return null;
}

/** True when the principal has `role` or a role above it. */
export function hasRole(p: Principal, role: Role): boolean {
  const own = roleOf(p);
  return own !== null && ROLES.indexOf(own) >= ROLES.indexOf(role);
}

/** The rig a request comes from, when it carries a rig key. */
export function rigOf(p: Principal): { name: string; labels: Record<string, string> } | null {
  return p.kind === 'rig' ? { name: p.name, labels: p.labels } : null;
}

/** Who, for the audit trail: kind, a stable id (null for configured tokens) and a name people read. */
export function actorOf(p: Principal): { kind: string; id: string | null; name: string } {
  switch (p.kind) {
    case 'person':
    case 'token':
    case 'rig':
      return { kind: p.kind, id: p.id, name: p.name };
    case 'host-key':
      return { kind: p.kind, id: p.id, name: "the host's erasure key" };
    case 'system':
      return { kind: p.kind, id: null, name: p.name };
    case 'admin-token':
      return { kind: p.kind, id: null, name: 'ADMIN_TOKEN' };
    case 'ingest-token':
      return { kind: p.kind, id: null, name: 'INGEST_TOKEN' };
    case 'metrics':
      return { kind: p.kind, id: null, name: 'METRICS_TOKEN' };
    default:
      return { kind: 'anonymous', id: null, name: 'anonymous' };
  }
}

const PRINCIPAL = Symbol('hub:principal');
type Carrier = Request & { [PRINCIPAL]?: Principal };

export function attachPrincipal(req: Request, principal: Principal): void {
  (req as Carrier)[PRINCIPAL] = principal;
}

/** The caller of this request; anonymous when the guard has not resolved one (it always does on routes). */
export function principalOf(req: Request): Principal {
  return (req as Carrier)[PRINCIPAL] ?? ANONYMOUS;
}
