import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { renderSignInPage, safeNext } from '../../../../libs/access/src';
import type { HubConfig } from '../../../../libs/config/src';
import { SignInForm, SignInFormSchema } from '../../../../libs/contracts/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { Access } from './access-policy';
import { AccountsService } from './accounts.service';
import { cookieValue, sameSecret } from './credentials';
import { CurrentPrincipal } from './current-principal.decorator';
import type { Principal } from './principal';
import { clearSessionCookie, PAGE_HEADERS, setSessionCookie, SIGN_IN_COOKIE, signInCookieOptions } from './session-cookie';
import { SessionsService } from './sessions.service';

/** Browser sign-in with a local account, and sign-out. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
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
    res.status(status).set(PAGE_HEADERS).send(renderSignInPage({ csrfToken, ...view }));
  }
}
