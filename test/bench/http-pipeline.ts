import { Client } from 'pg';
import { freePort, spawnHub } from '../support/processes';
import { UNREACHED_QUOTAS } from './limits-bench';
import type { BenchOptions } from './bench-options';
import { drained, failIfRefused, IntakeThroughput, jsonUpload, measureIntake, postConcurrently } from './http-load';
import type { MemorySampler } from './memory-sampler';
import { dropQueueKeys, REDIS_URL, ScratchDatabase } from './scratch-services';
import { syntheticWorkload, WorkloadKind } from './synthetic-crashes';
import type { Teardown } from './teardown';

export interface HttpPipelineResult extends IntakeThroughput {
  reports: number;
  workload: Record<WorkloadKind, number>;
  rawStatuses: Record<string, number>;
  groupingMethods: Record<string, number>;
  candidates: number;
  rejectReasons: string[];
}

const ROUTE = '/api/v1/crash-reports';

/**
 * The production shape: an API process and a separate worker process of the built hub, on
 * PostgreSQL and Bull/Redis. Reports are posted over HTTP; processing is done when the worker
 * has left no raw report queued.
 */
export async function measureHttpPipeline(
  database: ScratchDatabase,
  options: BenchOptions,
  teardown: Teardown,
  memory: MemorySampler,
): Promise<HttpPipelineResult> {
  const prefix = `hub-bench-${process.pid}`;
  teardown.defer(`delete Redis keys ${prefix}:*`, () => dropQueueKeys(prefix));
  // Quotas counted (the guard's Redis round trip is part of accept latency) but never reached:
  // one bench client stands for a whole fleet, and its popular synthetic hosts report often.
  const env = { DATABASE_URL: database.url, REDIS_URL, QUEUE_PREFIX: prefix, LOG_FORMAT: 'json', ...UNREACHED_QUOTAS };
  const port = await freePort();
  // One after the other: both run the migrations at start.
  const api = await spawnHub('main', { ...env, HUB_ROLE: 'api', PORT: String(port) }, /hub listening/);
  teardown.defer('stop hub api', () => api.stop());
  memory.watch('hub api', api.pid);
  const worker = await spawnHub('worker', env, /worker started/);
  teardown.defer('stop hub worker', () => worker.stop());
  memory.watch('hub worker', worker.pid);

  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  teardown.defer('close bench PostgreSQL connection', () => pg.end());
  const url = `http://127.0.0.1:${port}${ROUTE}`;

  if (options.warmup > 0) {
    const warm = syntheticWorkload(options.warmup, options.seed + 1).map((r) => jsonUpload(JSON.stringify(r.body)));
    failIfRefused(await postConcurrently(url, warm, options.concurrency), 'warm-up reports');
    await drained(pg, options.drainTimeoutMs);
  }

  const workload = syntheticWorkload(options.reports, options.seed);
  const intake = await measureIntake(url, workload.map((r) => jsonUpload(JSON.stringify(r.body))), options.concurrency, pg, options.drainTimeoutMs);

  const counts = async (sql: string) =>
    Object.fromEntries((await pg.query<{ k: string; n: number }>(sql)).rows.map((r) => [r.k, r.n]));
  const result: HttpPipelineResult = {
    reports: options.reports,
    ...intake,
    workload: { 'new-bug': 0, repeat: 0, 'near-duplicate': 0, ...countBy(workload.map((r) => r.kind)) },
    rawStatuses: await counts(`SELECT status AS k, count(*)::int AS n FROM raw_report GROUP BY 1 ORDER BY 1`),
    groupingMethods: await counts(`SELECT grouping->>'method' AS k, count(*)::int AS n FROM crash_report GROUP BY 1 ORDER BY 1`),
    candidates: (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM bug_candidate')).rows[0]!.n,
    rejectReasons: (await pg.query<{ r: string }>(`SELECT DISTINCT reject_reason AS r FROM raw_report WHERE status = 'rejected' LIMIT 5`)).rows.map((r) => r.r),
  };
  memory.peaks();
  await Promise.all([api.stop(), worker.stop()]);
  // The grouping phase seeds this database from empty.
  await pg.query(
    'TRUNCATE raw_report, crash_report, crash_hardware, hardware_attribute, bug_candidate, candidate_signature, candidate_bucket, candidate_host, grouping_rule, report_attachment',
  );
  return result;
}

function countBy<T extends string>(items: T[]): Partial<Record<T, number>> {
  const out: Partial<Record<T, number>> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return out;
}
