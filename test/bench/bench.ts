import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { loadHubConfig } from '../../libs/config/src';
import { ADMIN_URL } from '../support/test-database';
import { BenchOptions, benchOptions } from './bench-options';
import { FleetBenchResult, fleetReport, measureFleet } from './fleet-bench';
import { GroupingSizeResult, measureGroupingCost } from './grouping-cost';
import { measureRegroupCost, RegroupCostResult } from './regroup-cost';
import { HttpPipelineResult, measureHttpPipeline } from './http-pipeline';
import { LimitsBenchResult, limitsReport, measureLimits } from './limits-bench';
import { MemorySampler } from './memory-sampler';
import { createScratchDatabase } from './scratch-services';
import { Cell, fmt, renderTable } from './text-table';
import { Teardown } from './teardown';

/**
 * `npm run bench`: throughput, accept latency and memory of the hub as deployed (API and worker
 * processes on PostgreSQL and Redis), grouping cost per report as candidates grow, and a seeded
 * 100k-host fleet (CEP processing rate, statistics and QA query times, size per host).
 * `npm run bench -- --only fleet` runs one section. Prints a report and writes it as JSON to
 * var/bench/last-run.json.
 */

const RESULT_FILE = join(__dirname, '..', '..', '..', 'var', 'bench', 'last-run.json');

interface GroupingGrowth {
  fromCandidates: number;
  toCandidates: number;
  meanRatio: number;
  p99Ratio: number;
  /** log(ratio) / log(size ratio): 0 is flat, 1 is linear in the candidate count. */
  meanGrowthExponent: number;
  bucketRowsExponent: { median: number; max: number };
  bucketQueryMsExponent: { median: number; max: number };
  verdict: string;
}

