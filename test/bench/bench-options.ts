export const BENCH_SECTIONS = ['http', 'grouping', 'fleet', 'limits'] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

export interface BenchOptions {
  /** Sections to run (`--only fleet`, `--only http,grouping`); all by default. */
  sections: BenchSection[];
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
  /** Reports in the component the regrouping job rebuilds (its cost is printed per 10k reports). */
  regroupReports: number;
  seed: number;
  /** How long processing may take to drain after the last accept. */
  drainTimeoutMs: number;
  /** Seeded fleet: hosts with a week of daily CEP reports. */
  fleetHosts: number;
  /** Seeded crash reports and the candidates they fall into. */
  fleetCrashes: number;
  fleetCandidates: number;
  /** Distinct synthetic host profiles the fleet is drawn from (plus upgrades and the rare-CPU ones). */
  fleetArchetypes: number;
  /** report.tar.gz posted through the hub to measure CEP processing; 0 skips it. */
  cepReports: number;
  /** Timed requests per endpoint on the seeded fleet. */
  fleetRequests: number;
  /** Leave the seeded fleet database in place (BENCH_KEEP_DATABASE=1). */
  keepFleetDatabase: boolean;
  /** Time a fleet database an earlier run kept (BENCH_FLEET_DATABASE=<name>) instead of seeding one; pending migrations run on it. */
  reuseFleetDatabase?: string;
}

/** `--only a,b` or `--only=a,b` on the command line (npm run bench -- --only fleet). */
function sections(argv: readonly string[]): BenchSection[] {
  const at = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (at < 0) return [...BENCH_SECTIONS];
  const value = argv[at]!.startsWith('--only=') ? argv[at]!.slice('--only='.length) : argv[at + 1];
  const chosen = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = chosen.filter((s) => !(BENCH_SECTIONS as readonly string[]).includes(s));
  if (!chosen.length || unknown.length) throw new Error(`--only takes a comma list of ${BENCH_SECTIONS.join(', ')}; got '${value ?? ''}'`);
  return BENCH_SECTIONS.filter((s) => chosen.includes(s));
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

export function benchOptions(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  const sizes = (env.BENCH_CANDIDATE_SIZES ?? '1000,10000,100000').split(',').map((s) => s.trim()).filter(Boolean);
  const candidateSizes = sizes.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_CANDIDATE_SIZES: '${s}' is not a positive integer`);
    return n;
  });
  const fleetCrashes = positiveInt(env, 'BENCH_FLEET_CRASHES', 1_000_000);
  const fleetCandidates = positiveInt(env, 'BENCH_FLEET_CANDIDATES', 10_000, 40);
  // Every candidate holds at least one crash report.
  if (fleetCrashes < fleetCandidates) throw new Error(`BENCH_FLEET_CRASHES (${fleetCrashes}) must be >= BENCH_FLEET_CANDIDATES (${fleetCandidates})`);
  return {
    sections: sections(argv),
    reports: positiveInt(env, 'BENCH_REPORTS', 2000),
    concurrency: positiveInt(env, 'BENCH_CONCURRENCY', 16),
    warmup: positiveInt(env, 'BENCH_WARMUP', 50, 0),
    candidateSizes: [...new Set(candidateSizes)].sort((a, b) => a - b),
    groupingReports: positiveInt(env, 'BENCH_GROUPING_REPORTS', 300),
    regroupReports: positiveInt(env, 'BENCH_REGROUP_REPORTS', 10_000),
    seed: positiveInt(env, 'BENCH_SEED', 20240601),
    drainTimeoutMs: positiveInt(env, 'BENCH_DRAIN_TIMEOUT_MS', 600_000),
    fleetHosts: positiveInt(env, 'BENCH_FLEET_HOSTS', 100_000, 10),
    fleetCrashes,
    fleetCandidates,
    fleetArchetypes: positiveInt(env, 'BENCH_FLEET_ARCHETYPES', 300),
    cepReports: positiveInt(env, 'BENCH_CEP_REPORTS', 2000, 0),
    fleetRequests: positiveInt(env, 'BENCH_FLEET_REQUESTS', 25, 20),
    // For query-plan work (`psql <url>`) on a fleet that takes minutes to build.
    keepFleetDatabase: env.BENCH_KEEP_DATABASE === '1' || Boolean(env.BENCH_FLEET_DATABASE),
    reuseFleetDatabase: env.BENCH_FLEET_DATABASE || undefined,
  };
}
