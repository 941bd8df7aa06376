import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { compressedZeros, craftTar } from '../support/archive-builder';
import { largeProblemDirStream, peakRss, putStream } from '../support/large-problem-dir';
import { freePort, RunningProcess, spawnHub } from '../support/processes';
import type { BenchOptions } from './bench-options';
import { drained, jsonUpload, measureIntake, postConcurrently } from './http-load';
import { LatencySummary, summarize } from './latency-stats';
import { createScratchDatabase, dropQueueKeys, REDIS_URL } from './scratch-services';
import { syntheticWorkload } from './synthetic-crashes';
import { Cell, fmt, renderTable } from './text-table';
import type { Teardown } from './teardown';

const MiB = 1024 * 1024;

/** Quotas high enough that a bench client is never refused, while every request is still counted. */
export const UNREACHED_QUOTAS = { RATE_LIMIT_PER_KEY: '1000000000', RATE_LIMIT_PER_HOST: '1000000000', RATE_LIMIT_PER_CLIENT: '1000000000' };

export interface LimitsBenchResult {
  health: { idle: LatencySummary; duringBombs: LatencySummary; bombs: number; bombStatuses: string[]; bombsSeconds: number; bombUnpackedMiB: number; apiPeakMiB: number };
  uploads: { sizeMB: number; count: number; mbPerSecond: number[]; apiPeakMiB: number; statuses: string[] };
  accept: Array<{ auth: string; reportsPerSecond: number; p50Ms: number; p99Ms: number; refused: number }>;
}

/** A rig key issued the way an admin would: POST /api/v1/rig-keys with the admin token. */
async function issueRigKey(url: string, adminToken: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/rig-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rigName: 'bench-rig', labels: { build: 'bench', testRun: 'limits' } }),
  });
  const body = (await res.json()) as { key?: string };
  if (res.status !== 201 || !body.key) throw new Error(`issuing a rig key answered ${res.status} ${JSON.stringify(body)}`);
  return body.key;
}

