import { html } from './html';
import { renderLayout } from './layout';

export interface SignInPageView {
  /** Echoed into the form's hidden field; checked against the sign-in cookie on POST. */
  csrfToken: string;
  /** Where to go after signing in (a local path). */
  next: string;
  username?: string;
  error?: string;
  /** Shown as a second way in when OpenID Connect is configured. */
  ssoUrl?: string;
}

/** The sign-in page inside the console's layout (public navigation only): a plain form, no scripts. */
export function renderSignInPage(view: SignInPageView): string {
  return renderLayout({
    title: 'Sign in',
    nav: 'none',
    publicPage: true,
    signInPage: true,
    body: html`<div class="sign-in">
<h1>Sign in</h1>
${view.error ? html`<p role="alert" class="error">${view.error}</p>` : ''}
<form method="post" action="/sign-in" class="filters">
<input type="hidden" name="_csrf" value="${view.csrfToken}">
<input type="hidden" name="next" value="${view.next}">
<div class="field"><label for="username">Username</label><input id="username" name="username" autocomplete="username" required value="${view.username ?? ''}"></div>
<div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<div class="actions"><button type="submit">Sign in</button></div>
</form>
${view.ssoUrl ? html`<p><a href="${view.ssoUrl}">Sign in with single sign-on</a></p>` : ''}
</div>`,
  });
}
