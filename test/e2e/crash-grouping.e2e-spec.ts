import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairwise } from '../support/pairwise-score';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

const FIXTURES = join(__dirname, '..', 'fixtures');
const CORPUS = join(FIXTURES, 'crash-corpus');
const ABRT_EXAMPLES = join(FIXTURES, 'upstream', 'abrt', 'tests', 'examples');

interface CorpusEntry {
  id: string;
  file: string;
  kind: 'core_backtrace' | 'python_traceback';
  component: string;
  bug: string;
  variant: string;
}

async function ingest(hub: TestHub, elements: Record<string, string>, labels?: Record<string, string>): Promise<string> {
  const req = hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip');
  if (labels) req.set('x-report-labels', JSON.stringify(labels));
  const res = await req.send(problemDirArchive(elements));
  expect(res.status).toBe(202);
  const final = await hub.settled(res.body.id);
  expect(final).toEqual({ status: 'processed', reject_reason: null });
  return res.body.id;
}

async function candidateOf(hub: TestHub, reportId: string): Promise<string> {
  const rows = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [reportId]);
  return rows[0].candidate_id;
}

function corpusElements(entry: CorpusEntry): Record<string, string> {
  const content = readFileSync(join(CORPUS, entry.file), 'utf8');
  if (entry.kind === 'core_backtrace') {
    const executable = JSON.parse(content).executable as string;
    return { type: 'CCpp', component: entry.component, executable, core_backtrace: content, time: '1700000000' };
  }
  return { type: 'Python3', component: entry.component, executable: '/usr/bin/vzpanel', backtrace: content };
}

