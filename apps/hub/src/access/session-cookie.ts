import type { CookieOptions, Request, Response } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { SESSION_COOKIE } from './credentials';

/** Holds the pre-session CSRF token of the sign-in form (double submit: cookie and hidden field). */
export const SIGN_IN_COOKIE = 'hub_sign_in';

function secure(config: HubConfig, req: Request): boolean {
  const setting = config.access.session.secureCookie;
  return setting === 'auto' ? req.secure : setting;
}

/** HttpOnly, SameSite=Lax, Secure over HTTPS (or as configured), ending with the session. */
export function setSessionCookie(config: HubConfig, req: Request, res: Response, secret: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'lax', secure: secure(config, req), path: '/', expires: expiresAt });
}

export function clearSessionCookie(config: HubConfig, req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secure(config, req), path: '/' });
}

export function signInCookieOptions(config: HubConfig, req: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: secure(config, req), path: '/sign-in', maxAge: 3_600_000 };
}

/** Pages that handle credentials: no scripts, no framing, forms post only here. */
export const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};
