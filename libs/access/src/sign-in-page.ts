import { escapeHtml } from '../../console-pages/src/html-escape';

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

/** The sign-in page: a plain form, no scripts, every value escaped. */
export function renderSignInPage(view: SignInPageView): string {
  const error = view.error ? `<p role="alert" class="error">${escapeHtml(view.error)}</p>` : '';
  const sso = view.ssoUrl ? `<p><a href="${escapeHtml(view.ssoUrl)}">Sign in with single sign-on</a></p>` : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in · Crash &amp; CEP telemetry hub</title></head>
<body>
<main>
<h1>Sign in</h1>
${error}
<form method="post" action="/sign-in">
<input type="hidden" name="_csrf" value="${escapeHtml(view.csrfToken)}">
<input type="hidden" name="next" value="${escapeHtml(view.next)}">
<p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required value="${escapeHtml(view.username ?? '')}"></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
${sso}
</main>
</body>
</html>
`;
}

/** A local path to return to after signing in; anything else (another origin, `//host`) goes home. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
