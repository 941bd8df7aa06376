import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

const FIXTURES = join(__dirname, '..', 'fixtures');
const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

/** vmcore-dmesg.txt prints the oops with kernel timestamps in front of every line. */
const asVmcoreDmesg = (oops: string) =>
  oops
    .split('\n')
    .map((line, i) => `[ ${(1234.5 + i / 1000).toFixed(6)}] ${line}`)
    .join('\n');

const CASES: Array<{ type: string; family: string; component: string; elements: Record<string, string>}> = [
  {
    type: 'Python3',
    family: 'python',
    component: 'python3-example',
    elements: { component: 'python3-example', backtrace: read('upstream/satyr/tests/python_stacktraces/python-04') },
  },
  {
    type: 'Kerneloops',
    family: 'kerneloops',
    component: 'kernel',
    elements: { backtrace: read('upstream/abrt/tests/examples/oops1.right'), kernel: '2.6.35.13-91.fc14.x86_64' },
  },
  {
    type: 'vmcore',
    family: 'kerneloops',
    component: 'kernel',
    elements: { 'vmcore-dmesg.txt': asVmcoreDmesg(read('upstream/abrt/tests/examples/oops5.right')) },
  },
  {
    type: 'xorg',
    family: 'xorg',
    component: 'xorg-x11-server-Xorg',
    elements: { component: 'xorg-x11-server-Xorg', backtrace: read('upstream/abrt/tests/examples/xorg_journal_crash1.test') },
  },
  {
    type: 'Java',
    family: 'java',
    component: 'java-app',
    elements: { component: 'java-app', backtrace: read('upstream/satyr/tests/java_stacktraces/java-01') },
  },
  {
    type: 'anaconda',
    family: 'anaconda',
    component: 'anaconda',
    elements: { 'anaconda-tb': read('anaconda/anaconda-tb-bootloader-el9') },
  },
];

describe('every ABRT problem type through the hub', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('problemtypes');
  });
  afterAll(() => hub.close());

  it.each(CASES)('$type problem directory becomes a $family report', async ({ type, family, component, elements }) => {
    const res = await hub.http
      .post('/api/v1/crash-archives')
      .set('content-type', 'application/gzip')
      .send(problemDirArchive({ type, time: '1732440000', ...elements }))
      .expect(202);
    expect(res.body.problemType).toBe(type);
    expect(await hub.settled(res.body.id)).toEqual({ status: 'processed', reject_reason: null });
    const [report] = await hub.db.query(
      'SELECT family, problem_type, component, normalized_frames, crashed_at FROM crash_report WHERE id = $1',
      [res.body.id],
    );
    expect(report).toMatchObject({ family, problem_type: type, component });
    expect(report.normalized_frames.length).toBeGreaterThan(0);
    expect(report.normalized_frames[0].function).not.toMatch(/^<no frames/);
    expect(new Date(report.crashed_at).getTime()).toBe(1732440000 * 1000);
    const status = await hub.http.get(`/api/v1/reports/${res.body.id}`).expect(200);
    const [{ candidate_id }] = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [res.body.id]);
    expect(status.body).toMatchObject({ status: 'processed', kind: 'problem-dir', candidateId: candidate_id, processingAttempts: 1 });
  });

  it('counts the occurrences an agent says a repeat stands for', async () => {
    const elements = { type: 'Python3', component: 'repeat-count', backtrace: read('upstream/satyr/tests/python_stacktraces/python-01') };
    const first = await hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(problemDirArchive({ ...elements, count: '2' })).expect(202);
    await hub.settled(first.body.id);
    const repeat = await hub.http
      .post('/api/v1/crash-archives')
      .set({ 'content-type': 'application/gzip', 'x-occurrences': '5' })
      .send(problemDirArchive({ ...elements, count: '7' }))
      .expect(202);
    await hub.settled(repeat.body.id);
    const [{ candidate_id }] = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [repeat.body.id]);
    const detail = await hub.as('viewer').get(`/api/v1/candidates/${candidate_id}`).expect(200);
    expect(detail.body).toMatchObject({ reportCount: 2, occurrenceCount: 7 });
    const bad = await hub.http.post('/api/v1/crash-archives').set({ 'content-type': 'application/gzip', 'x-occurrences': '0' }).send(problemDirArchive(elements));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/X-Occurrences/);
  });

  it('the same installer bug from two releases (other python, other lines) is one candidate', async () => {
    const ids: string[] = [];
    for (const dump of ['anaconda-tb-bootloader-el9', 'anaconda-tb-bootloader-el10', 'anaconda-tb-network-keyfile']) {
      const res = await hub.http
        .post('/api/v1/crash-archives')
        .set('content-type', 'application/gzip')
        .send(problemDirArchive({ type: 'anaconda', 'anaconda-tb': read(`anaconda/${dump}`) }))
        .expect(202);
      await hub.settled(res.body.id);
      ids.push((await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [res.body.id]))[0].candidate_id);
    }
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});
