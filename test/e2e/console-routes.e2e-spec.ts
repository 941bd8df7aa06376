import { CONSOLE_CSP } from '../../libs/console-pages/src/layout';
import { FakeJira } from '../support/fake-jira';
import { candidateOf, seedConsole, type SeededConsole } from '../support/console-seed';
import { signIn } from '../support/sign-in';
import { startTestHub, TestHub } from '../support/test-hub';

describe('console routes', () => {
  let hub: TestHub;
  let seed: SeededConsole;
  const jira = new FakeJira({ token: 'jira-pat-secret' });

  beforeAll(async () => {
    await jira.start();
    hub = await startTestHub('consoleroutes', { JIRA_URL: jira.url, JIRA_TOKEN: 'jira-pat-secret', JIRA_SYNC_INTERVAL_MS: '3600000' });
    seed = await seedConsole(hub);
  });
  afterAll(async () => {
    await hub?.close();
    await jira.stop();
  });

  it('serves every page as HTML under the strict CSP, never cached', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    for (const path of ['/candidates', '/candidates?cpuVendor=AMD&sort=hot&limit=25', `/candidates/${amd}`, `/candidates/${amd}?reports=1`, '/hardware', '/hardware?diskKind=nvme', `/reports/${seed.reports.amd[0]}`, '/rigs']) {
      const res = await hub.as('viewer').get(path).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('<link rel="stylesheet" href="/assets/console.css">');
    }
    const stats = await hub.http.get('/stats').expect(200);
    expect(stats.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('serves its stylesheet and htmx from its own origin', async () => {
    const css = await hub.http.get('/assets/console.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('.table-wrap');
    const js = await hub.http.get('/assets/htmx.min.js').expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).toContain('htmx');
  });

  it('answers bad ids and unknown things with an HTML error page and the right status', async () => {
    const bad = await hub.as('viewer').get('/candidates/not-a-uuid').expect(400);
    expect(bad.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(bad.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const missing = await hub.as('viewer').get('/candidates/00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.text).toContain('candidate 00000000-0000-4000-8000-000000000000 not found');
    await hub.as('viewer').get('/reports/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('shows a refused filter back with its reason instead of results', async () => {
    const res = await hub.as('developer').get('/candidates?label=no-equals-sign').expect(200);
    expect(res.text).toContain('label filter is name=value');
    expect(res.text).toContain('value="no-equals-sign"');
    expect(res.text).not.toContain('data-candidate=');
  });

  it('lets only signed-in people read, and only QA change grouping', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const twin = await candidateOf(hub, seed.reports.amdTwin[0]);
    for (const path of ['/candidates?cpuVendor=AMD', `/candidates/${amd}`, '/hardware', `/reports/${seed.reports.amd[0]}`, '/rigs', '/admin']) {
      // A browser without a session is sent to sign in, and back afterwards.
      const anonymous = await hub.http.get(path).expect(303);
      expect(anonymous.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
      // A script with a wrong token is told so.
      await hub.http.get(path).set('Authorization', 'Bearer wrong').expect(401);
    }
    // Public: the statistics page and the console's own files.
    await hub.http.get('/stats').expect(200);
    await hub.http.get('/assets/console.css').expect(200);
    const before = await hub.snapshot();
    for (const role of ['viewer', 'developer'] as const) {
      const page = await hub.as(role).get(`/candidates/${amd}`).expect(200);
      // An API token is named after its owner and itself.
      expect(page.text).toContain(`<div class="who"><span>${hub.people[role].username}/tests <span class="muted">(${role})</span>`);
      expect(page.text).not.toContain('Merge into this');
      expect(page.text).not.toContain('Split out');
      expect((await hub.as(role).get('/candidates').expect(200)).text).not.toContain('Merge selected');
      await hub.as(role).post(`/candidates/${amd}/merge`).type('form').send({ sourceId: twin }).expect(403);
      await hub.as(role).post(`/candidates/${amd}/split`).type('form').send({ reportId: seed.reports.amd[0] }).expect(403);
      await hub.as(role).post('/candidates/merge').type('form').send(`ids=${amd}&ids=${twin}`).expect(403);
    }
    await hub.http.post(`/candidates/${amd}/merge`).type('form').send({ sourceId: twin }).expect(401);
    expect(await hub.snapshot()).toEqual(before);
    const qa = await hub.as('qa').get(`/candidates/${amd}`).expect(200);
    expect(qa.text).toContain('Merge into this');
    expect(qa.text).toContain('Split out');
  });

  it('a signed-in person: forms carry the session CSRF token; a form without it or with another is refused and changes nothing', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const twin = await candidateOf(hub, seed.reports.amdTwin[0]);
    const qa = await signIn(hub, 'qa');
    const page = await qa.agent.get(`/candidates/${amd}`).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(token).toBeDefined();
    // Every POST form on the page carries it, sign-out included.
    const forms = page.text.match(/<form method="post"[^>]*>/g) ?? [];
    expect(forms.length).toBeGreaterThan(2);
    expect(page.text.match(new RegExp(`name="_csrf" value="${token}"`, 'g'))).toHaveLength(forms.length);
    const before = await hub.snapshot();
    await qa.agent.post(`/candidates/${amd}/merge`).type('form').send({ sourceId: twin }).expect(403);
    await qa.agent.post(`/candidates/${amd}/merge`).type('form').send({ sourceId: twin, _csrf: `${token}x` }).expect(403);
    expect(await hub.snapshot()).toEqual(before);
    // Signed-in pages are never cached, the statistics page included.
    expect((await qa.agent.get('/stats').expect(200)).headers['cache-control']).toBe('private, no-store');
    expect((await hub.http.get('/stats').expect(200)).headers['cache-control']).toBe('public, max-age=300');
    // Sign out ends the session: the console sends the browser back to sign in.
    await qa.agent.post('/sign-out').type('form').send({ _csrf: token }).expect(303);
    expect((await qa.agent.get('/candidates').expect(303)).headers.location).toBe('/sign-in?next=%2Fcandidates');
  });

  it('refuses malformed forms with 400 and changes nothing', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const before = await hub.snapshot();
    await hub.as('qa').post(`/candidates/${amd}/merge`).type('form').send({ sourceId: 'nope' }).expect(400);
    await hub.as('qa').post(`/candidates/${amd}/split`).type('form').send({}).expect(400);
    await hub.as('qa').post('/candidates/merge').type('form').send({ ids: amd }).expect(400);
    expect(await hub.snapshot()).toEqual(before);
  });

  it('merges selected candidates with POST-redirect-GET into the one with the most reports', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const twin = await candidateOf(hub, seed.reports.amdTwin[0]);
    const res = await hub.as('qa').post('/candidates/merge').type('form').send(`ids=${twin}&ids=${amd}`).expect(303);
    expect(res.headers.location).toBe(`/candidates/${amd}?done=merged-selected`);
    expect(await candidateOf(hub, seed.reports.amdTwin[0])).toBe(amd);
    const page = await hub.as('qa').get(res.headers.location).expect(200);
    expect(page.text).toContain('Merged the selected candidates');
    expect(page.text).toContain(`data-reports="${seed.reports.amd.length + seed.reports.amdTwin.length}"`);
    const audit: Array<{ action: string; actor_name: string }> = await hub.db.query(`SELECT action, actor_name FROM audit_event WHERE action = 'candidate.merge'`);
    expect(audit).toEqual([{ action: 'candidate.merge', actor_name: `${hub.people.qa.username}/tests` }]);
  });

  it('mutes selected candidates from the queue, with POST-redirect-GET', async () => {
    const intel = await candidateOf(hub, seed.reports.intel[0]);
    const hostile = await candidateOf(hub, seed.reports.hostile[0]);
    await hub.as('developer').post('/candidates/mute').type('form').send(`ids=${intel}`).expect(403);
    const res = await hub.as('qa').post('/candidates/mute').type('form').send(`ids=${intel}&ids=${hostile}`).expect(303);
    expect(res.headers.location).toBe('/candidates?done=muted-selected');
    const states: Array<{ candidate_id: string; state: string }> = await hub.db.query('SELECT candidate_id, state FROM candidate_triage WHERE candidate_id = ANY($1::uuid[]) ORDER BY 1', [[intel, hostile]]);
    expect(states.map((r) => r.state)).toEqual(['muted', 'muted']);
    expect((await hub.as('viewer').get(`/candidates/${intel}`).expect(200)).text).toContain('data-state="muted"');
    // The muted tab lists them, the new tab no longer does; the JSON API filters alike.
    const listed = (text: string) => [...text.matchAll(/data-candidate="([^"]+)"/g)].map((m) => m[1]).sort();
    const mutedTab = await hub.as('viewer').get('/candidates?state=muted,ignored').expect(200);
    expect(listed(mutedTab.text)).toEqual([intel, hostile].sort());
    expect(mutedTab.text).toMatch(/<a href="\/candidates\?state=muted%2Cignored" aria-current="page">Muted \/ ignored <span class="count">2<\/span>/);
    expect(listed((await hub.as('viewer').get('/candidates?state=new').expect(200)).text)).not.toContain(intel);
    const api = await hub.as('viewer').get('/api/v1/candidates?state=muted').expect(200);
    expect(api.body.items.map((i: { id: string }) => i.id).sort()).toEqual([intel, hostile].sort());
    const refused = await hub.as('viewer').get('/api/v1/candidates?state=snoozed').expect(400);
    expect(JSON.stringify(refused.body)).toContain('state');
    await hub.as('qa').post(`/candidates/${intel}/unmute`).type('form').send({}).expect(303);
    expect((await hub.as('viewer').get(`/candidates/${intel}`).expect(200)).text).not.toContain('data-state="muted"');
  });

  it('splits with POST-redirect-GET to the new candidate', async () => {
    const intel = await candidateOf(hub, seed.reports.intel[0]);
    const res = await hub.as('qa').post(`/candidates/${intel}/split`).type('form').send({ reportId: seed.reports.intelVariant[0] }).expect(303);
    const created = await candidateOf(hub, seed.reports.intelVariant[0]);
    expect(created).not.toBe(intel);
    expect(res.headers.location).toBe(`/candidates/${created}?done=split`);
  });

  it('administration: admins only; adds a person with a password shown once, revokes a token, lists the audit log', async () => {
    await hub.http.get('/admin').set('Authorization', 'Bearer wrong').expect(401);
    for (const role of ['viewer', 'developer', 'qa'] as const) {
      await hub.as(role).get('/admin').expect(403);
      await hub.as(role).post('/admin/users').type('form').send({ username: 'mallory', role: 'admin' }).expect(403);
    }
    const page = await hub.as('admin').get('/admin').expect(200);
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    for (const role of ['viewer', 'developer', 'qa', 'admin']) expect(page.text).toContain(`data-user="test-${role}"`);

    const added = await hub.as('admin').post('/admin/users').type('form').send({ username: 'new-dev', role: 'developer' }).expect(201);
    const password = /<code class="secret">([^<]+)<\/code>/.exec(added.text)?.[1];
    expect(password).toBeDefined();
    expect(added.text).toContain('data-user="new-dev"');
    // Shown once: the next view of the page does not carry it.
    expect((await hub.as('admin').get('/admin').expect(200)).text).not.toContain(password!);
    await hub.as('admin').post('/admin/users').type('form').send({ username: 'bad name!', role: 'developer' }).expect(400);

    await hub.as('viewer').get('/candidates').expect(200);
    const tokens: Array<{ id: string }> = await hub.db.query('SELECT id FROM api_token WHERE user_id = $1', [hub.people.viewer.id]);
    const revoked = await hub.as('admin').post('/admin/tokens/revoke').type('form').send({ id: tokens[0].id }).expect(303);
    expect(revoked.headers.location).toBe('/admin?done=token-revoked#tokens');
    await hub.as('viewer').get('/candidates').expect(401);

    const log = await hub.as('admin').get('/admin?action=api-token.revoke').expect(200);
    expect(log.text).toContain('<code>api-token.revoke</code>');
    expect(log.text).not.toContain('<code>user.add</code>');
  });

  it('administration: shows the configured Jira without its secret, and tests the connection (admins only, CSRF, audited)', async () => {
    const before = await hub.as('admin').get('/admin').expect(200);
    expect(before.text).toContain(`<a href="${jira.url}">${jira.url}</a>`);
    expect(before.text).toContain('<code>OVZ</code>');
    expect(before.text).toContain('data-auth="token"');
    expect(before.text).toContain('Not tested yet.');
    expect(before.text).not.toContain('jira-pat-secret');
    // (The viewer's token was revoked by the test before.)
    for (const role of ['developer', 'qa'] as const) await hub.as(role).post('/admin/jira/check').type('form').send({}).expect(403);
    const served = jira.requests.length;

    // A signed-in admin's form: refused without the session's CSRF token, answered with a redirect with it.
    const browser = await signIn(hub, 'admin');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.agent.get('/admin').expect(200)).text)?.[1];
    await browser.agent.post('/admin/jira/check').type('form').send({}).expect(403);
    expect(jira.requests.length).toBe(served);
    const res = await browser.agent.post('/admin/jira/check').type('form').send({ _csrf: csrf }).expect(303);
    expect(res.headers.location).toBe('/admin?done=jira-checked#jira');
    expect(jira.requests.map((r) => r.path)).toContain('/rest/api/2/myself');
    const ok = await browser.agent.get(res.headers.location).expect(200);
    expect(ok.text).toContain('data-jira-check="ok"');
    expect(ok.text).toContain(`Jira ${jira.version}`);
    expect(ok.text).toContain('Signed in as <code>crashhub</code>');
    expect(ok.text).toContain(`by ${hub.people.admin.username}`);

    // Jira refusing the credentials: the next test shows why, and both tests are in the audit trail.
    jira.failNext(1, 401, undefined, /^GET \/rest\/api\/2\/myself/, { errorMessages: ['You are not authenticated.'], errors: {} });
    await browser.agent.post('/admin/jira/check').type('form').send({ _csrf: csrf }).expect(303);
    const failed = await browser.agent.get('/admin').expect(200);
    expect(failed.text).toContain('data-jira-check="failed"');
    expect(failed.text).toContain('You are not authenticated.');
    const audit: Array<{ actor_name: string; ok: boolean }> = await hub.db.query(
      `SELECT actor_name, (after->>'ok')::boolean AS ok FROM audit_event WHERE action = 'jira.connection-check' ORDER BY id`,
    );
    expect(audit).toEqual([{ actor_name: hub.people.admin.username, ok: true }, { actor_name: hub.people.admin.username, ok: false }]);
  });
});
