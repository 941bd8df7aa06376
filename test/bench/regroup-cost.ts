import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { CrashGroupingService } from '../../apps/hub/src/grouping/crash-grouping.service';
import { RegroupingService, RegroupSummary } from '../../apps/hub/src/grouping/regrouping.service';
import { ReprocessService } from '../../apps/hub/src/grouping/reprocess.service';
import { startHub } from '../../apps/hub/src/hub-application';
import { loadHubConfig } from '../../libs/config/src';
import { AgentCrashReportSchema } from '../../libs/contracts/src';
import { crashFromUReport } from '../../libs/crash-reports/src/ureport-to-crash';
import { agentCrashReport, CrashStackGenerator, SeededRandom, SyntheticStack } from './synthetic-crashes';
import type { Teardown } from './teardown';

export interface RegroupCostResult {
  /** Reports in the one component the regroup job rebuilds. */
  reports: number;
  candidates: number;
  /** The job's first run (orders its clusters, may move reports) and a second run that finds nothing to change. */
  firstRunSeconds: number;
  noopRunSeconds: number;
  secondsPer10kReports: number;
  firstRun: RegroupSummary;
  /** `reprocess` over the whole database (every component of this run's grouping sections). */
  reprocess: { reports: number; seconds: number; reportsPerSecond: number };
}

/**
 * The regrouping job's cost: one component of `reports` crash reports (a third exact repeats, a third
 * near duplicates, a third new stacks, as the grouping section uses) grouped through
 * CrashGroupingService, then RegroupingService.regroupScope timed as the job runs it; then the full
 * `reprocess` (ReprocessService.run) over everything in the database.
 */
export async function measureRegroupCost(databaseUrl: string, reports: number, seed: number, teardown: Teardown): Promise<RegroupCostResult> {
  const config = loadHubConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', DB_POOL_SIZE: '4' });
  const hub = await startHub(config, { api: false, worker: false, reprocess: true });
  teardown.defer('close in-process regroup context', () => hub.close());
  const db = hub.app.get(DataSource);
  const grouping = hub.app.get(CrashGroupingService);
  const random = new SeededRandom(seed);
  const generator = new CrashStackGenerator(random);
  const component = 'bench-regroup';
  const stacks: SyntheticStack[] = [];
  for (let i = 0; i < reports; i++) {
    const base = stacks.length && i % 3 !== 2 ? stacks[Math.floor(random.next() * stacks.length)] : undefined;
    const stack = !base ? generator.newStack(component) : i % 3 === 0 ? base : generator.nearDuplicate(base);
    stacks.push(stack);
    const body = AgentCrashReportSchema.parse(agentCrashReport(stack, random, new Date()));
    const input = crashFromUReport(body.ureport);
    await db.transaction((m) =>
      grouping.groupAndStore(m, input, {
        id: randomUUID(), crashedAt: new Date(body.crashedAt!), hostKey: `host:${body.hostId}`, labels: {},
        hostId: null, hostProfileId: null, country: null, hardwareAttrs: [],
      }),
    );
  }
  const regrouping = hub.app.get(RegroupingService);
  let started = performance.now();
  const firstRun = await regrouping.regroupScope('core', component, 'better-exemplar', 'bench');
  const firstRunSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await regrouping.regroupScope('core', component, 'better-exemplar', 'bench');
  const noopRunSeconds = (performance.now() - started) / 1000;
  const [{ n: candidates }] = await db.query(
    'SELECT count(*)::int AS n FROM bug_candidate WHERE component = $1 AND merged_into_id IS NULL',
    [component],
  );

  started = performance.now();
  const all = await hub.app.get(ReprocessService).run();
  const seconds = (performance.now() - started) / 1000;
  return {
    reports,
    candidates,
    firstRunSeconds,
    noopRunSeconds,
    secondsPer10kReports: (firstRunSeconds * 10_000) / reports,
    firstRun,
    reprocess: { reports: all.reports, seconds, reportsPerSecond: all.reports / seconds },
  };
}
