import { html, type SafeHtml } from './html';

export type NavKey = 'candidates' | 'hardware' | 'rigs' | 'stats' | 'admin' | 'none';

/** Who is looking, when known; the console shows the name and a sign-out button. */
export interface Viewer {
  name: string;
  role: string;
  /** A signed-in person's session token for forms (CSRF); absent for API tokens, which need none. */
  csrfToken?: string;
}

/** The hidden field every POST form of a signed-in person carries (checked by the access guard). */
export function csrfField(viewer: Viewer | null | undefined): SafeHtml {
  return viewer?.csrfToken ? html`<input type="hidden" name="_csrf" value="${viewer.csrfToken}">` : html``;
}

const isAdmin = (v: Viewer | null | undefined) => v?.role === 'admin';

export interface PageFrame {
  title: string;
  nav: NavKey;
  body: SafeHtml;
  viewer?: Viewer | null;
  /** A fixed message after a POST-redirect-GET (never text from the request). */
  notice?: string | null;
  /** Loads htmx from the hub's own origin, for pages with a partial refresh. */
  htmx?: boolean;
  /** Public pages (statistics) show only public links to visitors who are not signed in. */
  publicPage?: boolean;
  /** The sign-in page itself: no "Sign in" link pointing back at it. */
  signInPage?: boolean;
}

const LINKS: ReadonlyArray<{ key: NavKey; href: string; text: string; people: boolean }> = [
  { key: 'candidates', href: '/candidates', text: 'Candidates', people: true },
  { key: 'hardware', href: '/hardware', text: 'Hardware search', people: true },
  { key: 'rigs', href: '/rigs', text: 'Rigs & test runs', people: true },
  { key: 'stats', href: '/stats', text: 'Fleet statistics', people: false },
];

export const CONSOLE_CSS_PATH = '/assets/console.css';
export const HTMX_PATH = '/assets/htmx.min.js';

function navigation(active: NavKey, showConsole: boolean, admin: boolean): SafeHtml {
  const home = showConsole ? '/candidates' : '/stats';
  const links = [...LINKS, ...(admin ? [{ key: 'admin' as const, href: '/admin', text: 'Administration', people: true }] : [])].filter((l) => showConsole || !l.people).map(
    (l) => html`<li><a href="${l.href}"${l.key === active ? html` aria-current="page"` : ''}>${l.text}</a></li>`,
  );
  return html`<nav class="site" aria-label="Main"><a class="brand" href="${home}">Crash hub</a><ul>${links}</ul></nav>`;
}

/** The document every console page (and the public statistics page) shares: head, navigation, main. */
export function renderLayout(frame: PageFrame): string {
  const showConsole = !frame.publicPage || !!frame.viewer;
  const who = frame.viewer
    ? html`<div class="who"><span>${frame.viewer.name} <span class="muted">(${frame.viewer.role})</span></span>${
        frame.viewer.csrfToken ? html`<form method="post" action="/sign-out" class="inline">${csrfField(frame.viewer)}<button type="submit" class="secondary">Sign out</button></form>` : ''
      }</div>`
    : frame.publicPage && !frame.signInPage
      ? html`<div class="who"><a href="/sign-in">Sign in</a></div>`
      : '';
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Crash hub</title>
<link rel="stylesheet" href="${CONSOLE_CSS_PATH}">
${frame.htmx ? html`<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}'><script src="${HTMX_PATH}" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">${navigation(frame.nav, showConsole, isAdmin(frame.viewer))}${who}</header>
<main id="main" tabindex="-1">
${frame.notice ? html`<p class="notice" role="status">${frame.notice}</p>` : ''}
${frame.body}
</main>
</body>
</html>`}\n`;
}

/**
 * Every console page (and /stats): scripts and styles only from the hub's own files, no inline ones;
 * htmx fetches pages from the same origin; forms post only here; no framing.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
