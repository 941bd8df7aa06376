import { SetMetadata } from '@nestjs/common';

/** People's roles, each including the ones before it. */
export const ROLES = ['viewer', 'developer', 'qa', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a route. Every route declares one; a route without a declaration is denied.
 * - `public`: anyone (statistics, health, the sign-in page).
 * - `ingest`: crash and CEP intake (open, or keys-only when configured; rig keys count here).
 * - `host-key`: a host's own erasure key, checked by the host service against the id in the path.
 * - `metrics`: Prometheus scraping (an admin or the metrics token).
 * - a role: a signed-in person or an API token with at least that role.
 */
export type AccessPolicy = 'public' | 'ingest' | 'host-key' | 'metrics' | Role;

export const ACCESS_POLICY = 'hub:access-policy';

/** Declares who may call the route (on a handler, or on a controller for all its handlers). */
export const Access = (policy: AccessPolicy): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_POLICY, policy);
