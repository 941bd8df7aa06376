import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadHubConfig } from '../../libs/config/src';
import { hubDataSourceOptions } from '../../libs/storage/src/database-options';
import { freePort, spawnHub } from '../support/processes';
import type { BenchOptions } from './bench-options';
import { CepThroughputResult, measureCepThroughput } from './cep-throughput';
import { RARE_CPU } from './fleet-model';
import { BENCH_ADMIN_TOKEN, BENCH_AUTH, EndpointTiming, explainSearch, PlanEvidence, SearchProbe, searchPath, tableSizes, TableSize, timeConsolePages, timeEndpoint, timeStats } from './fleet-queries';
import { FleetSeedResult, rollupMismatches, seedFleet } from './fleet-seeder';
import type { MemorySampler } from './memory-sampler';
import { drained, jsonUpload } from './http-load';
import { createScratchDatabase, dropQueueKeys, existingScratchDatabase, REDIS_URL } from './scratch-services';
import { syntheticWorkload } from './synthetic-crashes';
import type { Teardown } from './teardown';
import { Cell, fmt, renderTable } from './text-table';
import { aggregateMismatches } from '../support/aggregate-recount';

export interface FleetBenchResult {
  seed: FleetSeedResult;
  /** Today's rollup against a recount from activity and profiles: after seeding, and after the hub processed the CEP sample. */
  rollupChecks: Array<{ after: string; keys: number; mismatches: string[] }>;
  cep?: CepThroughputResult;
  correlation: {
    ok: boolean;
    candidateId: string;
    expected: string;
    /** 1-based position of the planted value in the over-representation rows; 0 when absent. */
    rank: number;
    top: Array<{ attribute: string; value: string; clusterShare: number; fleetShare: number | null; difference: number | null }>;
  };
  endpoints: EndpointTiming[];
  plans: PlanEvidence[];
  sizes: TableSize[];
  crashSizes: TableSize[];
  /** The pre-aggregated tables against a from-scratch recount at the end of the run. */
  aggregateCheck: { mismatches: string[]; seconds: number };
  hostsInDatabase: number;
  perHostBytes: { cepTables: number; crashTables: number; rawCepArchivesEstimate?: number };
  peakMemoryMiB: { hubApi?: number; hubWorker?: number };
  seconds: number;
}

const CEP_TABLES = ['host', 'host_profile', 'host_collector_record', 'cep_report', 'host_activity_day', 'fleet_daily_rollup'];
const CRASH_TABLES = ['crash_report', 'candidate_host', 'bug_candidate', 'crash_hardware', 'hardware_attribute'];
/** Pre-aggregated counts the console reads, kept by triggers (their cost per host is part of the crash tables'). */
const AGGREGATE_TABLES = ['candidate_day_count', 'rig_run_count', 'candidate_host_hardware', 'candidate_attribute_hosts', 'candidate_attribute_known', 'candidate_version_seen'];
/** Public statistics must answer well under this; the report flags anything slower. */
export const STATS_BUDGET_MS = 100;
/** Interactive QA views (hardware search, over-representation) are flagged above this. */
export const QA_BUDGET_MS = 1000;
/** Console pages: server time p50 under this on the 100k-host / 1M-crash fleet (issue 12). */
export const CONSOLE_BUDGET_MS = 150;

/** One agent crash report through the API and worker, stored as a console report page would read it. */
async function postCrashReport(baseUrl: string, pg: Client, options: BenchOptions): Promise<string | undefined> {
  const report = syntheticWorkload(1, options.seed + 5)[0]!;
  const upload = jsonUpload(JSON.stringify(report.body));
  const res = await fetch(`${baseUrl}/api/v1/crash-reports`, { method: 'POST', headers: upload.headers, body: upload.body });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 202) throw new Error(`posting a crash report answered ${res.status} ${JSON.stringify(body)}`);
  await drained(pg, options.drainTimeoutMs);
  return body.id;
}

type Row = { attribute: string; value: string; clusterShare: number; fleetShare: number | null; difference: number | null };

/**
 * The fleet section: seeds a scratch database with a week of a large fleet, measures CEP report
 * processing through the real API and worker processes on it, then times the public statistics,
 * hardware-filtered searches and over-representation views on that database, and reports its
 * size per host.
 */
