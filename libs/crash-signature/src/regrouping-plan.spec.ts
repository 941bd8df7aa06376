import { NormalizedFrame } from './frame-normalization';
import { seededShuffle } from '../../../test/support/grouping-score';
import { planRegrouping, RegroupPlan, RegroupReport } from './regrouping-plan';

const stack = (...names: string[]): NormalizedFrame[] => names.map((name) => ({ function: name }));
const lib = (name: string): NormalizedFrame => ({ function: name, library: true });

function report(id: string, frames: NormalizedFrame[], candidateId = `cand-${id}`): RegroupReport {
  return { id, exactHash: JSON.stringify(frames), frames, candidateId };
}

/** The partition as a set of sorted id lists: what must not depend on order. */
function partition(plan: RegroupPlan): string[] {
  return plan.clusters.map((c) => [...c.reportIds].sort().join(',')).sort();
}

const reports = [
  report('o0', [lib('strlen'), ...stack('fmt_env_field', 'set_hostname', 'cmd_set_hostname', 'main')]),
  report('o2', [lib('strlen'), ...stack('set_hostname', 'main')]),
  report('o2b', [lib('strlen'), ...stack('set_hostname', 'main')]),
  report('status', [lib('strlen'), ...stack('fmt_env_field', 'print_status', 'cmd_status', 'main')]),
  report('status-o2', [lib('strlen'), ...stack('print_status', 'main')]),
  report('shallow', [lib('strlen'), { function: 'main', site: 'ab+0x10' }]),
  report('py', stack('require_field', 'load_users', 'dispatch', 'parse_args', 'setup', 'cli_main', 'main')),
  report('py-near', stack('require_field', 'load_quotas', 'dispatch', 'parse_args', 'setup', 'cli_main', 'main')),
];

describe('planRegrouping', () => {
  it('gives the same partition whatever order the reports come in', () => {
    const expected = partition(planRegrouping(reports, [], new Map()));
    for (const seed of [1, 2, 3]) expect(partition(planRegrouping(seededShuffle(reports, seed), [], new Map()))).toEqual(expected);
    expect(expected).toEqual(['o0,o2,o2b', 'py', 'py-near', 'shallow', 'status,status-o2'].sort());
  });

  it('keeps the candidate that holds most of a cluster, so a second run changes nothing', () => {
    const placed = reports.map((r) => ({ ...r, candidateId: r.id.startsWith('o') ? 'A' : r.id.startsWith('status') ? 'A' : 'B' }));
    const order = new Map([['A', 1], ['B', 2]]);
    const first = planRegrouping(placed, [], order);
    const applied = placed.map((r) => {
      const cluster = first.clusters[first.reports.find((p) => p.reportId === r.id)!.cluster];
      return { ...r, candidateId: cluster.candidateId ?? `new-${first.clusters.indexOf(cluster)}` };
    });
    const second = planRegrouping(applied, [], order);
    expect(second.clusters.map((c) => c.candidateId)).toEqual(first.clusters.map((c) => c.candidateId ?? `new-${first.clusters.indexOf(c)}`));
    expect(first.clusters.find((c) => c.reportIds.includes('o0'))!.candidateId).toBe('A');
  });

  it('keeps QA rules: locked reports stay in their candidate together, others may still join them', () => {
    const locked = [{ candidateId: 'Q', reportIds: ['py', 'py-near'] }];
    const plan = planRegrouping(reports, locked, new Map([['Q', 0]]));
    const q = plan.clusters.find((c) => c.candidateId === 'Q')!;
    expect(q.locked).toBe(true);
    expect([...q.reportIds].sort()).toEqual(['py', 'py-near']);
    expect(plan.reports.find((r) => r.reportId === 'py')!.method).toBe('rule');
  });

  it('explains a new cluster with its nearest cluster and why it was not joined', () => {
    const plan = planRegrouping(reports, [], new Map());
    const [first, second] = plan.reports
      .filter((r) => r.reportId.startsWith('py'))
      .sort((a, b) => a.cluster - b.cluster);
    const other = second;
    expect(other.method).toBe('new-candidate');
    expect(other.ranking?.nearest?.id).toBe(String(first.cluster));
    expect(other.ranking?.nearest?.rejected).toBe('different-frames-near-crash-site');
  });
});