async function healthSamples(url: string, until: () => boolean, min = 0): Promise<number[]> {
  const samples: number[] = [];
  while (!until() || samples.length < min) {
    const started = performance.now();
    const res = await fetch(`${url}/health`);
    await res.text();
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * `npm run bench -- --only limits`: /health latency while four bzip2 bombs decode on the archive
 * workers (the ratio bound lifted so each really inflates BENCH_BOMB_MIB), upload throughput and
 * API peak memory for 1 GB problem dirs (core included), accept throughput open vs with a rig key.
 */
export async function measureLimits(options: BenchOptions, teardown: Teardown): Promise<LimitsBenchResult> {
  const database = await createScratchDatabase(`hub_bench_limits_${process.pid}`);
  teardown.defer(`drop database ${database.name}`, () => database.drop());
  const prefix = `hub-bench-limits-${process.pid}`;
  teardown.defer(`delete Redis keys ${prefix}:*`, () => dropQueueKeys(prefix));
  const bombMiB = Number(process.env.BENCH_BOMB_MIB ?? 256);
  const env = { DATABASE_URL: database.url, REDIS_URL, QUEUE_PREFIX: prefix, LOG_FORMAT: 'json', ...UNREACHED_QUOTAS };
  // The bombs' API: the ratio bound lifted, so each bomb really inflates bombMiB on a worker thread.
  const bombLimits = { ARCHIVE_MAX_RATIO: '1000000000', ARCHIVE_MAX_STREAM_BYTES: String(bombMiB * MiB) };
  const spawnApi = async (extra: Record<string, string>): Promise<{ api: RunningProcess; url: string }> => {
    const port = await freePort();
    const api = await spawnHub('main', { ...env, ...extra, HUB_ROLE: 'api', PORT: String(port) }, /hub listening/);
    teardown.defer(`stop hub api :${port}`, () => api.stop());
    return { api, url: `http://127.0.0.1:${port}` };
  };
  const { api, url } = await spawnApi(bombLimits);
  const worker = await spawnHub('worker', env, /worker started/);
  teardown.defer('stop hub worker', () => worker.stop());
  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  teardown.defer('close bench pg', () => pg.end());
  try {
    return await measure(url, api, pg, options, bombMiB, spawnApi);
  } catch (error) {
    // The hub's own account of what went wrong, when a request to it failed.
    console.error(`hub api output (tail):\n${api.output().slice(-4000)}`);
    throw error;
  }
}

async function measure(
  url: string,
  api: RunningProcess,
  pg: Client,
  options: BenchOptions,
  bombMiB: number,
  spawnApi: (extra: Record<string, string>) => Promise<{ api: RunningProcess; url: string }>,
): Promise<LimitsBenchResult> {

  // Built first: compressing 4 GiB of zeros blocks this process for seconds, long enough for the
  // hub to close idle keep-alive connections that fetch would then reuse.
  const bomb = compressedZeros(4 * 1024 * MiB, 'bz2', craftTar([{ name: 'pd/type', body: 'CCpp' }, { name: 'pd/maps', declaredSize: 4 * 1024 * MiB }], { endMarker: false }));
  // /health alone, then while four bombs inflate.
  let stopIdle = false;
  setTimeout(() => (stopIdle = true), 3000);
  const idle = await healthSamples(url, () => stopIdle, 50);
  let done = 0;
  const bombsStarted = performance.now();
  const bombs = Array.from({ length: 4 }, () =>
    fetch(`${url}/api/v1/crash-archives`, { method: 'POST', headers: { 'content-type': 'application/x-bzip2' }, body: bomb }).then(
      async (res) => {
        await res.text();
        done++;
        return String(res.status);
      },
      (error: Error) => {
        done++;
        return `failed: ${String((error.cause as Error | undefined)?.message ?? error.message)}`;
      },
    ),
  );
  const during = await healthSamples(url, () => done === 4);
  const bombStatuses = await Promise.all(bombs);
  if (bombStatuses.some((s) => s.startsWith('failed'))) console.error(`a bomb upload failed; hub api output (tail):\n${api.output().slice(-4000)}`);
  const bombsSeconds = (performance.now() - bombsStarted) / 1000;

  // 1 GB problem dirs, core included, streamed like reporter-upload's curl -T, to an API with the
  // default limits (its own process, so its peak memory is the uploads' alone).
  const uploadApi = await spawnApi({});
  const uploadBytes = Number(process.env.BENCH_UPLOAD_MB ?? 1000) * 1000 * 1000;
  const uploadCount = Number(process.env.BENCH_UPLOADS ?? 2);
  const mbPerSecond: number[] = [];
  const statuses: string[] = [];
  for (let i = 0; i < uploadCount; i++) {
    const started = performance.now();
    const res = await putStream(`${uploadApi.url}/upload/ccpp-bench-${i}.tar.gz`, largeProblemDirStream(uploadBytes, `ccpp-2024-05-06-07:08:09.${i}-42`), { 'x-report-id': randomUUID() });
    mbPerSecond.push(uploadBytes / 1e6 / ((performance.now() - started) / 1000));
    statuses.push(`${res.status} ${String(res.body.status)} ${JSON.stringify(res.body.skipped ?? [])}`);
  }
  const apiPeakMiB = peakRss(uploadApi.api.pid) / MiB;
  const bombApiPeakMiB = peakRss(api.pid) / MiB;

  // Accept throughput without and with a credential: the open API above against one taking keys only,
  // sent a real rig key (issued through the admin API) as Bearer and as reporter-upload's HTTP Basic.
  const adminToken = 'bench-admin-token-0123456789';
  const keysOnly = await spawnApi({ INGEST_MODE: 'keys', ADMIN_TOKEN: adminToken });
  const rigKey = await issueRigKey(keysOnly.url, adminToken);
  const accept: LimitsBenchResult['accept'] = [];
  const reports = Math.min(options.reports, 1000);
  const runs = [
    { auth: 'off (open ingestion)', url: uploadApi.url, headers: {} as Record<string, string> },
    { auth: 'on (rig key, Bearer)', url: keysOnly.url, headers: { authorization: `Bearer ${rigKey}` } },
    { auth: 'on (rig key, HTTP Basic password)', url: keysOnly.url, headers: { authorization: `Basic ${Buffer.from(`bench-rig:${rigKey}`).toString('base64')}` } },
  ];
  const uploadsFor = (run: (typeof runs)[number], count: number, seed: number) =>
    syntheticWorkload(count, seed).map((r) => {
      const upload = jsonUpload(JSON.stringify({ ...r.body, reportId: randomUUID() }));
      return { ...upload, headers: { ...upload.headers, ...run.headers } };
    });
  // Each API warmed (JIT, connection pools) before any timing; two interleaved rounds show the noise
  // of a shared machine instead of hiding it in one order; within a round every run sends the same crashes.
  for (const run of runs) await postConcurrently(`${run.url}/api/v1/crash-reports`, uploadsFor(run, Math.max(options.warmup, 1), options.seed + 100), options.concurrency);
  for (let round = 1; round <= 2; round++) {
    for (const run of runs) {
      // The worker still processing the previous run (or the uploads) would share the CPUs with this one.
      await drained(pg, options.drainTimeoutMs);
      const intake = await measureIntake(`${run.url}/api/v1/crash-reports`, uploadsFor(run, reports, options.seed + round), options.concurrency, pg, options.drainTimeoutMs);
      accept.push({ auth: `${run.auth}, round ${round}`, reportsPerSecond: intake.acceptedPerSecond, p50Ms: intake.acceptLatencyMs.p50, p99Ms: intake.acceptLatencyMs.p99, refused: intake.failures.length });
    }
  }
  await drained(pg, options.drainTimeoutMs);
  return {
    health: { idle: summarize(idle), duringBombs: summarize(during), bombs: 4, bombStatuses, bombsSeconds, bombUnpackedMiB: bombMiB, apiPeakMiB: bombApiPeakMiB },
    uploads: { sizeMB: uploadBytes / 1e6, count: uploadCount, mbPerSecond, apiPeakMiB, statuses },
    accept,
  };
}

export function limitsReport(r: LimitsBenchResult): string[] {
  const h = r.health;
  const rows: Cell[][] = [
    ['/health idle p50 / p99 / max (ms)', `${fmt(h.idle.p50, 1)} / ${fmt(h.idle.p99, 1)} / ${fmt(h.idle.max, 1)} (${h.idle.count} requests)`],
    [`/health during ${h.bombs} bzip2 bombs p50 / p99 / max (ms)`, `${fmt(h.duringBombs.p50, 1)} / ${fmt(h.duringBombs.p99, 1)} / ${fmt(h.duringBombs.max, 1)} (${h.duringBombs.count} requests; target p99 < 100)`],
    ['bombs: answers, seconds until the last', `${h.bombStatuses.join(', ')} after ${fmt(h.bombsSeconds, 1)} s (each inflating ${h.bombUnpackedMiB} MiB)`],
    ['peak memory hub api under the bombs (MiB, VmHWM)', fmt(h.apiPeakMiB)],
    [`upload ${r.uploads.count} × ${fmt(r.uploads.sizeMB, 0)} MB problem dir (MB/s)`, r.uploads.mbPerSecond.map((v) => fmt(v, 1)).join(', ')],
    ['peak memory hub api during uploads (MiB, VmHWM)', fmt(r.uploads.apiPeakMiB)],
    ...r.uploads.statuses.map((s, i): Cell[] => [`upload ${i + 1} answer`, s]),
    ...r.accept.map((a): Cell[] => [`accept, auth ${a.auth}: reports/s, p50 / p99 ms, refused`, `${fmt(a.reportsPerSecond)}, ${fmt(a.p50Ms, 1)} / ${fmt(a.p99Ms, 1)}, ${a.refused}`]),
  ];
  return ['Limits: event loop under decompression bombs, streamed problem-dir uploads, accept with and without a credential', renderTable(['metric', 'value'], rows)];
}
