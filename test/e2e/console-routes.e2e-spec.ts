import { CONSOLE_CSP } from '../../libs/console-pages/src/layout';
import { candidateOf, seedConsole, type SeededConsole } from '../support/console-seed';
import { startTestHub, TestHub } from '../support/test-hub';

const ADMIN = { Authorization: 'Bearer console-routes-admin-token' };

describe('console routes', () => {
  let hub: TestHub;
  let seed: SeededConsole;

  beforeAll(async () => {
    hub = await startTestHub('consoleroutes', { ADMIN_TOKEN: 'console-routes-admin-token' });
    seed = await seedConsole(hub);
  });
  afterAll(async () => hub.close());

  it('serves every page as HTML under the strict CSP, never cached', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    for (const path of ['/candidates', '/candidates?cpuVendor=AMD&sort=hot&limit=25', `/candidates/${amd}`, `/candidates/${amd}?reports=1`, '/hardware', '/hardware?diskKind=nvme', `/reports/${seed.reports.amd[0]}`, '/rigs']) {
      const res = await hub.http.get(path).set(ADMIN).expect(200);
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
    const bad = await hub.http.get('/candidates/not-a-uuid').set(ADMIN).expect(400);
    expect(bad.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(bad.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const missing = await hub.http.get('/candidates/00000000-0000-4000-8000-000000000000').set(ADMIN).expect(404);
    expect(missing.text).toContain('candidate 00000000-0000-4000-8000-000000000000 not found');
    await hub.http.get('/reports/00000000-0000-4000-8000-000000000000').set(ADMIN).expect(404);
  });

  it('shows a refused filter back with its reason instead of results', async () => {
    const res = await hub.http.get('/candidates?label=no-equals-sign').set(ADMIN).expect(200);
    expect(res.text).toContain('label filter is name=value');
    expect(res.text).toContain('value="no-equals-sign"');
    expect(res.text).not.toContain('data-candidate=');
  });

  it('refuses malformed forms with 400 and changes nothing', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const before = await hub.snapshot();
    await hub.http.post(`/candidates/${amd}/merge`).set(ADMIN).type('form').send({ sourceId: 'nope' }).expect(400);
    await hub.http.post(`/candidates/${amd}/split`).set(ADMIN).type('form').send({}).expect(400);
    await hub.http.post('/candidates/merge').set(ADMIN).type('form').send({ ids: amd }).expect(400);
    expect(await hub.snapshot()).toEqual(before);
  });

  it('merges selected candidates with POST-redirect-GET into the one with the most reports', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const twin = await candidateOf(hub, seed.reports.amdTwin[0]);
    const res = await hub.http.post('/candidates/merge').set(ADMIN).type('form').send(`ids=${twin}&ids=${amd}`).expect(303);
    expect(res.headers.location).toBe(`/candidates/${amd}?done=merged-selected`);
    expect(await candidateOf(hub, seed.reports.amdTwin[0])).toBe(amd);
    const page = await hub.http.get(res.headers.location).set(ADMIN).expect(200);
    expect(page.text).toContain('Merged the selected candidates');
    expect(page.text).toContain(`data-reports="${seed.reports.amd.length + seed.reports.amdTwin.length}"`);
  });

  it('splits with POST-redirect-GET to the new candidate', async () => {
    const intel = await candidateOf(hub, seed.reports.intel[0]);
    const res = await hub.http.post(`/candidates/${intel}/split`).set(ADMIN).type('form').send({ reportId: seed.reports.intelVariant[0] }).expect(303);
    const created = await candidateOf(hub, seed.reports.intelVariant[0]);
    expect(created).not.toBe(intel);
    expect(res.headers.location).toBe(`/candidates/${created}?done=split`);
  });
});
