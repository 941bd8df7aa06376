import { randomUUID } from 'node:crypto';
import { host, sendProfile } from '../support/crash-hardware-fixtures';
import { FakeJira } from '../support/fake-jira';
import { plantCrash } from '../support/qa-crashes';
import { startTestHub, TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

const rig = (name: string, run: string) => ({ rig: name, test_run: run, build: '7.0.12-45', test_name: 'migrate' });

describe('automatic filing for test rigs (real hub, fake Jira)', () => {
  let jira: FakeJira;
  let hub: TestHub;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    jira = new FakeJira({ token: 'pat' });
    await jira.start();
    hub = await startTestHub('qa_auto_filing', { JIRA_URL: jira.url, JIRA_TOKEN: 'pat', AUTO_FILING: 'on', JIRA_SYNC_INTERVAL_MS: '3600000' });

    // A real bug: two rigs, two runs, different machines.
    ids.bug = (await plantCrash(hub, { tag: 'rigbug', version: '7.0.12', labels: rig('rig-a', 'run-1') })).candidateId;
    await plantCrash(hub, { tag: 'rigbug', version: '7.0.12', labels: rig('rig-b', 'run-2') });
    // Likely bad hardware: every crash on one CPU model, two hosts.
    const broken = [1, 2].map((n) => host(`flaky-${n}`, { cpu: { vendor: 'GenuineIntel', model: 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz', logicalCpus: 8 }, memoryMiB: 16_000, disks: ['ssd'], cgroup: 'v2' }));
    for (const h of broken) await sendProfile(hub, h, new Date(Date.now() - 3_600_000));
    ids.hardware = (await plantCrash(hub, { tag: 'flaky', version: '7.0.12', hostId: broken[0]!.hostId, labels: rig('rig-c', 'run-3') })).candidateId;
    await plantCrash(hub, { tag: 'flaky', version: '7.0.12', hostId: broken[1]!.hostId, labels: rig('rig-d', 'run-4') });
    await plantCrash(hub, { tag: 'flaky', version: '7.0.12', hostId: broken[1]!.hostId, labels: rig('rig-d', 'run-5') });
    // Out of memory on two rigs.
    ids.oom = (await plantCrash(hub, { tag: 'oom', version: '7.0.12', reason: 'MemoryError: out of memory', labels: rig('rig-a', 'run-1') })).candidateId;
    await plantCrash(hub, { tag: 'oom', version: '7.0.12', reason: 'MemoryError: out of memory', labels: rig('rig-b', 'run-2') });
    // One rig, one run: not enough.
    ids.single = (await plantCrash(hub, { tag: 'single', version: '7.0.12', labels: rig('rig-a', 'run-1') })).candidateId;
  });
  afterAll(async () => {
    await hub.close();
    await jira.stop();
  });

  const run = async (dryRun: boolean) => (await hub.as('qa').post('/api/v1/qa/auto-filing/run').send({ dryRun }).expect(200)).body;

  it('dry run lists what it would file and skip, and files nothing', async () => {
    const result = await run(true);
    expect(result.rule).toBe('crashhub-autofile-v1');
    expect(result.wouldFile).toEqual([{ candidateId: ids.bug, reason: 'seen on 2 rigs, 2 test runs' }]);
    const skipped = Object.fromEntries(result.skipped.map((s: { candidateId: string; reason: string }) => [s.candidateId, s.reason]));
    expect(skipped[ids.hardware]).toMatch(/^likely bad hardware: 100% of crashes on CPU "Intel\(R\) Xeon\(R\) CPU E5-2680 v4 @ 2.40GHz" among 2 hosts$/);
    expect(skipped[ids.oom]).toBe('out-of-memory crash');
    expect(skipped[ids.single]).toMatch(/^seen on 1 rigs and 1 test runs/);
    expect(result.filed).toEqual([]);
    expect(jira.issues.size).toBe(0);
    expect((await hub.db.query('SELECT count(*)::int AS n FROM ticket_filing'))[0].n).toBe(0);
  });

  it('files the rig cluster once, labelled with the rule version; a rerun files nothing more', async () => {
    const result = await run(false);
    expect(result.filed).toHaveLength(1);
    const filingId = result.filed[0].filingId;
    const done = await waitFor(async () => {
      const f = (await hub.as('qa').get(`/api/v1/qa/filings/${filingId}`).expect(200)).body;
      return f.state === 'done' ? f : undefined;
    }, 20_000, 'auto filing');
    const issue = jira.issues.get(done.issueKey)!;
    expect(issue.fields.labels).toEqual([`crash-${ids.bug}`, 'crashhub-autofile-v1']);
    expect(jira.issues.size).toBe(1);
    const view = (await hub.as('qa').get(`/api/v1/candidates/${ids.bug}/triage`).expect(200)).body;
    expect(view.state).toBe('ticketed');
    expect(view.log.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`)).toEqual(expect.arrayContaining(['auto-filing:ticket-requested', 'auto-filing:ticket-created']));

    const again = await run(false);
    expect(again.wouldFile).toEqual([]);
    expect(again.skipped.find((s: { candidateId: string }) => s.candidateId === ids.bug).reason).toBe('already ticketed');
    expect(jira.issues.size).toBe(1);
    expect(issue.comments).toEqual([]);
  });

  it('a new test run reproducing the ticketed cluster gets one comment naming run, build and rig', async () => {
    await plantCrash(hub, { tag: 'rigbug', version: '7.0.12', hostId: randomUUID(), labels: { rig: 'rig-z', test_run: 'run-9', build: '7.0.12-46' } });
    const result = await run(false);
    expect(result.testRunComments).toEqual([expect.objectContaining({ candidateId: ids.bug, testRun: 'run-9', build: '7.0.12-46', rig: 'rig-z' })]);
    await run(false);
    const issue = [...jira.issues.values()][0]!;
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]!.body).toContain('*run-9*');
    expect(issue.comments[0]!.body).toContain('build 7.0.12-46, rig rig-z');
    const view = (await hub.as('qa').get(`/api/v1/candidates/${ids.bug}/triage`).expect(200)).body;
    expect(view.log.filter((e: { action: string }) => e.action === 'test-run-commented')).toHaveLength(1);
  });
});
