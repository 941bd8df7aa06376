import { CandidateQuerySchema, type CandidateQuery } from '../../contracts/src';
import type { CandidatePage, CandidateSearch, CrashReportSearchDoc } from '../src/candidate-search';
import { hardwareFilterGroups } from '../src/hardware-filter-groups';

/**
 * Synthetic reports shared by the backend specs, and an independent, in-memory statement of what
 * a search must return for them: filters pick reports, candidates are ranked by their picked ones.
 */

export const NOW = new Date('2026-11-20T12:00:00.000Z');
export const HOT_SINCE = new Date(NOW.getTime() - 14 * 86_400_000);

const candidateId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const reportId = (n: number) => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

interface CandidateSpec {
  /** Ids are not in list order, so id tie-breaks are exercised. */
  n: number;
  family: string;
  component: string;
  functions: string[];
  reports: number;
  /** Visible triage state; the PostgreSQL spec stores no triage row for `new` ones except 0x7f. */
  state: string;
}

const CANDIDATES: CandidateSpec[] = [
  { n: 0x5a, family: 'core', component: 'glib2', functions: ['g_main_loop_run', 'g_main_context_dispatch', 'start_thread'], reports: 6, state: 'new' },
  { n: 0x11, family: 'core', component: 'xorg-x11-server', functions: ['xf86SigHandler', 'OsSigHandler', 'Dispatch'], reports: 5, state: 'ticketed' },
  { n: 0x3c, family: 'python', component: 'anaconda', functions: ['do_install', 'run_transaction', 'main'], reports: 4, state: 'muted' },
  { n: 0x02, family: 'kerneloops', component: 'kernel', functions: ['ext4_da_write_end', 'generic_perform_write', 'vfs_write'], reports: 4, state: 'fix-pending' },
  { n: 0x7f, family: 'core', component: 'prlctl', functions: ['PrlSrv_Login', 'std::vector<int>::at', 'main'], reports: 3, state: 'new' },
  { n: 0x44, family: 'java', component: 'vzbackup', functions: ['BackupJob.run', 'Thread.run'], reports: 3, state: 'wont-fix' },
  { n: 0x23, family: 'core', component: 'glib2', functions: ['g_hash_table_lookup', 'g_main_loop_run'], reports: 3, state: 'regressed' },
  { n: 0x66, family: 'kerneloops', component: 'kernel', functions: ['nfs_readpage', 'vfs_read'], reports: 2, state: 'ignored' },
];

const VERSIONS = ['1.0', '1.1', '2.0'];
const OS = ['vz7', 'vz8', 'vz9'];
const KERNELS = ['3.10.0-1160', '4.18.0-477', '5.14.0-362'];
const RIGS = ['alpha', 'beta'];

const CPU_VENDORS = ['AMD', 'Intel'];
const DISK_KINDS = ['nvme', 'ssd', 'hdd'];

/** Deterministic spread: every value of every facet occurs, hosts repeat and some are missing. */
export function syntheticReports(): CrashReportSearchDoc[] {
  const docs: CrashReportSearchDoc[] = [];
  let r = 0;
  for (const [ci, c] of CANDIDATES.entries()) {
    for (let k = 0; k < c.reports; k++) {
      r++;
      const labels: Record<string, string> = { rig: RIGS[(r + ci) % 2]! };
      if (r % 3 === 0) labels['test.name'] = 'smoke';
      if (r % 5 === 0) labels.note = 'a=b';
      // Mostly older reports; every third one inside the hot window; minutes keep them unique.
      const daysAgo = r % 3 === 0 ? (r * 7) % 13 : 15 + ((r * 11) % 45);
      docs.push({
        reportId: reportId(r),
        candidateId: candidateId(c.n),
        family: c.family,
        component: c.component,
        signatureText: `${c.component}: ${c.functions.join(' | ')}`,
        // A report's stack varies a little inside its candidate.
        functions: k % 2 ? c.functions : [...c.functions.slice(0, 2), `helper_${ci}_${k}`],
        packageVersion: VERSIONS[(r + k) % 3]!,
        osRelease: OS[(r * 2 + ci) % 3]!,
        kernel: KERNELS[(r + ci * 2) % 3]!,
        labels,
        hostKey: r % 7 === 0 ? null : `host-${(r * 5 + ci) % 9}`,
        // Some reports know no hardware at all; disks are multi-valued.
        hardwareAttrs:
          r % 4 === 0
            ? []
            : [
                `cpu.vendor=${CPU_VENDORS[(r + ci) % 2]}`,
                `disk.kind=${DISK_KINDS[r % 3]}`,
                ...(r % 5 === 1 ? ['disk.kind=hdd'] : []),
                `origin=${r % 6 === 0 ? 'rig' : 'field'}`,
              ].sort(),
        crashedAt: new Date(NOW.getTime() - daysAgo * 86_400_000 - r * 60_000).toISOString(),
        triageState: c.state,
      });
    }
  }
  return docs;
}

