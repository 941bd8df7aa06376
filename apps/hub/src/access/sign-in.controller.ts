import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { safeNext } from '../../../../libs/access/src';
import { renderSignInPage } from '../../../../libs/console-pages/src';
import type { HubConfig } from '../../../../libs/config/src';
import { SignInForm, SignInFormSchema } from '../../../../libs/contracts/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { Access } from './access-policy';
import { AccountsService } from './accounts.service';
import { cookieValue, sameSecret } from './credentials';
import { CurrentPrincipal } from './current-principal.decorator';
import type { Principal } from './principal';
import { clearSessionCookie, PAGE_HEADERS, setSessionCookie, SIGN_IN_COOKIE, signInCookieOptions } from './session-cookie';
import { OidcService, PendingOidcSignIn } from './oidc.service';
import { SessionsService } from './sessions.service';

const OIDC_COOKIE = 'hub_oidc';

function readPending(value: string | undefined): PendingOidcSignIn | null {
  if (!value) return null;
  try {
    const p = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<PendingOidcSignIn>;
    const ok = [p.state, p.nonce, p.verifier].every((v) => typeof v === 'string' && v.length > 0);
    return ok ? { state: p.state!, nonce: p.nonce!, verifier: p.verifier!, next: safeNext(p.next) } : null;
  } catch {
    return null;
  }
}

/** Browser sign-in with a local account or single sign-on (OpenID Connect), and sign-out. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly oidc: OidcService,
  ) {}

  @Get('sign-in')
  @Access('public')
  page(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response): void {
    this.render(req, res, 200, { next: safeNext(next) });
  }

  @Post('sign-in')
  @Access('public')
  async signIn(@Body({ schema: SignInFormSchema }) form: SignInForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const next = safeNext(form.next);
    // Login CSRF: the form's token must match the cookie set with the form, so no other site can sign a browser in.
    const expected = cookieValue(req.headers.cookie, SIGN_IN_COOKIE);
    if (!expected || !sameSecret(expected, form._csrf)) {
      return this.render(req, res, 403, { next, username: form.username, error: 'The form expired; please sign in again.' });
    }
    const account = await this.accounts.checkPassword(form.username, form.password);
    if (!account) return this.render(req, res, 401, { next, username: form.username, error: 'Wrong username or password, or the account is disabled.' });
    const session = await this.sessions.start(account, 'password');
    res.clearCookie(SIGN_IN_COOKIE, signInCookieOptions(this.config, req));
    setSessionCookie(this.config, req, res, session.secret, session.expiresAt);
    res.redirect(303, next);
  }

  @Get('sign-in/oidc')
  @Access('public')
  async beginOidc(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { url, pending } = await this.oidc.begin(safeNext(next));
    // Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
    res.cookie(OIDC_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
      ...signInCookieOptions(this.config, req),
      sameSite: 'lax',
      path: '/sign-in/oidc',
      maxAge: 600_000,
    });
    res.redirect(302, url);
  }

  @Get('sign-in/oidc/callback')
  @Access('public')
  async completeOidc(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = readPending(cookieValue(req.headers.cookie, OIDC_COOKIE));
    res.clearCookie(OIDC_COOKIE, { path: '/sign-in/oidc' });
    if (!pending) return this.render(req, res, 400, { next: '/', error: 'The single sign-on attempt expired; please try again.' });
    let account;
    try {
      account = await this.oidc.complete(req, pending);
    } catch (error) {
      const refused = error instanceof ForbiddenException;
      return this.render(req, res, refused ? 403 : 401, { next: pending.next, error: refused ? error.message : 'Single sign-on failed; please try again.' });
    }
    const session = await this.sessions.start(account, 'oidc');
    setSessionCookie(this.config, req, res, session.secret, session.expiresAt);
    res.redirect(303, pending.next);
  }

  /** Needs the session's CSRF token (form field `_csrf` or header X-CSRF-Token), checked by the guard. */
  @Post('sign-out')
  @Access('viewer')
  @HttpCode(303)
  async signOut(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (principal.kind === 'person') await this.sessions.end(principal);
    clearSessionCookie(this.config, req, res);
    res.redirect(303, '/sign-in');
  }

  private render(req: Request, res: Response, status: number, view: { next: string; username?: string; error?: string }): void {
    const csrfToken = randomBytes(24).toString('base64url');
    res.cookie(SIGN_IN_COOKIE, csrfToken, signInCookieOptions(this.config, req));
    res.status(status).set(PAGE_HEADERS).send(renderSignInPage({ csrfToken, ...view, ssoUrl: this.oidc.enabled ? '/sign-in/oidc' : undefined }));
  }
}