describe('grouping crashes into bug candidates', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('grouping');
  });
  afterAll(() => hub.close());

  it('groups the labelled corpus of real crashes with pairwise precision and recall >= 0.95', async () => {
    const manifest: CorpusEntry[] = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8'));
    const items: Array<{ label: string; cluster: string }> = [];
    for (const entry of manifest) {
      const id = await ingest(hub, corpusElements(entry));
      items.push({ label: entry.bug, cluster: await candidateOf(hub, id) });
    }
    const score = pairwise(items);
    // Printed so a regression shows which way it went.
    console.log(`crash corpus: ${manifest.length} reports, ${new Set(items.map((i) => i.cluster)).size} candidates`, score);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);

    // The two strlen(NULL) bugs crash in the same libc function yet stay apart.
    const strlenBugs = manifest.filter((e) => /strlen-null/.test(e.bug));
    const clustersByBug = new Map<string, Set<string>>();
    strlenBugs.forEach((e) => {
      const cluster = items[manifest.indexOf(e)].cluster;
      clustersByBug.set(e.bug, (clustersByBug.get(e.bug) ?? new Set()).add(cluster));
    });
    const [a, b] = [...clustersByBug.values()];
    expect([...a].some((c) => b.has(c))).toBe(false);
  });

  it('puts kernel oopses that abrt treats as one group together, and keeps distinct ones apart', async () => {
    const oops = (name: string) =>
      ingest(hub, { type: 'Kerneloops', backtrace: readFileSync(join(ABRT_EXAMPLES, name), 'utf8'), kernel: '3.10.0' });
    for (const [x, y] of [
      ['hash-gen-oops6.right', 'hash-gen-same-as-oops6.right'],
      ['oops4.right', 'oops-same-as-oops4.right'],
      ['nmi_oops_hash.test', 'nmi_oops_hash.right'],
    ]) {
      expect(await candidateOf(hub, await oops(x))).toBe(await candidateOf(hub, await oops(y)));
    }
    const distinct = ['hash-gen-oops6.right', 'oops4.right', 'nmi_oops_hash.right', 'oops1.right', 'oops2.right', 'oops5.right', 'oops8_ppc64.right', 'oops10_s390x.right', 'oops_broken_bios.right'];
    const candidates = new Set<string>();
    for (const name of distinct) candidates.add(await candidateOf(hub, await oops(name)));
    expect(candidates.size).toBe(distinct.length);
  });

  it('explains every grouping decision (the corpus put -O0 and inlined -O2 builds of this bug together)', async () => {
    const manifest: CorpusEntry[] = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8'));
    const o0 = manifest.find((e) => e.bug === 'ploop/find_delta-use-after-free' && e.variant === 'O0')!;
    const candidate = await candidateOf(hub, await ingest(hub, corpusElements(o0)));
    const detail = await hub.http.get(`/api/v1/candidates/${candidate}`).expect(200);
    const methods = new Set(detail.body.reports.map((r: { grouping: { method: string } }) => r.grouping.method));
    expect(methods).toEqual(new Set(['new-candidate', 'exact-signature', 'near-duplicate']));
    const near = detail.body.reports.find((r: { grouping: { method: string } }) => r.grouping.method === 'near-duplicate');
    expect(near.grouping.distance).toBeGreaterThan(0);
    expect(near.grouping.distance).toBeLessThanOrEqual(near.grouping.threshold);
    expect(detail.body.reports.map((r: { id: string }) => r.id)).toContain(near.grouping.nearestReportId);
  });

  it('lets QA merge and split, and later reports follow those rules', async () => {
    const py = (fn: string, exc: string) =>
      `Traceback (most recent call last):\n  File "/usr/lib/python3.11/site-packages/vzpanel/${fn}.py", line 10, in ${fn}\n    x = y\n  File "/usr/lib/python3.11/site-packages/vzpanel/core.py", line 20, in ${fn}_inner\n    raise ${exc}()\n${exc}\n`;
    const report = (fn: string) => ({ type: 'Python3', component: 'qa-merge', backtrace: py(fn, 'ValueError') });
    const a = await candidateOf(hub, await ingest(hub, report('alpha')));
    const b = await candidateOf(hub, await ingest(hub, report('beta')));
    expect(a).not.toBe(b);

    const merged = await hub.http.post(`/api/v1/candidates/${a}/merge`).send({ sourceId: b, note: 'same root cause' }).expect(200);
    expect(merged.body.reportCount).toBe(2);
    const later = await ingest(hub, report('beta'));
    expect(await candidateOf(hub, later)).toBe(a);
    const laterDetail = await hub.http.get(`/api/v1/candidates/${a}`).expect(200);
    const laterReport = laterDetail.body.reports.find((r: { id: string }) => r.id === later);
    expect(laterReport.grouping).toMatchObject({ method: 'merge-rule', via: b });

    const alphaReport = laterDetail.body.reports.find((r: { signatureText: string }) => r.signatureText.includes('alpha'));
    const split = await hub.http.post(`/api/v1/candidates/${a}/split`).send({ reportId: alphaReport.id }).expect(200);
    expect(split.body.id).not.toBe(a);
    const afterSplit = await ingest(hub, report('alpha'));
    expect(await candidateOf(hub, afterSplit)).toBe(split.body.id);
    const rules = await hub.db.query('SELECT kind FROM grouping_rule ORDER BY created_at');
    expect(rules.map((r: { kind: string }) => r.kind)).toEqual(['merge', 'split']);
  });

  it('filters, sorts and finds candidates by hash', async () => {
    const core = (fn: string, version: string, kernel: string, labels?: Record<string, string>) =>
      ingest(
        hub,
        {
          type: 'CCpp',
          component: 'vzfilter',
          executable: '/usr/sbin/vzfilter',
          pkg_name: 'vzfilter',
          pkg_version: version,
          pkg_release: '1.vz7',
          os_release: 'Virtuozzo Linux release 7.9',
          kernel,
          duphash: `dup-${fn}`,
          backtrace: `#0  0x0000000000401136 in ${fn}_crash (p=0x0) at f.c:3\n#1  0x0000000000401150 in ${fn}_caller () at f.c:9\n#2  0x0000000000401170 in main () at f.c:12\n`,
        },
        labels,
      );
    await core('often', '1.0', '3.10.0-1160.vz7', { rig: 'rig-7', test_run: 'run-1' });
    await core('often', '1.0', '3.10.0-1160.vz7');
    await core('often', '1.1', '3.10.0-1160.vz7');
    const rare = await core('rare', '2.0', '4.18.0-vz8');

    const all = await hub.http.get('/api/v1/candidates').query({ component: 'vzfilter', sort: 'count' }).expect(200);
    expect(all.body.items.map((c: { signatureText: string }) => c.signatureText.split(': ')[1].split(' |')[0])).toEqual(['often_crash', 'rare_crash']);
    expect(all.body.items[0].reportCount).toBe(3);

    const byVersion = await hub.http.get('/api/v1/candidates').query({ component: 'vzfilter', packageVersion: '2.0-1.vz7' }).expect(200);
    expect(byVersion.body.total).toBe(1);
    expect(byVersion.body.items[0].id).toBe(await candidateOf(hub, rare));

    const byKernel = await hub.http.get('/api/v1/candidates').query({ kernel: '3.10.0-1160.vz7' }).expect(200);
    expect(byKernel.body.items.map((c: { component: string }) => c.component)).toEqual(['vzfilter']);

    const byFunction = await hub.http.get('/api/v1/candidates').query({ function: 'rare_cra' }).expect(200);
    expect(byFunction.body.total).toBe(1);

    const byLabel = await hub.http.get('/api/v1/candidates').query({ label: 'rig=rig-7' }).expect(200);
    expect(byLabel.body.items.map((c: { component: string }) => c.component)).toEqual(['vzfilter']);

    const hash = await hub.http.get('/api/v1/candidates/by-hash/dup-rare').expect(200);
    expect(hash.body.candidateIds).toEqual([await candidateOf(hub, rare)]);

    const detail = await hub.http.get(`/api/v1/candidates/${all.body.items[0].id}`).expect(200);
    expect(detail.body.counts.byPackageVersion).toEqual([
      { value: '1.0-1.vz7', reports: 2 },
      { value: '1.1-1.vz7', reports: 1 },
    ]);
    expect(detail.body.counts.byLabel).toEqual(
      expect.arrayContaining([{ name: 'rig', value: 'rig-7', reports: 1 }]),
    );

    const bad = await hub.http.get('/api/v1/candidates').query({ sort: 'sideways' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/sort/);
  });
});
