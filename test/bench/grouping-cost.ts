import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { CandidateRepository } from '../../apps/hub/src/grouping/candidate.repository';
import { CrashGroupingService, MAX_COMPARED_CANDIDATES, POSTINGS_PER_KEY } from '../../apps/hub/src/grouping/crash-grouping.service';
import { startHub } from '../../apps/hub/src/hub-application';
import { loadHubConfig } from '../../libs/config/src';
import { AgentCrashReportSchema } from '../../libs/contracts/src';
import type { CrashInput } from '../../libs/crash-reports/src/crash-input';
import { crashFromUReport } from '../../libs/crash-reports/src/ureport-to-crash';
import { bucketKeys } from '../../libs/crash-signature/src';
import { countCandidates, sampleCandidateStacks, seedCandidates } from './candidate-seeder';
import { LatencySummary, median, summarize } from './latency-stats';
import { agentCrashReport, CrashStackGenerator, SeededRandom, SyntheticStack } from './synthetic-crashes';
import type { Teardown } from './teardown';

/** The service's MAX_COMPARED_CANDIDATES (not exported): the LIMIT of the bucket query. */
const WARMUP_REPORTS = 20;
const EXPLAINED_REPORTS = 25;

interface GroupingCase {
  input: CrashInput;
  hostKey: string;
  crashedAt: Date;
}

export interface BucketQueryEvidence {
  explained: number;
  /** candidate_bucket rows the query reads for one report (posting lists of its functions). */
  medianRowsRead: number;
  maxRowsRead: number;
  medianExecutionMs: number;
  maxExecutionMs: number;
  scanNodes: string[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the report with the median rows read. */
  plan: string;
}

export interface GroupingSizeResult {
  candidates: number;
  seedSeconds: number;
  perReportMs: LatencySummary;
  byMethod: Record<string, LatencySummary>;
  bucketQuery: BucketQueryEvidence;
}

/**
 * Grouping cost at growing candidate counts: seeds the candidate tables to each size (bulk SQL),
 * then times CrashGroupingService.groupAndStore per report, one transaction each, as the worker
 * runs it. The Nest context runs in this process without queue consumers: only grouping is timed.
 */
export async function measureGroupingCost(
  databaseUrl: string,
  sizes: number[],
  reportsPerSize: number,
  seed: number,
  teardown: Teardown,
): Promise<GroupingSizeResult[]> {
  const config = loadHubConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', DB_POOL_SIZE: '4' });
  const hub = await startHub(config, { api: false, worker: false });
  teardown.defer('close in-process grouping context', () => hub.close());
  const db = hub.app.get(DataSource);
  const grouping = hub.app.get(CrashGroupingService);
  const repository = hub.app.get(CandidateRepository);
  const random = new SeededRandom(seed);

  const results: GroupingSizeResult[] = [];
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const seedStarted = performance.now();
    // Incremental: each size adds to the previous one; the reports grouped in between count too.
    await seedCandidates(db, size - (await countCandidates(db)), random.next() * 2 - 1);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    for (const warm of await groupingCases(db, WARMUP_REPORTS, random)) await groupOne(db, grouping, warm);
    const cases = await groupingCases(db, reportsPerSize, random);
    const timings: Array<{ ms: number; method: string }> = [];
    for (const c of cases) timings.push(await groupOne(db, grouping, c));

    const bucketCases = cases.filter((_, i) => timings[i]!.method !== 'exact-signature');
    results.push({
      candidates: size,
      seedSeconds,
      perReportMs: summarize(timings.map((t) => t.ms)),
      byMethod: Object.fromEntries(
        [...new Set(timings.map((t) => t.method))].sort().map((m) => [m, summarize(timings.filter((t) => t.method === m).map((t) => t.ms))]),
      ),
      bucketQuery: await explainBucketQueries(db, repository, bucketCases),
    });
  }
  return results;
}

