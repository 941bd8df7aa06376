import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'supertest';
import { ApiTokensService } from '../../apps/hub/src/access/api-tokens.service';
import { RigKeysService } from '../../apps/hub/src/access/rig-keys.service';
import { cepReport, newHostId, sendCepReport } from '../support/cep-report';
import { cpuData } from '../support/fleet-fixtures';
import { listRoutes } from '../support/routes';
import { startTestHub, TEST_ADMIN_TOKEN, TestHub } from '../support/test-hub';

const UREPORT = readFileSync(join(__dirname, '..', 'fixtures', 'upstream', 'faf', 'tests', 'sample_reports', 'ureport_python'));
const SYSTEM = { kind: 'system', name: 'access test' } as const;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Who calls: every kind of credential the issue names, good and bad. */
const CALLERS = [
  'anonymous',
  'viewer',
  'developer',
  'qa',
  'admin',
  'admin-token',
  'narrow-token',
  'expired-token',
  'revoked-token',
  'rig-bearer',
  'rig-basic',
  'host-key',
  'other-host-key',
] as const;
type Caller = (typeof CALLERS)[number];

/** What each route is meant to allow, written down here independently of the code's declarations. */
type Policy = 'public' | 'ingest' | 'host-key' | 'host-key-only' | 'viewer' | 'developer' | 'qa' | 'admin' | 'viewer-page' | 'admin-page';
const RANK = ['viewer', 'developer', 'qa', 'admin'];

interface Fixture {
  hostId: string;
  hostKey: string;
  otherHostKey: string;
  /** Hosts the admins erase, one each, so each erasure finds its host. */
  erasable: Record<string, string>;
  reportId: string;
  candidateId: string;
  bthash: string;
  secrets: Record<'narrow' | 'expired' | 'revoked' | 'rig', string>;
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The router's path pattern: the table must list exactly the routes the hub has. */
  route: string;
  policy: Policy;
  /** The status a caller the policy admits gets (bad bodies on purpose: writes are refused or validated, never applied). */
  ok: number;
  send(hub: TestHub, f: Fixture, caller: Caller): Test;
}

const docs = (route: string, ok = 200): RouteCase => ({ method: 'GET', route, policy: 'public', ok, send: (hub) => hub.http.get(route) });

const page = (route: string, path: (f: Fixture) => string, policy: Policy = 'viewer-page'): RouteCase => ({ method: 'GET', route, policy, ok: 200, send: (hub, f) => hub.http.get(path(f)) });
/** A console form posted with a body its schema refuses: admitted callers get 400, nothing is applied. */
const form = (route: string, path: (f: Fixture) => string, policy: Policy, body: Record<string, string> = {}, ok = 400): RouteCase => ({
  method: 'POST',
  route,
  policy,
  ok,
  send: (hub, f) => hub.http.post(path(f)).type('form').send(body),
});