/** Query inputs as the HTTP layer receives them, one per filter (plus combinations). */
export const FILTERS: Array<Record<string, string>> = [
  {},
  { type: 'core' },
  { type: 'kerneloops,python' },
  { component: 'glib2' },
  { state: 'new' },
  { state: 'muted,ignored' },
  { state: 'fix-pending', packageVersion: '1.1' },
  { state: 'wont-fix,duplicate,cannot-reproduce', cpuVendor: 'AMD' },
  { packageVersion: '1.1' },
  { osRelease: 'vz8,vz9' },
  { kernel: '5.14.0-362' },
  { label: 'rig=alpha' },
  { label: 'test.name=smoke' },
  { label: 'note=a=b' },
  { function: 'main_loop' },
  { function: 'G_MAIN' },
  { function: 'vector<int>' },
  { function: 'anaconda' },
  { firstSeenFrom: '2026-10-15T00:00:00Z' },
  { firstSeenTo: '2026-10-15T00:00:00Z' },
  { lastSeenFrom: '2026-11-10T00:00:00Z' },
  { lastSeenTo: '2026-11-10T00:00:00+02:00' },
  { firstSeenFrom: '2026-10-01T00:00:00Z', lastSeenTo: '2026-11-15T00:00:00Z' },
  { type: 'core', packageVersion: '1.0,2.0', label: 'rig=beta' },
  { osRelease: 'vz7', lastSeenFrom: '2026-10-20T00:00:00Z' },
  { cpuVendor: 'AMD' },
  { cpuVendor: 'Intel', diskKind: 'nvme,hdd' },
  { attr: 'disk.kind=hdd', origin: 'rig' },
  { type: 'core', diskKind: 'ssd' },
  // Last: the one filter that matches nothing.
  { kernel: 'no-such-kernel' },
];

export const SORTS: Array<CandidateQuery['sort']> = ['count', 'lastSeen', 'hosts', 'hot'];

export function query(input: Record<string, string | number>): CandidateQuery {
  return CandidateQuerySchema.parse(input);
}

/** What every backend must answer, computed directly from the documents. */
export function expectedPage(docs: CrashReportSearchDoc[], q: CandidateQuery, hotSince: Date): CandidatePage {
  const inList = (list: string[] | undefined, v: string | null) => !list?.length || (v !== null && list.includes(v));
  const label = q.label ? [q.label.slice(0, q.label.indexOf('=')), q.label.slice(q.label.indexOf('=') + 1)] : null;
  const fn = q.function?.toLowerCase();
  const hardware = hardwareFilterGroups(q);
  const picked = docs.filter(
    (d) =>
      inList(q.type, d.family) &&
      inList(q.component, d.component) &&
      inList(q.state, d.triageState) &&
      inList(q.packageVersion, d.packageVersion) &&
      inList(q.osRelease, d.osRelease) &&
      inList(q.kernel, d.kernel) &&
      (!label || d.labels[label[0]!] === label[1]) &&
      hardware.every((group) => group.some((key) => d.hardwareAttrs.includes(key))) &&
      (!fn || d.functions.some((f) => f.toLowerCase().includes(fn)) || d.signatureText.toLowerCase().includes(fn)),
  );
  const byCandidate = new Map<string, CrashReportSearchDoc[]>();
  for (const d of picked) byCandidate.set(d.candidateId, [...(byCandidate.get(d.candidateId) ?? []), d]);
  const rows = [...byCandidate.entries()].map(([id, reports]) => {
    const times = reports.map((d) => Date.parse(d.crashedAt));
    return {
      id,
      matchedReports: reports.length,
      matchedHosts: new Set(reports.map((d) => d.hostKey).filter((h) => h !== null)).size,
      hotCount: times.filter((t) => t >= hotSince.getTime()).length,
      firstSeen: Math.min(...times),
      lastSeen: Math.max(...times),
    };
  });
  const at = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  const [fsFrom, fsTo, lsFrom, lsTo] = [at(q.firstSeenFrom), at(q.firstSeenTo), at(q.lastSeenFrom), at(q.lastSeenTo)];
  const kept = rows.filter(
    (r) =>
      (fsFrom === undefined || r.firstSeen >= fsFrom) &&
      (fsTo === undefined || r.firstSeen < fsTo) &&
      (lsFrom === undefined || r.lastSeen >= lsFrom) &&
      (lsTo === undefined || r.lastSeen < lsTo),
  );
  const key = { count: 'matchedReports', lastSeen: 'lastSeen', hosts: 'matchedHosts', hot: 'hotCount' } as const;
  kept.sort((a, b) => b[key[q.sort]] - a[key[q.sort]] || (a.id < b.id ? -1 : 1));
  return {
    total: kept.length,
    items: kept.slice(q.offset, q.offset + q.limit).map((r) => ({
      id: r.id,
      matchedReports: r.matchedReports,
      matchedHosts: r.matchedHosts,
      hotCount: r.hotCount,
      lastSeen: new Date(r.lastSeen),
    })),
  };
}

/** limit/offset pairs, including a short last page and one past the end, over a few filters. */
const PAGED_FILTERS: Array<Record<string, string>> = [{}, { lastSeenFrom: '2026-10-01T00:00:00Z' }, { packageVersion: '1.0,1.1' }];
export const PAGES = [
  [3, 0],
  [3, 3],
  [3, 6],
  [5, 7],
  [2, 20],
].flatMap(([limit, offset]) => PAGED_FILTERS.map((filter) => ({ limit: limit!, offset: offset!, filter })));

/**
 * The ranking contract every backend must meet: each filter under each sort, and paging, give the
 * page computed independently from the same documents.
 */
export function describeRankingContract(backend: () => CandidateSearch, docs: CrashReportSearchDoc[]): void {
  describe.each(SORTS)('sorted by %s', (sort) => {
    it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))('filters %s', async (_, filter) => {
      const q = query({ ...filter, sort });
      await expect(backend().search(q, HOT_SINCE)).resolves.toEqual(expectedPage(docs, q, HOT_SINCE));
    });

    it('pages with limit and offset', async () => {
      for (const { limit, offset, filter } of PAGES) {
        const q = query({ ...filter, sort, limit, offset });
        await expect(backend().search(q, HOT_SINCE)).resolves.toEqual(expectedPage(docs, q, HOT_SINCE));
      }
    });
  });
}
