import {
  KernelCorpus,
  kerneloopsDirs,
  LabelledProblemDir,
  loadKernelCorpus,
  readCorpusLog,
  seededShuffle,
  vmcoreDir,
} from '../support/kernel-corpus';
import { pairwise } from '../support/grouping-score';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

/** Console-log forms a kdump's vmcore-dmesg.txt can have (dmesg-like, no syslog or journal framing). */
const VMCORE_VARIANTS = new Set(['raw', 'callerid', 'several-reports']);
const SEEDS = [11, 29, 47];

function corpusDirs(corpus: KernelCorpus): LabelledProblemDir[] {
  const dirs: LabelledProblemDir[] = [];
  corpus.logs.forEach((log, i) => {
    const text = readCorpusLog(log);
    const time = 1_780_000_000 + i * 60;
    dirs.push(...kerneloopsDirs(log, text, time));
    if (VMCORE_VARIANTS.has(log.variant)) dirs.push(vmcoreDir(log, text, time));
  });
  return dirs;
}

async function ingest(hub: TestHub, dir: LabelledProblemDir): Promise<string> {
  const res = await hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(problemDirArchive(dir.elements));
  expect(res.status).toBe(202);
  const final = await hub.settled(res.body.id);
  if (final.status !== 'processed') throw new Error(`${dir.source}: ${final.status} ${final.reject_reason}`);
  return res.body.id;
}

interface OrderResult {
  score: ReturnType<typeof pairwise>;
  /** Each candidate as the sorted sources of its reports: comparable across hubs. */
  partition: string[];
  /** Bug label → crash functions of the candidates its reports landed in. */
  crashFunctions: Map<string, Set<string>>;
  candidates: number;
}

async function groupInOrder(dirs: LabelledProblemDir[], seed: number): Promise<OrderResult> {
  const hub = await startTestHub(`kernel${seed}`);
  try {
    const items: Array<{ label: string; cluster: string; source: string }> = [];
    for (const dir of seededShuffle(dirs, seed)) {
      const id = await ingest(hub, dir);
      const [row] = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [id]);
      items.push({ label: dir.label, cluster: row.candidate_id, source: dir.source });
    }
    const members = new Map<string, string[]>();
    for (const item of items) members.set(item.cluster, [...(members.get(item.cluster) ?? []), item.source]);
    const crashFunctions = new Map<string, Set<string>>();
    for (const item of items) {
      const [candidate] = await hub.db.query('SELECT representative_frames FROM bug_candidate WHERE id = $1', [item.cluster]);
      const fn = candidate.representative_frames[0]?.function as string;
      crashFunctions.set(item.label, (crashFunctions.get(item.label) ?? new Set()).add(fn));
    }
    return {
      score: pairwise(items),
      partition: [...members.values()].map((sources) => sources.sort().join(' ')).sort(),
      crashFunctions,
      candidates: members.size,
    };
  } finally {
    await hub.close();
  }
}

describe('kernel corpus (real Debian kernels crashed under QEMU) through the hub', () => {
  const corpus = loadKernelCorpus();
  let dirs: LabelledProblemDir[];
  const results: OrderResult[] = [];

  beforeAll(async () => {
    dirs = corpusDirs(corpus);
    for (const seed of SEEDS) results.push(await groupInOrder(dirs, seed));
  }, 1_200_000);

  it('covers every bug, both kernel flavours and every log form', () => {
    const labels = new Set(dirs.map((d) => d.label));
    expect([...labels].sort()).toEqual(Object.keys(corpus.functions).sort());
    expect(new Set(corpus.logs.map((l) => l.flavour)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(corpus.logs.map((l) => l.variant))).toEqual(
      new Set(['raw', 'callerid', 'dmesg-T', 'loglevel', 'journal', 'syslog', 'truncated', 'several-reports']),
    );
    expect(dirs.some((d) => d.elements.type === 'vmcore')).toBe(true);
  });

  it('groups with pairwise precision and recall >= 0.95', () => {
    const [first] = results;
    console.log(`kernel corpus: ${dirs.length} problem dirs, ${first.candidates} candidates for ${Object.keys(corpus.functions).length} bugs`, first.score);
    expect(first.score.precision).toBeGreaterThanOrEqual(0.95);
    expect(first.score.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('gives identical groupings for three seeded arrival orders', () => {
    for (const other of results.slice(1)) {
      expect(other.score).toEqual(results[0].score);
      expect(other.partition).toEqual(results[0].partition);
    }
  });

  it("names the bug's own function as each candidate's crash function", () => {
    for (const result of results) {
      for (const [bug, functions] of result.crashFunctions) {
        expect({ bug, functions: [...functions] }).toEqual({ bug, functions: [corpus.functions[bug]] });
      }
    }
  });
});
