import { emptyState, select } from './form-controls';
import { formatTime, shortId } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, renderLayout, type Viewer } from './layout';

export const ROLE_OPTIONS = ['viewer', 'developer', 'qa', 'admin'].map((r) => ({ value: r, text: r }));

/** The configured Jira as shown to admins: never its token or password. */
export interface JiraSettingsView {
  url: string;
  project: string;
  issueType: string;
  auth: 'token' | 'basic' | 'none';
  regressionPolicy: string;
}

/** The latest connection test (JiraConnectionService's result) with who ran it and when. */
export interface JiraCheckView {
  at: Date | string;
  by: string;
  ok: boolean;
  problems: readonly string[];
  server?: { version: string; deploymentType?: string; title?: string; createmeta: string };
  user?: string;
  project?: { key: string; name: string };
  issueType?: { name: string };
}

const AUTH_TEXT: Record<JiraSettingsView['auth'], string> = {
  token: 'personal access token (bearer)',
  basic: 'user name and password (basic)',
  none: 'no credentials: tickets are offered as prefilled create forms',
};

export interface AdminView {
  users: ReadonlyArray<{ id: string; username: string; displayName: string; role: string; sso: boolean; disabledAt: Date | string | null; createdAt: Date | string }>;
  tokens: ReadonlyArray<{ id: string; userId: string; name: string; prefix: string; scope: string; createdAt: Date | string; expiresAt: Date | string | null; revokedAt: Date | string | null; lastUsedAt: Date | string | null }>;
  rigKeys: ReadonlyArray<{ id: string; rigName: string; labels: Readonly<Record<string, string>>; prefix: string; createdAt: Date | string; revokedAt: Date | string | null; lastUsedAt: Date | string | null }>;
  audit: ReadonlyArray<{ id: string | number; at: Date | string; actorName: string; action: string; targetType: string; targetId: string | null }>;
  auditAction: string;
  /** null: JIRA_URL is not set. */
  jira: JiraSettingsView | null;
  jiraCheck: JiraCheckView | null;
  /** A secret just made (a generated password), shown once on the page that answers the POST. */
  secret?: { what: string; value: string } | null;
  viewer?: Viewer | null;
  notice?: string | null;
}

function postButton(viewer: Viewer | null | undefined, action: string, text: string, hidden: Record<string, string>, srText: string): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">${csrfField(viewer)}${Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button type="submit" class="secondary">${text}<span class="sr-only"> ${srText}</span></button></form>`;
}

function users(v: AdminView): SafeHtml {
  const rows = v.users.map(
    (u) => html`<tr data-user="${u.username}"><td>${u.username}${u.displayName !== u.username ? html`<div class="muted small">${u.displayName}</div>` : ''}</td><td>${u.role}</td><td>${u.sso ? 'OpenID Connect' : 'password'}</td><td>${u.disabledAt ? html`disabled ${formatTime(u.disabledAt)}` : 'active'}</td><td>${
      u.disabledAt ? postButton(v.viewer, '/admin/users/enable', 'Enable', { username: u.username }, u.username) : postButton(v.viewer, '/admin/users/disable', 'Disable', { username: u.username }, u.username)
    }</td></tr>`,
  );
  const add = html`<form method="post" action="/admin/users" class="filters">${csrfField(v.viewer)}<fieldset><legend>Add a person</legend><div class="grid">
<div class="field"><label for="new-username">Username</label><input id="new-username" name="username" required pattern="[A-Za-z0-9._@\\-]{1,64}" autocomplete="off"></div>
${select('role', 'Role', ROLE_OPTIONS, 'viewer')}</div>
<p class="muted small">A password is generated and shown once.</p><div class="actions"><button type="submit">Add</button></div></fieldset></form>`;
  return html`${v.users.length ? html`<div class="table-wrap" tabindex="0"><table class="users"><caption class="sr-only">People</caption><thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Sign-in</th><th scope="col">State</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead><tbody>${rows}</tbody></table></div>` : emptyState('No accounts yet.')}${add}`;
}

const usernames = (v: AdminView) => new Map(v.users.map((u) => [u.id, u.username]));

function tokens(v: AdminView): SafeHtml {
  if (!v.tokens.length) return emptyState('No API tokens.');
  const owners = usernames(v);
  return html`<div class="table-wrap" tabindex="0"><table class="tokens"><caption class="sr-only">API tokens</caption><thead><tr><th scope="col">Owner / name</th><th scope="col">Prefix</th><th scope="col">Scope</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead><tbody>${v.tokens.map(
    (t) => html`<tr data-token="${t.id}"><td>${owners.get(t.userId) ?? shortId(t.userId)} / ${t.name}</td><td><code>${t.prefix}</code></td><td>${t.scope}</td><td>${formatTime(t.expiresAt)}</td><td>${formatTime(t.lastUsedAt)}</td><td>${t.revokedAt ? html`revoked ${formatTime(t.revokedAt)}` : 'active'}</td><td>${t.revokedAt ? '' : postButton(v.viewer, '/admin/tokens/revoke', 'Revoke', { id: t.id }, `token ${t.name}`)}</td></tr>`,
  )}</tbody></table></div>`;
}