export async function measureFleet(options: BenchOptions, teardown: Teardown, memory: MemorySampler): Promise<FleetBenchResult> {
  const started = performance.now();
  const config = loadHubConfig({});
  const reused = options.reuseFleetDatabase;
  const database = reused ? existingScratchDatabase(reused) : await createScratchDatabase(`hub_bench_fleet_${process.pid}`);
  if (options.keepFleetDatabase) console.log(`fleet: the seeded database stays: ${database.url} (BENCH_FLEET_DATABASE=${database.name} times it again)`);
  else teardown.defer(`drop database ${database.name}`, () => database.drop());

  const migrations = new DataSource(hubDataSourceOptions(database.url, 4));
  await migrations.initialize();
  teardown.defer('close fleet seeding data source', async () => migrations.isInitialized && migrations.destroy());
  // On a kept database this is the upgrade path: the new migrations back-fill what they add.
  const migrationStarted = performance.now();
  const applied = await migrations.runMigrations();
  if (reused) console.log(`fleet: ${applied.length} pending migrations on ${database.name} in ${((performance.now() - migrationStarted) / 1000).toFixed(1)} s: ${applied.map((m) => m.name).join(', ') || 'none'}`);
  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  teardown.defer('close fleet PostgreSQL connection', () => pg.end());

  let seed: FleetSeedResult;
  if (reused) {
    seed = (await pg.query<{ result: FleetSeedResult }>('SELECT result FROM bench_fleet_seed')).rows[0]!.result;
  } else {
    seed = await seedFleet(pg, migrations, {
      hosts: options.fleetHosts,
      crashes: options.fleetCrashes,
      candidates: options.fleetCandidates,
      archetypes: options.fleetArchetypes,
      seed: options.seed,
      liveWindowDays: config.fleet.liveWindowDays,
    });
    // What a later run with BENCH_FLEET_DATABASE needs to know about the fleet it times.
    if (options.keepFleetDatabase) {
      await pg.query('CREATE TABLE bench_fleet_seed (result jsonb NOT NULL)');
      await pg.query('INSERT INTO bench_fleet_seed (result) VALUES ($1)', [JSON.stringify(seed)]);
    }
  }
  await migrations.destroy();
  const today = seed.days[seed.days.length - 1]!;
  const rollupChecks: FleetBenchResult['rollupChecks'] = [
    { after: 'seeding', ...(await rollupMismatches(pg, today, config.fleet.liveWindowDays)) },
  ];

  const prefix = `hub-bench-fleet-${process.pid}`;
  teardown.defer(`delete Redis keys ${prefix}:*`, () => dropQueueKeys(prefix));
  const env = { DATABASE_URL: database.url, REDIS_URL, QUEUE_PREFIX: prefix, LOG_FORMAT: 'json', TRUSTED_PROXIES: '127.0.0.1', ADMIN_TOKEN: BENCH_ADMIN_TOKEN };
  const port = await freePort();
  const api = await spawnHub('main', { ...env, HUB_ROLE: 'api', PORT: String(port) }, /hub listening/);
  teardown.defer('stop fleet hub api', () => api.stop());
  memory.watch('fleet hub api', api.pid);
  const baseUrl = `http://127.0.0.1:${port}`;

  let cep: CepThroughputResult | undefined;
  const worker = await spawnHub('worker', env, /worker started/);
  teardown.defer('stop fleet hub worker', () => worker.stop());
  memory.watch('fleet hub worker', worker.pid);
  if (options.cepReports > 0) {
    console.log(`fleet: posting ${options.cepReports} CEP reports`);
    cep = await measureCepThroughput(baseUrl, pg, {
      reports: options.cepReports,
      warmup: Math.min(options.warmup, 50),
      concurrency: options.concurrency,
      seed: options.seed + 3,
      archetypes: options.fleetArchetypes,
      drainTimeoutMs: options.drainTimeoutMs,
    });
    memory.peaks();
    rollupChecks.push({ after: 'the hub processed the CEP sample', ...(await rollupMismatches(pg, today, config.fleet.liveWindowDays)) });
  }
  // The seeded crash reports have no raw report behind them; the console's report page needs one.
  const storedReportId = await postCrashReport(baseUrl, pg, options);
  // Queries are timed on an idle database.
  await worker.stop();
  await pg.query('VACUUM ANALYZE');

  console.log('fleet: timing endpoints');
  const requests = options.fleetRequests;
  const planted = seed.planted;
  const hardware = await fetch(`${baseUrl}/api/v1/candidates/${planted.candidateId}/hardware`, { headers: BENCH_AUTH }).then((r) => r.json() as Promise<{ rows: Row[] }>);
  const rank = hardware.rows.findIndex((r) => r.attribute === planted.attribute && r.value === planted.value) + 1;
  const correlation = {
    ok: rank === 1,
    candidateId: planted.candidateId,
    expected: `${planted.attribute}=${planted.value}`,
    rank,
    top: hardware.rows.slice(0, 3).map(({ attribute, value, clusterShare, fleetShare, difference }) => ({ attribute, value, clusterShare, fleetShare, difference })),
  };

  const endpoints = await timeStats(baseUrl, requests);
  const probes: SearchProbe[] = [
    { name: 'cpuVendor=AMD', query: { cpuVendor: 'AMD' } },
    { name: `diskKind=nvme&memory=${seed.probes.commonMemory}`, query: { diskKind: 'nvme', memory: seed.probes.commonMemory } },
    { name: 'country=DE&origin=field', query: { country: 'DE', origin: 'field' } },
    { name: 'attr=cpu.model=<most common model>', query: { attr: `cpu.model=${seed.probes.commonCpuModel}` } },
    { name: `productVersion=${seed.probes.commonProductVersion}`, query: { productVersion: seed.probes.commonProductVersion } },
    { name: 'cpuModel=<rare model>', query: { cpuModel: RARE_CPU.model } },
  ];
  for (const probe of probes) {
    endpoints.push(
      await timeEndpoint(baseUrl, 'search', probe.name, searchPath(probe.query), requests, (b) =>
        `${b.total} candidates; top: ${b.items[0]?.matchedReports ?? 0} reports / ${b.items[0]?.matchedHosts ?? 0} hosts`,
      ),
    );
  }
  const bySize = (
    await pg.query<{ id: string; n: number }>('SELECT id, report_count AS n FROM bug_candidate WHERE report_count > 0 ORDER BY report_count DESC, id')
  ).rows;
  const targets: Array<[string, { id: string; n: number }]> = [
    ['largest', bySize[0]!],
    ['median', bySize[Math.floor(bySize.length / 2)]!],
    ['smallest', bySize[bySize.length - 1]!],
    ['planted (rare CPU)', { id: planted.candidateId, n: planted.crashes }],
  ];
  for (const [name, c] of targets) {
    endpoints.push(
      await timeEndpoint(baseUrl, 'over-representation', `${name}, ${c.n} crashes`, `/api/v1/candidates/${c.id}/hardware`, requests, (b) =>
        `${b.hosts} hosts, ${b.rows.length} rows; top ${b.rows[0]?.attribute}=${String(b.rows[0]?.value).slice(0, 32)}`,
      ),
    );
  }
  endpoints.push(
    ...(await timeConsolePages(baseUrl, requests, {
      largestCandidateId: bySize[0]!.id,
      medianCandidateId: bySize[Math.floor(bySize.length / 2)]!.id,
      reportId: storedReportId,
      productVersion: seed.probes.commonProductVersion,
      commonMemory: seed.probes.commonMemory,
      commonCpuModel: seed.probes.commonCpuModel,
    })),
  );
  const plans: PlanEvidence[] = [];
  const crashReports = (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM crash_report')).rows[0]!.n;
  for (const probe of probes) plans.push(await explainSearch(pg, probe.name, probe.query, config.grouping.hotWindowDays, crashReports));

  await api.stop();
  const peaks = memory.peaks();
  const sizes = await tableSizes(pg, CEP_TABLES);
  const crashSizes = await tableSizes(pg, [...CRASH_TABLES, ...AGGREGATE_TABLES]);
  // Seeded (or back-filled by the migrations on a kept database), then written by the hub: still what a recount says?
  const recountStarted = performance.now();
  const aggregateCheck = { mismatches: await aggregateMismatches(pg), seconds: 0 };
  aggregateCheck.seconds = (performance.now() - recountStarted) / 1000;
  const hostsInDatabase = sizes.find((s) => s.table === 'host')!.rows;
  const bytes = (list: TableSize[]) => list.reduce((sum, s) => sum + s.totalBytes, 0);
  return {
    seed,
    rollupChecks,
    cep,
    correlation,
    endpoints,
    plans,
    sizes,
    crashSizes,
    aggregateCheck,
    hostsInDatabase,
    perHostBytes: {
      cepTables: bytes(sizes) / hostsInDatabase,
      crashTables: bytes(crashSizes) / hostsInDatabase,
      // One report.tar.gz a day, kept CEP_RAW_RETENTION_DAYS after processing.
      rawCepArchivesEstimate: cep ? cep.meanReportBytes * config.fleet.cepRawRetentionDays : undefined,
    },
    peakMemoryMiB: { hubApi: peaks['fleet hub api']?.peakMiB, hubWorker: peaks['fleet hub worker']?.peakMiB },
    seconds: (performance.now() - started) / 1000,
  };
}

const mib = (bytes: number) => fmt(bytes / 1024 / 1024, 1);

/** One line on the console budget: how many pages meet it, and which do not. */
function consoleSummary(endpoints: EndpointTiming[]): string {
  const pages = endpoints.filter((e) => e.group === 'console');
  const slow = pages.filter((e) => e.status !== 200 || e.medianMs > CONSOLE_BUDGET_MS);
  return `console pages: ${pages.length - slow.length} of ${pages.length} under ${CONSOLE_BUDGET_MS} ms p50` +
    (slow.length ? `; over: ${slow.map((e) => `${e.name} ${fmt(e.medianMs, 1)} ms`).join(', ')}` : '');
}

export function fleetReport(r: FleetBenchResult): string[] {
  const s = r.seed;
  const out: string[] = [
    `Fleet: ${s.hosts} hosts on ${s.archetypes} profile archetypes (${s.profiles} host_profile versions), daily CEP reports ${s.days[0]}..${s.days[s.days.length - 1]}, ` +
      `${s.crashes} crash reports over ${s.candidates} candidates (sizes ${s.candidateSizes.largest} / ${s.candidateSizes.median} / ${s.candidateSizes.smallest} largest/median/smallest)`,
    `seeding (hub's pure functions + bulk SQL, after migrations): ${fmt(s.seconds, 1)} s`,
    renderTable(['step', 'rows', 's'], s.steps.map((st) => [st.step, st.rows, fmt(st.seconds, 1)])),
    ...r.rollupChecks.map(
      (c) =>
        `rollup check after ${c.after}: today's ${c.keys} fleet_daily_rollup cells vs a recount from host_activity_day + host_profile: ` +
        (c.mismatches.length ? `FAIL, ${c.mismatches.length} differ (${c.mismatches.slice(0, 3).join('; ')})` : 'OK'),
    ),
    '',
  ];
  const c = r.cep;
  if (c) {
    out.push(
      `CEP: ${c.reports} report.tar.gz (agent report builder, ${c.hosts} hosts, mean ${fmt(c.meanReportBytes / 1024, 1)} KiB) to POST /api/v1/cep-reports, ` +
        `${c.concurrency} in flight, API + worker processes on the seeded fleet database`,
      renderTable(['metric', 'value'], [
        ['accepted CEP reports/s', fmt(c.acceptedPerSecond)],
        ['accept latency p50 / p99 (ms)', `${fmt(c.acceptLatencyMs.p50, 1)} / ${fmt(c.acceptLatencyMs.p99, 1)}`],
        ['refused requests', c.failures.length],
        ['backlog at last accept (reports)', c.backlogAtLastAccept],
        ['processed CEP reports/s, end to end', fmt(c.processedPerSecond)],
        ['first accept → queue drained (s)', fmt(c.endToEndSeconds, 1)],
        ['cep_report rows / profile versions', `${c.cepReportRows} / ${c.profileVersions}`],
        ['invalid collector records / clone signals', `${c.invalidCollectorRecords} / ${c.cloneSignals}`],
        ['countries seen (X-Forwarded-For via GeoIP)', c.countries],
        ['peak memory hub worker (MiB)', fmt(r.peakMemoryMiB.hubWorker)],
      ] as Cell[][]),
      `raw reports: ${JSON.stringify(c.rawStatuses)}${c.rejectReasons.length ? `; rejected: ${c.rejectReasons.join(' | ')}` : ''}; sample built in ${fmt(c.buildSeconds, 1)} s`,
      '',
    );
  }
  const k = r.correlation;
  out.push(
    `planted correlation: candidate ${k.candidateId} (${s.planted.crashes} crashes on ${s.planted.hosts} of the fleet's ${s.planted.fleetHosts} hosts with ${k.expected}): ` +
      `${k.ok ? 'OK' : 'FAIL'} — ranked ${k.rank || 'nowhere'} in /candidates/:id/hardware`,
    ...k.top.map((t, i) => `  ${i + 1}. ${t.attribute}=${t.value}  cluster ${fmt(t.clusterShare * 100, 1)}%  fleet ${t.fleetShare === null ? '-' : `${fmt(t.fleetShare * 100, 2)}%`}`),
    '',
    `API timings: ${r.endpoints[0]?.requests ?? 0} sequential requests per endpoint after 3 warm-up, hub API process (budget: stats < ${STATS_BUDGET_MS} ms, console pages < ${CONSOLE_BUDGET_MS} ms, QA views < ${QA_BUDGET_MS} ms; median = server time as the client sees it on 127.0.0.1)`,
    renderTable(
      ['endpoint', 'median ms', 'p95 ms', 'max ms', 'KiB', '', 'answer'],
      r.endpoints.map((e) => {
        const budget = e.group === 'stats' ? STATS_BUDGET_MS : e.group === 'console' ? CONSOLE_BUDGET_MS : QA_BUDGET_MS;
        const flag = e.status !== 200 ? `HTTP ${e.status}` : e.medianMs > budget ? 'SLOW' : '';
        return [`${e.group}: ${e.name}`, fmt(e.medianMs, 1), fmt(e.p95Ms, 1), fmt(e.maxMs, 1), fmt(e.bytes / 1024, 1), flag, e.note.slice(0, 90)];
      }),
    ),
    consoleSummary(r.endpoints),
    `pre-aggregated counts vs a recount from crash_report / crash_hardware / candidate_host (${fmt(r.aggregateCheck.seconds, 1)} s): ` +
      (r.aggregateCheck.mismatches.length ? `FAIL, ${r.aggregateCheck.mismatches.length} rows differ (${r.aggregateCheck.mismatches.slice(0, 3).join('; ')})` : 'OK'),
    '',
    'hardware search plans (EXPLAIN ANALYZE, BUFFERS of the page query PostgresCandidateSearch sends):',
    ...r.plans.map(
      (p) =>
        `  ${p.name}: reads ${p.rowsRead} rows (${fmt(p.matchedShare * 100, 1)}% of the report count); top ${p.topNode}; GIN ${p.usesGinIndex ? 'used' : 'not used (sequential scan chosen)'}; ` +
        `${fmt(p.executionMs, 1)} ms; ${p.scans.join(', ')}`,
    ),
    `plan of '${r.plans[0]?.name}':`,
    r.plans[0]?.plan ?? '',
    '',
    `database size per host (${r.hostsInDatabase} hosts in the database):`,
    renderTable(
      ['table', 'rows', 'total MiB', 'index MiB', 'bytes/host'],
      [...r.sizes, ...r.crashSizes].map((t) => [t.table, t.rows, mib(t.totalBytes), mib(t.indexBytes), fmt(t.totalBytes / r.hostsInDatabase, 0)]),
    ),
    `CEP tables: ${fmt(r.perHostBytes.cepTables / 1024, 1)} KiB/host; crash tables: ${fmt(r.perHostBytes.crashTables / 1024, 1)} KiB/host ` +
      `(crash_report ${fmt(r.crashSizes[0]!.totalBytes / Math.max(1, r.crashSizes[0]!.rows), 0)} bytes/crash)` +
      (r.perHostBytes.rawCepArchivesEstimate !== undefined
        ? `; raw report.tar.gz kept for retention: ~${fmt(r.perHostBytes.rawCepArchivesEstimate / 1024, 0)} KiB/host more (one a day)`
        : ''),
    `fleet section: ${fmt(r.seconds, 0)} s`,
  );
  return out;
}