/** A third exact repeats of existing candidates, a third near-duplicates of them, a third new stacks. */
async function groupingCases(db: DataSource, count: number, random: SeededRandom): Promise<GroupingCase[]> {
  const generator = new CrashStackGenerator(random);
  const existing = await sampleCandidateStacks(db, Math.ceil((2 * count) / 3));
  const cases: GroupingCase[] = [];
  for (let i = 0; i < count; i++) {
    const base = i % 3 === 2 ? undefined : existing.pop();
    const stack: SyntheticStack = !base ? generator.newStack() : i % 3 === 0 ? base : generator.nearDuplicate(base);
    // Through the API's schema and the worker's decoder, so normalization runs as in production.
    const body = AgentCrashReportSchema.parse(agentCrashReport(stack, random, new Date()));
    cases.push({ input: crashFromUReport(body.ureport), hostKey: `host:${body.hostId}`, crashedAt: new Date(body.crashedAt!) });
  }
  return cases;
}

async function groupOne(db: DataSource, grouping: CrashGroupingService, c: GroupingCase): Promise<{ ms: number; method: string }> {
  const started = performance.now();
  const { grouping: explanation } = await db.transaction((m) =>
    grouping.groupAndStore(m, c.input, {
      id: randomUUID(),
      crashedAt: c.crashedAt,
      hostKey: c.hostKey,
      labels: {},
      hostId: null,
      hostProfileId: null,
      country: null,
      hardwareAttrs: [],
    }),
  );
  return { ms: performance.now() - started, method: explanation.method };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/**
 * EXPLAIN ANALYZE of the repository's own bucketHits SQL (its manager is wrapped so the query is
 * explained instead of run), so the evidence cannot drift from the code.
 */
async function explainBucketQuery(db: DataSource, repository: CandidateRepository, c: GroupingCase, options: string): Promise<unknown> {
  let plan: unknown;
  const explaining = {
    query: async (sql: string, params: unknown[]) => {
      const rows: Array<{ 'QUERY PLAN': unknown }> = await db.query(`EXPLAIN (${options}) ${sql}`, params);
      plan = options.includes('JSON') ? rows[0]!['QUERY PLAN'] : rows.map((r) => r['QUERY PLAN']).join('\n');
      return [];
    },
  } as unknown as EntityManager;
  const keys = bucketKeys(CrashGroupingService.signatureFrames(c.input));
  await repository.bucketHits(explaining, c.input.crash.family, c.input.component, keys, MAX_COMPARED_CANDIDATES, POSTINGS_PER_KEY);
  return plan;
}

async function explainBucketQueries(db: DataSource, repository: CandidateRepository, cases: GroupingCase[]): Promise<BucketQueryEvidence> {
  const step = Math.max(1, Math.floor(cases.length / EXPLAINED_REPORTS));
  const sample = cases.filter((_, i) => i % step === 0).slice(0, EXPLAINED_REPORTS);
  const measured: Array<{ c: GroupingCase; rows: number; ms: number; scans: string[] }> = [];
  for (const c of sample) {
    const [result] = (await explainBucketQuery(db, repository, c, 'ANALYZE, BUFFERS, FORMAT JSON')) as Array<{ Plan: PlanNode; 'Execution Time': number }>;
    const scans = bucketScans(result!.Plan);
    measured.push({
      c,
      rows: scans.reduce((sum, n) => sum + n['Actual Rows'] * n['Actual Loops'], 0),
      ms: result!['Execution Time'],
      scans: scans.map((n) => `${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : ''}`),
    });
  }
  measured.sort((a, b) => a.rows - b.rows);
  const typical = measured[Math.floor((measured.length - 1) / 2)];
  return {
    explained: measured.length,
    medianRowsRead: median(measured.map((m) => m.rows)),
    maxRowsRead: Math.max(0, ...measured.map((m) => m.rows)),
    medianExecutionMs: median(measured.map((m) => m.ms)),
    maxExecutionMs: Math.max(0, ...measured.map((m) => m.ms)),
    scanNodes: [...new Set(measured.flatMap((m) => m.scans))],
    plan: typical ? String(await explainBucketQuery(db, repository, typical.c, 'ANALYZE, BUFFERS')) : '',
  };
}

/** The nodes that read candidate_bucket rows (seq, index, index-only or bitmap heap scan). */
function bucketScans(node: PlanNode): PlanNode[] {
  return node['Relation Name'] === 'candidate_bucket' ? [node] : (node.Plans ?? []).flatMap(bucketScans);
}