interface BenchResult {
  startedAt: string;
  environment: { cpus: number; node: string; postgres: string; workerConcurrency: number };
  options: BenchOptions;
  http?: HttpPipelineResult;
  peakMemoryMiB: { hubApi?: number; hubWorker?: number; benchAfterHttp?: number; bench?: number };
  grouping?: GroupingSizeResult[];
  groupingGrowth?: GroupingGrowth;
  regroup?: RegroupCostResult;
  fleet?: FleetBenchResult;
  limits?: LimitsBenchResult;
  totalSeconds: number;
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

function growth(grouping: GroupingSizeResult[]): GroupingGrowth | undefined {
  const first = grouping[0];
  const last = grouping[grouping.length - 1];
  if (!first || !last || first === last) return undefined;
  const exponent = (from: number, to: number) =>
    from > 0 && to > 0 ? Math.log(to / from) / Math.log(last.candidates / first.candidates) : Number.NaN;
  const meanRatio = last.perReportMs.mean / first.perReportMs.mean;
  const rows = {
    median: exponent(first.bucketQuery.medianRowsRead, last.bucketQuery.medianRowsRead),
    max: exponent(first.bucketQuery.maxRowsRead, last.bucketQuery.maxRowsRead),
  };
  // Logarithmic growth over this span would be log(to)/log(from); allow some noise on top.
  const logBound = (Math.log(last.candidates) / Math.log(first.candidates)) * 1.25;
  const total = meanRatio <= logBound ? 'per-report time flat or logarithmic' : `per-report time grows (exponent ${exponent(1, meanRatio).toFixed(2)})`;
  // The bucket query is the only step whose work depends on the candidate count; fixed round trips can hide it.
  const bucket = Math.max(rows.median, rows.max) > 0.5 ? `bucket rows read grow ~linearly (exponent ${rows.median.toFixed(2)} median, ${rows.max.toFixed(2)} max)` : 'bucket rows read flat';
  return {
    fromCandidates: first.candidates,
    toCandidates: last.candidates,
    meanRatio,
    p99Ratio: last.perReportMs.p99 / first.perReportMs.p99,
    meanGrowthExponent: exponent(1, meanRatio),
    bucketRowsExponent: rows,
    bucketQueryMsExponent: {
      median: exponent(first.bucketQuery.medianExecutionMs, last.bucketQuery.medianExecutionMs),
      max: exponent(first.bucketQuery.maxExecutionMs, last.bucketQuery.maxExecutionMs),
    },
    verdict: `${total}; ${bucket}`,
  };
}

function httpReport(r: BenchResult, h: HttpPipelineResult): string[] {
  const out: string[] = [
    `HTTP: ${h.reports} agent crash reports to POST /api/v1/crash-reports, ${h.concurrency} in flight ` +
      `(workload: ${h.workload['new-bug']} new bugs, ${h.workload.repeat} repeats, ${h.workload['near-duplicate']} near-duplicates)`,
  ];
  const memory = r.peakMemoryMiB;
  const rows: Cell[][] = [
    ['accepted reports/s', fmt(h.acceptedPerSecond)],
    ['accept latency p50 (ms)', fmt(h.acceptLatencyMs.p50, 2)],
    ['accept latency p90 (ms)', fmt(h.acceptLatencyMs.p90, 2)],
    ['accept latency p99 (ms)', fmt(h.acceptLatencyMs.p99, 2)],
    ['accept latency max (ms)', fmt(h.acceptLatencyMs.max, 2)],
    ['refused requests', h.failures.length],
    ['backlog at last accept (reports)', h.backlogAtLastAccept],
    ['processed reports/s, end to end', fmt(h.processedPerSecond)],
    ['first accept → queue drained (s)', fmt(h.endToEndSeconds, 2)],
    ['peak memory hub api (MiB, VmHWM)', fmt(memory.hubApi)],
    ['peak memory hub worker (MiB, VmHWM)', fmt(memory.hubWorker)],
    ['peak memory bench, HTTP phase (MiB)', fmt(memory.benchAfterHttp)],
    ['peak memory bench, whole run (MiB)', fmt(memory.bench)],
  ];
  out.push(renderTable(['metric', 'value'], rows), '');
  out.push(
    `raw reports: ${JSON.stringify(h.rawStatuses)}; grouping: ${JSON.stringify(h.groupingMethods)}; candidates: ${h.candidates}`,
    ...h.rejectReasons.map((reason) => `  rejected: ${reason}`),
  );
  return out;
}

function groupingReport(r: BenchResult, grouping: GroupingSizeResult[]): string[] {
  const out: string[] = [
    `Grouping: CrashGroupingService.groupAndStore, one transaction per report, ${r.options.groupingReports} reports per size ` +
      '(1/3 exact repeats, 1/3 near-duplicates, 1/3 new stacks); bucket query = EXPLAIN ANALYZE of bucketHits for reports that reached it',
  ];
  const methods = ['exact-signature', 'near-duplicate', 'new-candidate'];
  out.push(
    renderTable(
      ['candidates', 'seed s', 'mean ms', 'p50 ms', 'p99 ms', ...methods.map((m) => `${m} n/mean ms`), 'bucket rows (med/max)', 'bucket query ms (med/max)'],
      grouping.map((g) => [
        g.candidates,
        fmt(g.seedSeconds),
        fmt(g.perReportMs.mean, 2),
        fmt(g.perReportMs.p50, 2),
        fmt(g.perReportMs.p99, 2),
        ...methods.map((m) => (g.byMethod[m] ? `${g.byMethod[m].count} / ${fmt(g.byMethod[m].mean, 2)}` : '-')),
        `${g.bucketQuery.medianRowsRead} / ${g.bucketQuery.maxRowsRead}`,
        `${fmt(g.bucketQuery.medianExecutionMs, 2)} / ${fmt(g.bucketQuery.maxExecutionMs, 2)}`,
      ]),
    ),
  );
  const gr = r.groupingGrowth;
  if (gr) {
    out.push(
      '',
      `grouping ${gr.toCandidates}/${gr.fromCandidates} candidates: mean ×${fmt(gr.meanRatio, 2)}, p99 ×${fmt(gr.p99Ratio, 2)}, ` +
        `bucket query ms exponent ${fmt(gr.bucketQueryMsExponent.median, 2)} median / ${fmt(gr.bucketQueryMsExponent.max, 2)} max`,
      `verdict: ${gr.verdict}`,
    );
  }
  const largest = grouping[grouping.length - 1];
  if (largest) {
    out.push('', `bucket query plan at ${largest.candidates} candidates (median report; scans: ${largest.bucketQuery.scanNodes.join(', ')}):`, largest.bucketQuery.plan);
  }
  const rg = r.regroup;
  if (rg) {
    out.push(
      '',
      `Regrouping job (RegroupingService.regroupScope) on one component of ${rg.reports} reports / ${rg.candidates} candidates: ` +
        `first run ${fmt(rg.firstRunSeconds, 2)} s (${fmt(rg.secondsPer10kReports, 2)} s per 10k reports; moved ${rg.firstRun.moved}, ` +
        `rewritten ${rg.firstRun.rewritten}), no-op rerun ${fmt(rg.noopRunSeconds, 2)} s`,
      `reprocess (ReprocessService.run, every component): ${rg.reprocess.reports} reports in ${fmt(rg.reprocess.seconds, 1)} s = ` +
        `${fmt(rg.reprocess.reportsPerSecond, 0)} reports/s`,
    );
  }
  return out;
}

function printReport(r: BenchResult): void {
  const out: string[] = [
    `hub bench — ${r.environment.cpus} CPUs, node ${r.environment.node}, PostgreSQL ${r.environment.postgres}, ` +
      `worker concurrency ${r.environment.workerConcurrency}; sections: ${r.options.sections.join(', ')}`,
    '',
  ];
  if (r.http) out.push(...httpReport(r, r.http), '');
  if (r.grouping) out.push(...groupingReport(r, r.grouping), '');
  if (r.fleet) out.push(...fleetReport(r.fleet), '');
  if (r.limits) out.push(...limitsReport(r.limits), '');
  out.push(`total: ${fmt(r.totalSeconds, 0)} s`, `written to ${RESULT_FILE}`);
  console.log(out.join('\n'));
}

async function run(options: BenchOptions, teardown: Teardown): Promise<BenchResult> {
  const started = performance.now();
  const memory = new MemorySampler();
  memory.watch('bench', 'self');
  memory.start();
  teardown.defer('stop memory sampler', async () => memory.stop());
  const startedAt = new Date().toISOString();
  const want = (section: BenchOptions['sections'][number]) => options.sections.includes(section);

  let http: HttpPipelineResult | undefined;
  let grouping: GroupingSizeResult[] | undefined;
  let regroup: RegroupCostResult | undefined;
  let afterHttp: ReturnType<MemorySampler['peaks']> = {};
  let postgresUrl: string | undefined;
  if (want('http') || want('grouping')) {
    const database = await createScratchDatabase(`hub_bench_${process.pid}`);
    teardown.defer(`drop database ${database.name}`, () => database.drop());
    postgresUrl = database.url;
    if (want('http')) http = await measureHttpPipeline(database, options, teardown, memory);
    afterHttp = memory.peaks();
    if (want('grouping')) {
      grouping = await measureGroupingCost(database.url, options.candidateSizes, options.groupingReports, options.seed, teardown);
      regroup = await measureRegroupCost(database.url, options.regroupReports, options.seed, teardown);
    }
  }
  const fleet = want('fleet') ? await measureFleet(options, teardown, memory) : undefined;
  const limits = want('limits') ? await measureLimits(options, teardown) : undefined;
  const end = memory.peaks();
  return {
    startedAt,
    environment: {
      cpus: cpus().length,
      node: process.version,
      postgres: await postgresVersion(postgresUrl ?? ADMIN_URL),
      // The worker process runs with the hub's default WORKER_CONCURRENCY.
      workerConcurrency: loadHubConfig({}).jobs.concurrency,
    },
    options,
    http,
    peakMemoryMiB: {
      hubApi: afterHttp['hub api']?.peakMiB,
      hubWorker: afterHttp['hub worker']?.peakMiB,
      benchAfterHttp: http ? afterHttp.bench?.peakMiB : undefined,
      bench: end.bench?.peakMiB,
    },
    grouping,
    groupingGrowth: grouping ? growth(grouping) : undefined,
    regroup,
    fleet,
    limits,
    totalSeconds: (performance.now() - started) / 1000,
  };
}

async function main(): Promise<void> {
  const options = benchOptions();
  const teardown = new Teardown();
  teardown.exitOnSignals();
  let result: BenchResult;
  try {
    result = await run(options, teardown);
  } finally {
    await teardown.run();
  }
  mkdirSync(join(RESULT_FILE, '..'), { recursive: true });
  writeFileSync(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
  printReport(result);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
