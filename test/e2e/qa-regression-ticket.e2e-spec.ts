import { Clock } from '../../apps/hub/src/qa/clock';
import { FakeJira } from '../support/fake-jira';
import { plantCrash } from '../support/qa-crashes';
import { startTestHub, TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

const DAY = 86_400_000;

/** JIRA_REGRESSION_POLICY=new-ticket on Jira 8.x: a regression files one linked "Regression of …" issue. */
describe('regression policy: a new linked ticket (real hub, fake Jira 8.x)', () => {
  let jira: FakeJira;
  let hub: TestHub;
  let now = Date.now();

  beforeAll(async () => {
    jira = new FakeJira({ version: '8.3.4', user: { name: 'crashhub', password: 'pw' } });
    await jira.start();
    jira.now = () => new Date(now);
    hub = await startTestHub('qa_regression_ticket', {
      JIRA_URL: jira.url,
      JIRA_USER: 'crashhub',
      JIRA_PASSWORD: 'pw',
      JIRA_REGRESSION_POLICY: 'new-ticket',
      JIRA_SYNC_INTERVAL_MS: '3600000',
    });
    jest.spyOn(hub.app().get(Clock), 'now').mockImplementation(() => new Date(now));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await hub.close();
    await jira.stop();
  });

  it('files one new issue linked to the candidate, leaves the fixed one closed, never twice', async () => {
    const { candidateId } = await plantCrash(hub, { tag: 'pi', version: '7.0.11' });
    const filing = (await hub.as('qa').post(`/api/v1/candidates/${candidateId}/ticket`).send({ requestId: 'first-click-0001' }).expect(202)).body;
    const done = await waitFor(async () => {
      const f = (await hub.as('qa').get(`/api/v1/qa/filings/${filing.filingId}`).expect(200)).body;
      return f.state === 'done' ? f : undefined;
    }, 20_000, 'filing');
    // Classic createmeta on Jira before 8.4.
    expect(jira.requests.some((r) => r.path.startsWith('/rest/api/2/issue/createmeta?projectKeys=OVZ'))).toBe(true);
    jira.resolve(done.issueKey, 'Fixed', ['7.0.12']);
    await hub.as('qa').post('/api/v1/qa/jira/sync').expect(200);

    now += DAY;
    await plantCrash(hub, { tag: 'pi', version: '7.0.12', release: '9.vz9', crashedAt: new Date(now) });
    for (let i = 0; i < 3; i++) await hub.as('qa').post('/api/v1/qa/jira/sync').expect(200);

    const regressions = jira.created().filter((i) => i.fields.summary.startsWith(`Regression of ${done.issueKey}:`));
    expect(regressions).toHaveLength(1);
    expect(regressions[0]!.fields.labels).toContain(`crash-${candidateId}`);
    expect(regressions[0]!.remoteLinks.map((l) => l.globalId)).toEqual([`crashhub:candidate:${candidateId}`]);
    const fixedIssue = jira.issues.get(done.issueKey)!;
    expect(fixedIssue.fields.status.name).toBe('Resolved');
    expect(fixedIssue.comments).toEqual([]);
    const view = (await hub.as('viewer').get(`/api/v1/candidates/${candidateId}/triage`).expect(200)).body;
    expect(view.state).toBe('regressed');
    expect(view.tickets.map((t: { key: string; origin: string }) => `${t.key}:${t.origin}`)).toEqual([`${done.issueKey}:created`, `${regressions[0]!.key}:regression`]);
    expect(view.log.filter((e: { action: string }) => e.action === 'regression-ticket-created')).toHaveLength(1);
  });
});
