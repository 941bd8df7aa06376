import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets the hub issues carry a prefix, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'hub_pat_';
export const RIG_KEY_PREFIX = 'hub_rig_';
export const SESSION_COOKIE = 'hub_session';

/** A new secret: prefix + 32 random bytes, base64url. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Issued secrets are long and random, so a plain sha256 is enough to store them (no password stretching). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The secret an Authorization header carries: a Bearer token, or the password of HTTP Basic (stock
 * `reporter-upload` can send only Basic or URL credentials, so a rig key is accepted as the password).
 */
export function presentedSecret(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : decoded;
  return password || undefined;
}

/** One cookie's value from a Cookie header (no cookie-parser middleware needed for one cookie). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