const ROUTES: RouteCase[] = [
  page('/candidates', () => '/candidates'),
  page('/candidates/:id', (f) => `/candidates/${f.candidateId}`),
  page('/hardware', () => '/hardware?cpuVendor=AMD'),
  page('/reports/:id', (f) => `/reports/${f.reportId}`),
  page('/rigs', () => '/rigs'),
  page('/admin', () => '/admin', 'admin-page'),
  { method: 'GET', route: '/assets/console.css', policy: 'public', ok: 200, send: (hub) => hub.http.get('/assets/console.css') },
  { method: 'GET', route: '/assets/htmx.min.js', policy: 'public', ok: 200, send: (hub) => hub.http.get('/assets/htmx.min.js') },
  form('/candidates/merge', () => '/candidates/merge', 'qa'),
  form('/candidates/mute', () => '/candidates/mute', 'qa'),
  form('/candidates/:id/merge', (f) => `/candidates/${f.candidateId}/merge`, 'qa'),
  form('/candidates/:id/split', (f) => `/candidates/${f.candidateId}/split`, 'qa'),
  form('/candidates/:id/ticket', (f) => `/candidates/${f.candidateId}/ticket`, 'qa'),
  form('/candidates/:id/ticket/link', (f) => `/candidates/${f.candidateId}/ticket/link`, 'qa'),
  form('/candidates/:id/mute', (f) => `/candidates/${f.candidateId}/mute`, 'qa', { untilVersion: 'x'.repeat(201) }),
  form('/candidates/:id/unmute', () => `/candidates/${randomUUID()}/unmute`, 'qa', {}, 404),
  form('/admin/users', () => '/admin/users', 'admin'),
  form('/admin/users/disable', () => '/admin/users/disable', 'admin'),
  form('/admin/users/enable', () => '/admin/users/enable', 'admin'),
  form('/admin/tokens/revoke', () => '/admin/tokens/revoke', 'admin'),
  form('/admin/rig-keys/revoke', () => '/admin/rig-keys/revoke', 'admin'),
  // Runs the connection test (this hub has no Jira: a failed test) and redirects to its result.
  form('/admin/jira/check', () => '/admin/jira/check', 'admin', {}, 303),
  docs('/api/docs'),
  docs('/api/docs/'),
  docs('/api/docs/index.html'),
  docs('/api/docs/swagger-ui-init.js'),
  docs('/api/docs/docs/swagger-ui-init.js'),
  // Registered by the Swagger UI module, whose package ships no LICENSE file to serve.
  docs('/api/docs/LICENSE', 404),
  docs('/api/openapi.json'),
  docs('/api/docs-yaml'),
  { method: 'GET', route: '/health', policy: 'public', ok: 200, send: (hub) => hub.http.get('/health') },
  { method: 'GET', route: '/', policy: 'public', ok: 302, send: (hub) => hub.http.get('/').redirects(0) },
  { method: 'GET', route: '/stats', policy: 'public', ok: 200, send: (hub) => hub.http.get('/stats') },
  { method: 'GET', route: '/api/v1/stats', policy: 'public', ok: 200, send: (hub) => hub.http.get('/api/v1/stats') },
  { method: 'GET', route: '/api/v1/stats/live-servers', policy: 'public', ok: 200, send: (hub) => hub.http.get('/api/v1/stats/live-servers') },
  { method: 'GET', route: '/api/v1/stats/breakdowns', policy: 'public', ok: 200, send: (hub) => hub.http.get('/api/v1/stats/breakdowns') },
  { method: 'GET', route: '/api/v1/stats/breakdowns/:name', policy: 'public', ok: 200, send: (hub) => hub.http.get('/api/v1/stats/breakdowns/cpu-vendor') },
  { method: 'POST', route: '/reports/new', policy: 'ingest', ok: 400, send: (hub) => hub.http.post('/reports/new/').send({}) },
  { method: 'POST', route: '/reports/attach', policy: 'ingest', ok: 400, send: (hub) => hub.http.post('/reports/attach/').send({ type: 'url' }) },
  { method: 'POST', route: '/api/v1/crash-reports', policy: 'ingest', ok: 400, send: (hub) => hub.http.post('/api/v1/crash-reports').send({}) },
  {
    method: 'POST',
    route: '/api/v1/crash-archives',
    policy: 'ingest',
    ok: 400,
    send: (hub) => hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(Buffer.from('not gzip')),
  },
  { method: 'PUT', route: '/upload/:name', policy: 'ingest', ok: 400, send: (hub) => hub.http.put('/upload/x.tar.gz').set('content-type', 'application/gzip').send(Buffer.from('not gzip')) },
  { method: 'POST', route: '/api/v1/cep-reports', policy: 'ingest', ok: 400, send: (hub) => hub.http.post('/api/v1/cep-reports').set('content-type', 'application/gzip').send(Buffer.from('not gzip')) },
  { method: 'GET', route: '/api/v1/reports/:id', policy: 'ingest', ok: 200, send: (hub, f) => hub.http.get(`/api/v1/reports/${f.reportId}`) },
  { method: 'GET', route: '/api/v1/candidates', policy: 'viewer', ok: 200, send: (hub) => hub.http.get('/api/v1/candidates') },
  { method: 'GET', route: '/api/v1/candidates/by-hash/:hash', policy: 'viewer', ok: 200, send: (hub, f) => hub.http.get(`/api/v1/candidates/by-hash/${f.bthash}`) },
  { method: 'GET', route: '/api/v1/candidates/:id', policy: 'viewer', ok: 200, send: (hub, f) => hub.http.get(`/api/v1/candidates/${f.candidateId}`) },
  { method: 'GET', route: '/api/v1/candidates/:id/hardware', policy: 'viewer', ok: 200, send: (hub, f) => hub.http.get(`/api/v1/candidates/${f.candidateId}/hardware`) },
  {
    method: 'POST',
    route: '/api/v1/candidates/:id/merge',
    policy: 'qa',
    ok: 404,
    send: (hub, f) => hub.http.post(`/api/v1/candidates/${f.candidateId}/merge`).send({ sourceId: randomUUID() }),
  },
  {
    method: 'POST',
    route: '/api/v1/candidates/:id/split',
    policy: 'qa',
    ok: 404,
    send: (hub, f) => hub.http.post(`/api/v1/candidates/${f.candidateId}/split`).send({ reportId: randomUUID() }),
  },
  // QA workflow (no Jira configured here: reads answer, writes are refused or fail validation).
  { method: 'GET', route: '/api/v1/qa/jira/check', policy: 'qa', ok: 200, send: (hub) => hub.http.get('/api/v1/qa/jira/check') },
  { method: 'POST', route: '/api/v1/qa/jira/sync', policy: 'qa', ok: 200, send: (hub) => hub.http.post('/api/v1/qa/jira/sync') },
  { method: 'POST', route: '/api/v1/qa/jira/webhook/:secret', policy: 'public', ok: 404, send: (hub) => hub.http.post('/api/v1/qa/jira/webhook/guess').send({ issue: { key: 'OVZ-1' } }) },
  { method: 'POST', route: '/api/v1/qa/auto-filing/run', policy: 'qa', ok: 400, send: (hub) => hub.http.post('/api/v1/qa/auto-filing/run').send({ dryRun: 'yes' }) },
  { method: 'GET', route: '/api/v1/qa/filings/:id', policy: 'developer', ok: 404, send: (hub) => hub.http.get(`/api/v1/qa/filings/${randomUUID()}`) },
  { method: 'GET', route: '/api/v1/candidates/:id/ticket/preview', policy: 'developer', ok: 200, send: (hub, f) => hub.http.get(`/api/v1/candidates/${f.candidateId}/ticket/preview`) },
  { method: 'GET', route: '/api/v1/candidates/:id/ticket/create-form', policy: 'developer', ok: 422, send: (hub, f) => hub.http.get(`/api/v1/candidates/${f.candidateId}/ticket/create-form`) },
  { method: 'POST', route: '/api/v1/candidates/:id/ticket', policy: 'qa', ok: 400, send: (hub, f) => hub.http.post(`/api/v1/candidates/${f.candidateId}/ticket`).send({}) },
  { method: 'POST', route: '/api/v1/candidates/:id/ticket/link', policy: 'qa', ok: 422, send: (hub, f) => hub.http.post(`/api/v1/candidates/${f.candidateId}/ticket/link`).send({ issue: 'not a key' }) },
  { method: 'DELETE', route: '/api/v1/candidates/:id/ticket/:key', policy: 'qa', ok: 404, send: (hub, f) => hub.http.delete(`/api/v1/candidates/${f.candidateId}/ticket/OVZ-404`) },
  { method: 'GET', route: '/api/v1/candidates/:id/triage', policy: 'viewer', ok: 200, send: (hub, f) => hub.http.get(`/api/v1/candidates/${f.candidateId}/triage`) },
  { method: 'PUT', route: '/api/v1/candidates/:id/triage/manual', policy: 'qa', ok: 400, send: (hub, f) => hub.http.put(`/api/v1/candidates/${f.candidateId}/triage/manual`).send({ kind: 'bogus' }) },
  { method: 'DELETE', route: '/api/v1/candidates/:id/triage/manual', policy: 'qa', ok: 404, send: (hub) => hub.http.delete(`/api/v1/candidates/${randomUUID()}/triage/manual`) },
  // Scraping takes an admin or the metrics token; among these callers only the admins hold one.
  { method: 'GET', route: '/metrics', policy: 'admin', ok: 200, send: (hub) => hub.http.get('/metrics') },
  { method: 'GET', route: '/reports/bthash/:hash', policy: 'viewer', ok: 302, send: (hub, f) => hub.http.get(`/reports/bthash/${f.bthash}`).redirects(0) },
  { method: 'GET', route: '/api/v1/audit', policy: 'admin', ok: 200, send: (hub) => hub.http.get('/api/v1/audit') },
  { method: 'GET', route: '/sign-in', policy: 'public', ok: 200, send: (hub) => hub.http.get('/sign-in') },
  { method: 'POST', route: '/sign-in', policy: 'public', ok: 400, send: (hub) => hub.http.post('/sign-in').type('form').send({ username: 'x' }) },
  // Single sign-on is not configured on this hub: nothing to begin, no attempt to complete.
  { method: 'GET', route: '/sign-in/oidc', policy: 'public', ok: 404, send: (hub) => hub.http.get('/sign-in/oidc').redirects(0) },
  { method: 'GET', route: '/sign-in/oidc/callback', policy: 'public', ok: 400, send: (hub) => hub.http.get('/sign-in/oidc/callback?code=x&state=y') },
  { method: 'POST', route: '/sign-out', policy: 'viewer', ok: 303, send: (hub) => hub.http.post('/sign-out').redirects(0) },
  { method: 'GET', route: '/api/v1/session', policy: 'viewer', ok: 200, send: (hub) => hub.http.get('/api/v1/session') },
  { method: 'POST', route: '/api/v1/tokens', policy: 'viewer', ok: 400, send: (hub) => hub.http.post('/api/v1/tokens').send({ scope: 'viewer' }) },
  { method: 'GET', route: '/api/v1/tokens', policy: 'viewer', ok: 200, send: (hub) => hub.http.get('/api/v1/tokens') },
  { method: 'DELETE', route: '/api/v1/tokens/:id', policy: 'viewer', ok: 404, send: (hub) => hub.http.delete(`/api/v1/tokens/${randomUUID()}`) },
  { method: 'POST', route: '/api/v1/rig-keys', policy: 'admin', ok: 400, send: (hub) => hub.http.post('/api/v1/rig-keys').send({ labels: {} }) },
  { method: 'GET', route: '/api/v1/rig-keys', policy: 'admin', ok: 200, send: (hub) => hub.http.get('/api/v1/rig-keys') },
  { method: 'DELETE', route: '/api/v1/rig-keys/:id', policy: 'admin', ok: 404, send: (hub) => hub.http.delete(`/api/v1/rig-keys/${randomUUID()}`) },
  { method: 'GET', route: '/api/v1/hosts/:id', policy: 'host-key', ok: 200, send: (hub, f) => hub.http.get(`/api/v1/hosts/${f.hostId}`) },
  {
    method: 'PUT',
    route: '/api/v1/hosts/:id/erasure-key',
    policy: 'host-key-only',
    ok: 200,
    // Rotates to the same key, so the callers after it find the host as before.
    send: (hub, f) => hub.http.put(`/api/v1/hosts/${f.hostId}/erasure-key`).send({ erasureKeyHash: sha256(f.hostKey) }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/hosts/:id',
    policy: 'host-key',
    ok: 200,
    // Each erasing caller erases a host of its own; the host's own key erases the host last.
    send: (hub, f, caller) => hub.http.delete(`/api/v1/hosts/${f.erasable[caller] ?? f.hostId}`),
  },
];

/** The status the issue's rules give a caller on a route of this policy. */
function expected(declared: Policy, caller: Caller, ok: number): number {
  // Console pages send a browser without any credential to sign in (303); otherwise they are role routes.
  if (declared === 'viewer-page' || declared === 'admin-page') {
    if (caller === 'anonymous') return 303;
  }
  const policy = declared === 'viewer-page' ? 'viewer' : declared === 'admin-page' ? 'admin' : declared;
  const rejectedCredential = caller === 'expired-token' || caller === 'revoked-token';
  if (policy === 'public') return ok;
  if (rejectedCredential) return 401;
  if (policy === 'ingest') return ok;
  if (policy === 'host-key' || policy === 'host-key-only') {
    if (caller === 'host-key' || (policy === 'host-key' && (caller === 'admin' || caller === 'admin-token'))) return ok;
    // Without a bearer there is nothing to check; with a wrong one the host looks exactly like an unknown one.
    return caller === 'anonymous' || caller === 'rig-basic' ? 401 : 404;
  }
  const role = { viewer: 'viewer', developer: 'developer', qa: 'qa', admin: 'admin', 'admin-token': 'admin', 'narrow-token': 'viewer' }[caller as string];
  if (!role) return caller === 'rig-bearer' || caller === 'rig-basic' ? 403 : 401;
  return RANK.indexOf(role) >= RANK.indexOf(policy) ? ok : 403;
}

function authorize(req: Test, caller: Caller, hub: TestHub, f: Fixture): Test {
  switch (caller) {
    case 'anonymous':
      return req;
    case 'viewer':
    case 'developer':
    case 'qa':
    case 'admin':
      return req.set('authorization', `Bearer ${hub.people[caller].token}`);
    case 'admin-token':
      return req.set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
    case 'narrow-token':
      return req.set('authorization', `Bearer ${f.secrets.narrow}`);
    case 'expired-token':
      return req.set('authorization', `Bearer ${f.secrets.expired}`);
    case 'revoked-token':
      return req.set('authorization', `Bearer ${f.secrets.revoked}`);
    case 'rig-bearer':
      return req.set('authorization', `Bearer ${f.secrets.rig}`);
    case 'rig-basic':
      // How stock reporter-upload sends it: the key as the password of a URL's credentials.
      return req.auth('rig', f.secrets.rig);
    case 'host-key':
      return req.set('authorization', `Bearer ${f.hostKey}`);
    case 'other-host-key':
      return req.set('authorization', `Bearer ${f.otherHostKey}`);
  }
}

async function makeHost(hub: TestHub, key: string): Promise<string> {
  const hostId = newHostId();
  const report = await cepReport({ hostId, createdAt: new Date(), collectors: { cpu: cpuData() }, erasureKey: key });
  expect((await sendCepReport(hub, report)).status).toBe('processed');
  return hostId;
}

describe('who may call what: every route × every kind of caller', () => {
  let hub: TestHub;
  let f: Fixture;

  beforeAll(async () => {
    hub = await startTestHub('access');
    const tokens = hub.app().get(ApiTokensService);
    const admin = { id: hub.people.admin.id, role: 'admin' as const };
    const narrow = await tokens.issue(SYSTEM, admin, { name: 'narrow', scope: 'viewer', expiresInDays: 1 });
    const expired = await tokens.issue(SYSTEM, admin, { name: 'expired', scope: 'admin', expiresInDays: 1 });
    await hub.db.query(`UPDATE api_token SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    const revoked = await tokens.issue(SYSTEM, admin, { name: 'revoked', scope: 'admin', expiresInDays: 1 });
    await tokens.revoke(SYSTEM, null, revoked.id);
    const rig = await hub.app().get(RigKeysService).issue(SYSTEM, { rigName: 'rig-7', labels: { test_rig: 'rig-7' } });

    const accepted = await hub.http.post('/reports/new/').attach('file', UREPORT, 'ureport.json').expect(202);
    const reportId = (accepted.body.reported_to[0].value as string).split('/').pop()!;
    await hub.settled(reportId);
    const [row] = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [reportId]);
    const hostKey = `owner-key-${randomUUID()}`;
    const otherHostKey = `other-key-${randomUUID()}`;
    const hostId = await makeHost(hub, hostKey);
    await makeHost(hub, otherHostKey);
    const erasable = {
      admin: await makeHost(hub, `e1-${randomUUID()}`),
      'admin-token': await makeHost(hub, `e2-${randomUUID()}`),
    };
    f = {
      hostId,
      hostKey,
      otherHostKey,
      erasable,
      reportId,
      candidateId: row.candidate_id,
      bthash: accepted.body.bthash,
      secrets: { narrow: narrow.token, expired: expired.token, revoked: revoked.token, rig: rig.key },
    };
  }, 60_000);

  afterAll(async () => hub?.close());

  it('the table lists every route the hub answers, and nothing else', () => {
    const key = (r: { method: string; route?: string; path?: string }) => `${r.method} ${r.route ?? r.path}`;
    expect(listRoutes(hub.hub).map(key).sort()).toEqual(ROUTES.map(key).sort());
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.route}`, r] as const))('%s', async (_, route) => {
    const seen: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const caller of CALLERS) {
      const status = expected(route.policy, caller, route.ok);
      const refusedWrite = route.method !== 'GET' && status !== route.ok;
      const before = refusedWrite ? await hub.snapshot() : undefined;
      const res = await authorize(route.send(hub, f, caller), caller, hub, f);
      seen[caller] = res.status;
      want[caller] = status;
      if (before) expect({ caller, tables: await hub.snapshot() }).toEqual({ caller, tables: before });
    }
    expect(seen).toEqual(want);
  });
});
