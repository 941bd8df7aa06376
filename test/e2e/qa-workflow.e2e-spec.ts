import { randomUUID } from 'node:crypto';
import { Clock } from '../../apps/hub/src/qa/clock';
import { FakeJira } from '../support/fake-jira';
import { plantCrash } from '../support/qa-crashes';
import { startTestHub, TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

const PAT = 'jira-pat-for-the-hub';
const DAY = 86_400_000;

describe('QA workflow: Jira tickets, triage states and sync (real hub, fake Jira)', () => {
  let jira: FakeJira;
  let hub: TestHub;
  let clock: jest.SpyInstance<Date, []>;
  let now = Date.now();

  beforeAll(async () => {
    jira = new FakeJira({ token: PAT, version: '9.12.2' });
    await jira.start();
    hub = await startTestHub('qa_workflow', {
      JIRA_URL: jira.url,
      JIRA_TOKEN: PAT,
      HUB_PUBLIC_URL: 'https://crash-hub.example',
      TRIAGE_VERIFY_DAYS: '7',
      JIRA_SYNC_INTERVAL_MS: '3600000',
      JIRA_WEBHOOK_SECRET: 'webhook-secret-0123456789',
    });
    clock = jest.spyOn(hub.hub.app.get(Clock), 'now').mockImplementation(() => new Date(now));
    // Jira and the hub share one moved clock, as real servers share real time.
    jira.now = () => new Date(now);
  });
  afterAll(async () => {
    clock.mockRestore();
    await hub.close();
    await jira.stop();
  });

  const triage = async (id: string) => (await hub.as('qa').get(`/api/v1/candidates/${id}/triage`).expect(200)).body;
  const sync = async () => (await hub.as('qa').post('/api/v1/qa/jira/sync').expect(200)).body;
  const fileTicket = async (id: string, requestId = randomUUID()) =>
    (await hub.as('qa').post(`/api/v1/candidates/${id}/ticket`).send({ requestId }).expect(202)).body;
  const filingDone = (filingId: string) =>
    waitFor(async () => {
      const f = (await hub.as('qa').get(`/api/v1/qa/filings/${filingId}`).expect(200)).body;
      return f.state !== 'pending' ? f : undefined;
    }, 20_000, `filing ${filingId}`);
  const issuesLabelled = (id: string) => jira.created().filter((i) => i.fields.labels.includes(`crash-${id}`));
  async function ticketed(tag: string) {
    const { candidateId } = await plantCrash(hub, { tag, version: '7.0.11' });
    const filing = await fileTicket(candidateId);
    const done = await filingDone(filing.filingId);
    return { candidateId, key: done.issueKey as string };
  }

  it('jira check reports server, project, issue type and required fields', async () => {
    const res = await hub.as('qa').get('/api/v1/qa/jira/check').expect(200);
    expect(res.body).toMatchObject({
      ok: true,
      server: { version: '9.12.2', createmeta: 'paged' },
      project: { key: 'OVZ', id: '10000' },
      issueType: { id: '1', name: 'Bug' },
      unfilledRequired: [],
      problems: [],
    });
    expect(res.body.requiredFields).toEqual(expect.arrayContaining(['summary', 'issuetype', 'project']));
  });

  it('preview then create: the issue holds exactly the previewed fields; back-link, label, triage log', async () => {
    const hostA = randomUUID();
    await plantCrash(hub, { tag: 'alpha', version: '7.0.12', release: '45.vz9', hostId: hostA });
    await plantCrash(hub, { tag: 'alpha', version: '7.0.12', release: '45.vz9', hostId: randomUUID(), labels: { rig: 'rig-1', test_run: 'run-1', build: '7.0.12-45' } });
    const { candidateId } = await plantCrash(hub, { tag: 'alpha', version: '7.0.13', release: '1.vz9', hostId: hostA });

    const preview = (await hub.as('qa').get(`/api/v1/candidates/${candidateId}/ticket/preview`).expect(200)).body;
    expect(preview.fields).toMatchObject({
      project: { key: 'OVZ' },
      issuetype: { id: '1' },
      labels: [`crash-${candidateId}`],
      components: [{ name: 'vzctl' }],
      versions: [{ name: '7.0.12' }, { name: '7.0.13' }],
    });
    expect(preview.summary).toBe('Python crash in alpha_handler (vzctl)');
    expect(preview.description).toContain('||Reports|3 (field 2, rigs 1)|');
    expect(preview.description).toContain('||Distinct hosts|2 (field 1, rigs 1)|');
    expect(preview.description).toContain(`alpha_handler at /usr/lib/python3.9/site-packages/vzctl/alpha.py:`);
    expect(preview.description).toContain(`https://crash-hub.example/candidates/${candidateId}`);

    const filing = await fileTicket(candidateId);
    expect(filing.state).toBe('pending');
    const done = await filingDone(filing.filingId);
    expect(done).toMatchObject({ state: 'done', outcome: 'created', requestedBy: 'test-qa/tests' });
    const issue = jira.issues.get(done.issueKey)!;
    for (const [field, value] of Object.entries(preview.fields)) expect(issue.fields[field]).toEqual(value);
    expect(issue.remoteLinks).toEqual([
      expect.objectContaining({ globalId: `crashhub:candidate:${candidateId}`, object: expect.objectContaining({ url: `https://crash-hub.example/candidates/${candidateId}` }) }),
    ]);

    const view = await triage(candidateId);
    expect(view.state).toBe('ticketed');
    expect(view.tickets).toEqual([expect.objectContaining({ key: done.issueKey, origin: 'created', status: 'Open', linkedBy: 'test-qa/tests' })]);
    const actions = view.log.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['test-qa/tests:ticket-requested', 'test-qa/tests:ticket-created']));
    for (const entry of view.log) expect(Date.parse(entry.at)).toBeGreaterThan(0);

    // A second create (new request) answers with the ticket instead of filing again.
    const again = await fileTicket(candidateId);
    expect(again).toEqual({ state: 'linked', issueKey: done.issueKey, filingId: null });
    expect(issuesLabelled(candidateId)).toHaveLength(1);
  });

  it('two concurrent creates and a repeated request id give one ticket', async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'beta', version: '7.0.12' });
    const requestId = randomUUID();
    const answers = await Promise.all([fileTicket(candidateId, requestId), fileTicket(candidateId), fileTicket(candidateId, requestId), fileTicket(candidateId)]);
    // Each answer is the one filing, or (when that filing finished first) the ticket it made.
    const filingIds = new Set(answers.map((a) => a.filingId).filter(Boolean));
    expect(filingIds.size).toBe(1);
    const done = await filingDone([...filingIds][0]);
    for (const a of answers.filter((x) => !x.filingId)) expect(a).toEqual({ state: 'linked', issueKey: done.issueKey, filingId: null });
    expect(issuesLabelled(candidateId)).toHaveLength(1);
    expect((await hub.db.query('SELECT count(*)::int AS n FROM ticket_filing WHERE candidate_id = $1', [candidateId]))[0].n).toBe(1);
  });

  it('Jira answering 503 then recovering gives exactly one ticket', async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'gamma', version: '7.0.12' });
    // Down from before the request: the check sees it (and drops cached metadata), the request is still accepted.
    jira.unavailable(3);
    const check = (await hub.as('qa').get('/api/v1/qa/jira/check').expect(200)).body;
    expect(check).toMatchObject({ ok: false, problems: ['Jira answered 503: <html><body>Service Unavailable</body></html>'] });
    const filing = await fileTicket(candidateId);
    expect(filing.state).toBe('pending');
    const done = await filingDone(filing.filingId);
    expect(done.state).toBe('done');
    expect(done.attempts).toBeGreaterThanOrEqual(1);
    expect(done.lastError).toMatch(/503/);
    expect(issuesLabelled(candidateId)).toHaveLength(1);
  });

  it('a create whose answer was lost finds the issue by its label and links it instead of filing twice', async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'delta', version: '7.0.12' });
    // Jira created the issue but the hub never heard back: the issue exists with the label.
    const orphan = jira.addIssue('made by an earlier attempt', [`crash-${candidateId}`]);
    const done = await filingDone((await fileTicket(candidateId)).filingId);
    expect(done).toMatchObject({ state: 'done', outcome: 'linked', issueKey: orphan.key });
    expect(issuesLabelled(candidateId)).toHaveLength(1);
  });

  it("Jira refusing the create fails the filing with Jira's words, once; a later request can file again", async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'refused', version: '7.0.12' });
    jira.failNext(1, 400, undefined, /^POST \/rest\/api\/2\/issue$/, { errorMessages: [], errors: { components: "Component name 'vzctl' is not valid" } });
    const failed = await filingDone((await fileTicket(candidateId)).filingId);
    expect(failed).toMatchObject({ state: 'failed', issueKey: null, attempts: 1, lastError: "Jira answered 400: components: Component name 'vzctl' is not valid" });
    const log = (await triage(candidateId)).log.map((e: { actor: string; action: string; detail: { error?: string } }) => [e.actor, e.action, e.detail.error ?? null]);
    expect(log).toContainEqual(['test-qa/tests', 'ticket-failed', "Jira answered 400: components: Component name 'vzctl' is not valid"]);
    expect(issuesLabelled(candidateId)).toHaveLength(0);
    const retried = await filingDone((await fileTicket(candidateId)).filingId);
    expect(retried.state).toBe('done');
    expect(issuesLabelled(candidateId)).toHaveLength(1);
  });

  it('linking an issue Jira does not have is 404 with Jira\'s message, and links nothing', async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'ghost', version: '7.0.12' });
    const res = await hub.as('qa').post(`/api/v1/candidates/${candidateId}/ticket/link`).send({ issue: 'OVZ-99999' }).expect(404);
    expect(res.body).toMatchObject({ message: 'Jira answered 404: Issue Does Not Exist', jira: { status: 404, errorMessages: ['Issue Does Not Exist'] } });
    expect((await triage(candidateId)).tickets).toEqual([]);
  });

  it('links an existing issue by URL or key; two candidates share one ticket; a merge carries links', async () => {
    const shared = jira.addIssue('vzctl crashes on migrate');
    const a = (await plantCrash(hub, { tag: 'eps', version: '7.0.12' })).candidateId;
    const b = (await plantCrash(hub, { tag: 'zeta', version: '7.0.12' })).candidateId;
    const c = (await plantCrash(hub, { tag: 'eta', version: '7.0.12' })).candidateId;
    await hub.as('qa').post(`/api/v1/candidates/${a}/ticket/link`).send({ issue: `${jira.url}/browse/${shared.key}` }).expect(200);
    const viewB = (await hub.as('qa').post(`/api/v1/candidates/${b}/ticket/link`).send({ issue: shared.key }).expect(200)).body;
    expect(viewB).toMatchObject({ state: 'ticketed', tickets: [expect.objectContaining({ key: shared.key, origin: 'linked' })] });
    expect(shared.remoteLinks.map((l) => l.globalId).sort()).toEqual([`crashhub:candidate:${a}`, `crashhub:candidate:${b}`].sort());
    await hub.as('qa').post(`/api/v1/candidates/${a}/ticket/link`).send({ issue: 'not a key' }).expect(422);

    await hub.as('qa').post(`/api/v1/candidates/${c}/merge`).send({ sourceId: a }).expect(200);
    const viewC = await triage(c);
    expect(viewC.state).toBe('ticketed');
    expect(viewC.tickets).toEqual([expect.objectContaining({ key: shared.key, origin: 'merged' })]);
    expect(viewC.log.map((e: { action: string }) => e.action)).toContain('tickets-carried-by-merge');
    expect(await hub.db.query('SELECT * FROM candidate_ticket WHERE candidate_id = $1', [a])).toEqual([]);
  });

  it('Done + Fixed + fixVersion → fix pending → verified fixed after N quiet days → regressed once (one comment, one reopen)', async () => {
    const { candidateId, key } = await ticketed('theta');
    jira.resolve(key, 'Fixed', ['7.0.12']);
    await sync();
    expect(await triage(candidateId)).toMatchObject({ state: 'fix-pending', fixVersion: '7.0.12' });

    // An older build still crashing is not a regression.
    await plantCrash(hub, { tag: 'theta', version: '7.0.11', crashedAt: new Date(now + DAY) });
    now += 6 * DAY;
    await sync();
    expect((await triage(candidateId)).state).toBe('fix-pending');
    now += 1 * DAY;
    await sync();
    expect((await triage(candidateId)).state).toBe('verified-fixed');

    await plantCrash(hub, { tag: 'theta', version: '7.0.12', release: '50.vz9', crashedAt: new Date(now) });
    await sync();
    await sync();
    await sync();
    const view = await triage(candidateId);
    expect(view).toMatchObject({ state: 'regressed', regressionVersion: '7.0.12-50.vz9' });
    const issue = jira.issues.get(key)!;
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]!.body).toContain('7.0.12-50.vz9');
    expect(issue.fields.status.name).toBe('Reopened');
    expect(jira.requests.filter((r) => r.method === 'POST' && r.path === `/rest/api/2/issue/${key}/transitions`)).toHaveLength(1);
    const actions = view.log.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`);
    expect(actions.filter((a: string) => a === 'jira-sync:regression-commented')).toHaveLength(1);
    expect(actions.filter((a: string) => a === 'jira-sync:regression-reopened')).toHaveLength(1);
  });

  it.each([
    ["Won't Fix", 'wont-fix'],
    ['Duplicate', 'duplicate'],
    ['Cannot Reproduce', 'cannot-reproduce'],
  ])('a ticket closed as %s maps to %s, not fixed', async (resolution, state) => {
    const { candidateId, key } = await ticketed(`close-${state}`);
    jira.resolve(key, resolution, ['7.0.12']);
    await sync();
    expect(await triage(candidateId)).toMatchObject({ state, fixVersion: null });
  });

  it('a duplicate follows the ticket it duplicates', async () => {
    const { candidateId, key } = await ticketed('iota');
    const original = jira.addIssue('the original');
    jira.resolve(original.key, 'Fixed', ['7.0.13']);
    jira.resolve(key, 'Duplicate', [], original.key);
    await sync();
    expect(await triage(candidateId)).toMatchObject({ state: 'fix-pending', duplicateOf: original.key, ticketKey: original.key, fixVersion: '7.0.13' });
  });

  it('a muted candidate stays muted through sync; lifting it shows the synced state', async () => {
    const { candidateId, key } = await ticketed('kappa');
    await hub.as('qa').put(`/api/v1/candidates/${candidateId}/triage/manual`).send({ kind: 'muted' }).expect(200);
    jira.resolve(key, 'Fixed', ['7.0.12']);
    await sync();
    expect(await triage(candidateId)).toMatchObject({ state: 'muted', syncedState: 'fix-pending' });
    const lifted = (await hub.as('qa').delete(`/api/v1/candidates/${candidateId}/triage/manual`).expect(200)).body;
    expect(lifted.state).toBe('fix-pending');
    expect(lifted.log.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`)).toEqual(
      expect.arrayContaining(['test-qa/tests:set-muted', 'test-qa/tests:clear-manual']),
    );
  });

  it('shows "probably fixed in X" on a planted version history', async () => {
    const recent = new Date(now - DAY);
    const { candidateId } = await plantCrash(hub, { tag: 'lambda', component: 'prlctl', version: '7.0.10', crashedAt: recent });
    await plantCrash(hub, { tag: 'lambda', component: 'prlctl', version: '7.0.11', crashedAt: recent });
    // 7.0.12 is in use (another prlctl crash reports from it) and this candidate never crashed there.
    await plantCrash(hub, { tag: 'mu', component: 'prlctl', version: '7.0.12', crashedAt: recent });
    expect((await triage(candidateId)).probablyFixedIn).toEqual({ version: '7.0.12-1.vz9', stillReporting: ['7.0.10-1.vz9', '7.0.11-1.vz9'] });
  });

  it('the webhook with the right secret re-reads the issue; a wrong secret is 404', async () => {
    const { candidateId, key } = await ticketed('nu');
    jira.resolve(key, "Won't Fix");
    await hub.http.post('/api/v1/qa/jira/webhook/wrong-secret-0000000000').send({ issue: { key } }).expect(404);
    expect((await triage(candidateId)).state).toBe('ticketed');
    await hub.http.post('/api/v1/qa/jira/webhook/webhook-secret-0123456789').send({ webhookEvent: 'jira:issue_updated', issue: { key } }).expect(204);
    expect((await triage(candidateId)).state).toBe('wont-fix');
  });

  it('the prefilled create form carries summary, description and label for filing by hand', async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'xi', version: '7.0.12' });
    const { url } = (await hub.as('qa').get(`/api/v1/candidates/${candidateId}/ticket/create-form`).expect(200)).body;
    const form = new URL(url);
    expect(form.pathname).toBe('/secure/CreateIssueDetails!init.jspa');
    expect(form.searchParams.get('pid')).toBe('10000');
    expect(form.searchParams.get('issuetype')).toBe('1');
    expect(form.searchParams.get('labels')).toBe(`crash-${candidateId}`);
    expect(form.searchParams.get('summary')).toBe('Python crash in xi_handler (vzctl)');
  });

  it('automatic filing is off by default: a dry run lists, a real run is refused', async () => {
    const dry = (await hub.as('qa').post('/api/v1/qa/auto-filing/run').send({ dryRun: true }).expect(200)).body;
    expect(dry).toMatchObject({ dryRun: true, filed: [] });
    const refused = await hub.as('qa').post('/api/v1/qa/auto-filing/run').send({ dryRun: false }).expect(403);
    expect(refused.body.message).toContain('AUTO_FILING=on');
  });

  it('every QA action is refused without the qa role, changes nothing, and is audited with who when allowed', async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'omicron', version: '7.0.12' });
    const before = await hub.snapshot();
    const issuesBefore = jira.issues.size;
    type Call = (agent: ReturnType<TestHub['as']> | TestHub['http']) => import('supertest').Test;
    const actions: Call[] = [
      (a) => a.post(`/api/v1/candidates/${candidateId}/ticket`).send({ requestId: randomUUID() }),
      (a) => a.post(`/api/v1/candidates/${candidateId}/ticket/link`).send({ issue: 'OVZ-1' }),
      (a) => a.delete(`/api/v1/candidates/${candidateId}/ticket/OVZ-1`),
      (a) => a.put(`/api/v1/candidates/${candidateId}/triage/manual`).send({ kind: 'ignored' }),
      (a) => a.delete(`/api/v1/candidates/${candidateId}/triage/manual`),
      (a) => a.post('/api/v1/qa/jira/sync'),
      (a) => a.get('/api/v1/qa/jira/check'),
      (a) => a.post('/api/v1/qa/auto-filing/run').send({ dryRun: true }),
    ];
    for (const action of actions) {
      expect((await action(hub.http)).status).toBe(401);
      expect((await action(hub.as('viewer'))).status).toBe(403);
      expect((await action(hub.as('developer'))).status).toBe(403);
    }
    expect(await hub.snapshot()).toEqual(before);
    expect(jira.issues.size).toBe(issuesBefore);
    expect((await hub.db.query('SELECT count(*)::int AS n FROM triage_log WHERE candidate_id = $1', [candidateId]))[0].n).toBe(0);

    // Allowed: the act is in the triage log (who, when) and in the audit trail (who, before, after).
    await hub.as('qa').put(`/api/v1/candidates/${candidateId}/triage/manual`).send({ kind: 'ignored', untilVersion: '7.0.14' }).expect(200);
    const view = await triage(candidateId);
    expect(view.log).toEqual([{ at: expect.any(String), actor: 'test-qa/tests', action: 'set-ignored', detail: expect.objectContaining({ kind: 'ignored', untilVersion: '7.0.14', to: 'ignored' }) }]);
    const audit = (await hub.as('admin').get('/api/v1/audit').expect(200)).body.events.filter((e: { targetId: string }) => e.targetId === candidateId);
    expect(audit).toEqual([expect.objectContaining({ actorKind: 'token', actorName: 'test-qa/tests', action: 'triage.set-ignored' })]);
  });
});