function rigKeys(v: AdminView): SafeHtml {
  if (!v.rigKeys.length) return emptyState('No rig keys.');
  return html`<div class="table-wrap" tabindex="0"><table class="rig-keys"><caption class="sr-only">Rig keys</caption><thead><tr><th scope="col">Rig</th><th scope="col">Labels</th><th scope="col">Prefix</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead><tbody>${v.rigKeys.map(
    (k) => html`<tr data-rig-key="${k.id}"><td>${k.rigName}</td><td>${Object.entries(k.labels).map(([a, b]) => html`<code>${a}=${b}</code> `)}</td><td><code>${k.prefix}</code></td><td>${formatTime(k.lastUsedAt)}</td><td>${k.revokedAt ? html`revoked ${formatTime(k.revokedAt)}` : 'active'}</td><td>${k.revokedAt ? '' : postButton(v.viewer, '/admin/rig-keys/revoke', 'Revoke', { id: k.id }, `rig key ${k.rigName}`)}</td></tr>`,
  )}</tbody></table></div>`;
}

const item = (term: string, value: SafeHtml | string) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;

function jira(v: AdminView): SafeHtml {
  const s = v.jira;
  const settings = s
    ? html`<dl class="summary" data-jira-settings>${item('URL', html`<a href="${s.url}">${s.url}</a>`)}${item('Project', html`<code>${s.project}</code>`)}${item('Issue type', s.issueType)}${item('Credentials', html`<span data-auth="${s.auth}">${AUTH_TEXT[s.auth]}</span>`)}${item('Regression policy', s.regressionPolicy)}</dl>`
    : emptyState('Jira is not configured: set JIRA_URL, JIRA_PROJECT and JIRA_TOKEN (or JIRA_USER and JIRA_PASSWORD) in the hub\'s environment.');
  const c = v.jiraCheck;
  const result = c
    ? html`<div class="${c.ok ? 'notice' : 'error'}" role="status" data-jira-check="${c.ok ? 'ok' : 'failed'}"><p><strong>${c.ok ? 'Connection works' : 'Connection test failed'}</strong> <span class="muted small">— tested ${formatTime(c.at)} by ${c.by}</span></p>
${c.server ? html`<p>Jira ${c.server.version}${c.server.deploymentType ? html` (${c.server.deploymentType})` : ''}${c.server.title ? html`, “${c.server.title}”` : ''}; create metadata: ${c.server.createmeta}.</p>` : ''}
${c.user ? html`<p>Signed in as <code>${c.user}</code>${c.project ? html`; project ${c.project.key} (${c.project.name})` : ''}${c.issueType ? html`, issue type ${c.issueType.name}` : ''}.</p>` : ''}
${c.problems.length ? html`<ul class="problems">${c.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}</div>`
    : s ? html`<p class="muted">Not tested yet.</p>` : '';
  const form = s
    ? html`<form method="post" action="/admin/jira/check" class="inline">${csrfField(v.viewer)}<button type="submit">Test connection</button></form> <span class="muted small">Reads server info, the signed-in user, the project, the issue type and its required fields; changes nothing in Jira.</span>`
    : '';
  return html`${settings}${result}${form}`;
}

function audit(v: AdminView): SafeHtml {
  const filter = html`<form method="get" action="/admin" class="inline-form" role="search" aria-label="Filter the audit log"><div class="field"><label for="audit-action">Action</label><input id="audit-action" name="action" value="${v.auditAction}" placeholder="candidate.merge"></div><button type="submit">Filter</button></form>`;
  const table = v.audit.length
    ? html`<div class="table-wrap" tabindex="0"><table class="audit"><caption class="sr-only">Audit log</caption><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th></tr></thead><tbody>${v.audit.map(
        (e) => html`<tr><td>${formatTime(e.at)}</td><td>${e.actorName}</td><td><code>${e.action}</code></td><td>${e.targetType === 'candidate' && e.targetId ? html`<a href="/candidates/${e.targetId}">candidate ${shortId(e.targetId)}</a>` : `${e.targetType} ${e.targetId ? shortId(e.targetId) : ''}`}</td></tr>`,
      )}</tbody></table></div>`
    : emptyState('Nothing recorded yet.');
  return html`${filter}${table}`;
}

/** Administration: people and roles, API tokens, rig keys, Jira settings with a connection test, and the audit log. */
export function renderAdminPage(v: AdminView): string {
  const section = (id: string, title: string, body: SafeHtml) => html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${body}</section>`;
  return renderLayout({
    title: 'Administration',
    nav: 'admin',
    viewer: v.viewer,
    notice: v.notice,
    body: html`<h1>Administration</h1>
${v.secret ? html`<div class="notice" role="status"><p>${v.secret.what} — shown only now, copy it:</p><p><code class="secret">${v.secret.value}</code></p></div>` : ''}
<nav class="toc" aria-label="On this page"><ul><li><a href="#users">People and roles</a></li><li><a href="#tokens">API tokens</a></li><li><a href="#rig-keys">Rig keys</a></li><li><a href="#jira">Jira</a></li><li><a href="#audit">Audit log</a></li></ul></nav>
${section('users', 'People and roles', users(v))}
${section('tokens', 'API tokens', tokens(v))}
${section('rig-keys', 'Rig keys', rigKeys(v))}
${section('jira', 'Jira', jira(v))}
${section('audit', 'Audit log', audit(v))}`,
  });
}
