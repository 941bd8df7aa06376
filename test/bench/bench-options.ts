export interface BenchOptions {
  /** Timed agent crash reports sent over HTTP. */
  reports: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Reports sent and processed before timing, so JIT and pools are warm. */
  warmup: number;
  /** Existing candidate counts at which grouping is timed. */
  candidateSizes: number[];
  /** Reports grouped (and timed) at each candidate count. */
  groupingReports: number;
  seed: number;
  /** How long processing may take to drain after the last accept. */
  drainTimeoutMs: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

export function benchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const sizes = (env.BENCH_CANDIDATE_SIZES ?? '1000,10000,100000').split(',').map((s) => s.trim()).filter(Boolean);
  const candidateSizes = sizes.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_CANDIDATE_SIZES: '${s}' is not a positive integer`);
    return n;
  });
  return {
    reports: positiveInt(env, 'BENCH_REPORTS', 2000),
    concurrency: positiveInt(env, 'BENCH_CONCURRENCY', 16),
    warmup: positiveInt(env, 'BENCH_WARMUP', 50, 0),
    candidateSizes: [...new Set(candidateSizes)].sort((a, b) => a - b),
    groupingReports: positiveInt(env, 'BENCH_GROUPING_REPORTS', 300),
    seed: positiveInt(env, 'BENCH_SEED', 20240601),
    drainTimeoutMs: positiveInt(env, 'BENCH_DRAIN_TIMEOUT_MS', 600_000),
  };
}
