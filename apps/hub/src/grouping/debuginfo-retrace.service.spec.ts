import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { HubConfig, loadHubConfig } from '../../../../libs/config/src';
import type { CrashInput } from '../../../../libs/crash-reports/src/crash-input';
import { CrashFrame, parseCoreBacktrace } from '../../../../libs/crash-signature/src';
import { InlineJobQueue } from '../../../../libs/queue/src/inline-job-queue';
import { PostgresCandidateSearch } from '../../../../libs/search/src';
import { hubDataSourceOptions } from '../../../../libs/storage/src/database-options';
import type { GroupingExplanation } from '../../../../libs/storage/src/entities';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { AuditEventRepository } from '../access/audit-event.repository';
import { AuditTrail } from '../access/audit-trail.service';
import { ReportIndexerService } from '../search/report-indexer.service';
import { CandidateRepository } from './candidate.repository';
import { CrashGroupingService } from './crash-grouping.service';
import { DebuginfoRetraceService } from './debuginfo-retrace.service';
import { RegroupingRepository } from './regrouping.repository';
import { RegroupingService } from './regrouping.service';

const EXT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'crash-corpus', 'ext');
const TREE = join(EXT, 'debuginfo');

/** A corpus core_backtrace as the hub's input, under a component of the test's choosing. */
function coreInput(sample: string, component: string): CrashInput {
  const doc = JSON.parse(readFileSync(join(EXT, 'core', `${sample}.core_backtrace.json`), 'utf8'));
  return { problemType: 'CCpp', crash: parseCoreBacktrace(doc), component, executable: doc.executable, occurrences: 1, hardware: {} };
}

interface Hub {
  grouping: CrashGroupingService;
  regrouping: RegroupingService;
}

/** Grouping and regrouping on real PostgreSQL (no HTTP, no queue consumers), with or without debuginfo. */
describe('retracing with debuginfo in grouping and regrouping (real database)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let withDebuginfo: Hub;
  let without: Hub;
  const queues: InlineJobQueue[] = [];

  function services(config: HubConfig): Hub {
    const candidates = new CandidateRepository();
    const indexer = new ReportIndexerService(config, ds, new PostgresCandidateSearch(ds));
    const retracer = new DebuginfoRetraceService(config);
    // Regroup jobs stay pending (no handler): the test runs regrouping itself, as the job would.
    const queue = new InlineJobQueue({ attempts: 1, backoffMs: 1, concurrency: 1 });
    queues.push(queue);
    return {
      grouping: new CrashGroupingService(config, ds, candidates, indexer, new AuditTrail(new AuditEventRepository(ds)), queue, retracer),
      regrouping: new RegroupingService(config, ds, candidates, new RegroupingRepository(), indexer, retracer),
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase('debuginfo_retrace');
    ds = new DataSource(hubDataSourceOptions(db.url, 4));
    await ds.initialize();
    await ds.runMigrations();
    withDebuginfo = services(loadHubConfig({ DEBUGINFO_DIRS: TREE }));
    without = services(loadHubConfig({}));
  });
  afterAll(async () => {
    for (const q of queues) await q.close();
    await ds?.destroy();
    await db?.drop();
  });

  async function group(hub: Hub, sample: string, component: string): Promise<string> {
    const id = randomUUID();
    await ds.transaction((m) =>
      hub.grouping.groupAndStore(m, coreInput(sample, component), {
        id,
        crashedAt: new Date('2026-03-01T00:00:00Z'),
        hostKey: null,
        labels: {},
        hostId: null,
        hostProfileId: null,
        country: null,
        hardwareAttrs: [],
      }),
    );
    return id;
  }

  async function stored(id: string): Promise<{ candidate: string; grouping: GroupingExplanation; functions: string[] }> {
    const [row] = await ds.query('SELECT candidate_id, grouping, normalized_frames FROM crash_report WHERE id = $1', [id]);
    return { candidate: row.candidate_id, grouping: row.grouping, functions: row.normalized_frames.map((f: { function: string }) => f.function) };
  }

  // check_user() crashing in strcmp: symbolised -O0 builds, a stripped build with no symbolised sibling
  // (its frames are bare build id + offset), and an LTO build where check_user was inlined into main.
  const samples = {
    user: 'vzuser-sim.user.gcc-O0',
    group: 'vzuser-sim.group.gcc-O0',
    strippedOnly: 'vzuser-sim.user.clang-O2-stripped-only',
    ltoMainOnly: 'vzuser-sim.user.clang-O3-lto',
  };

  it('groups a stripped-only report and an LTO main-only report with their bug, and notes the retrace', async () => {
    const component = 'vzuser-sim';
    const user = await group(withDebuginfo, samples.user, component);
    const other = await group(withDebuginfo, samples.group, component);
    const stripped = await group(withDebuginfo, samples.strippedOnly, component);
    const lto = await group(withDebuginfo, samples.ltoMainOnly, component);
    await withDebuginfo.regrouping.regroupScope('core', component, 'better-exemplar');

    const [u, o, s, l] = [await stored(user), await stored(other), await stored(stripped), await stored(lto)];
    expect(s.candidate).toBe(u.candidate);
    expect(l.candidate).toBe(u.candidate);
    expect(o.candidate).not.toBe(u.candidate);
    // The report carried only `main` (LTO) or nothing at all (stripped); debuginfo found check_user inlined there.
    for (const r of [s, l]) {
      expect(r.functions).toEqual(expect.arrayContaining(['check_user', 'main']));
      expect(r.grouping.retraced).toMatchObject({ inlinedFrames: 1 });
      expect(r.grouping.note).toBeUndefined();
    }
    expect(s.grouping.retraced!.frames).toBeGreaterThanOrEqual(1);
    // Regrouping again with the same debuginfo changes nothing.
    expect(await withDebuginfo.regrouping.regroupScope('core', component, 'reprocess')).toMatchObject({ moved: 0, rewritten: 0 });
  });

  it('without debuginfo the same reports stay apart; regrouping once debuginfo is installed joins them', async () => {
    const component = 'vzuser-sim-late-debuginfo';
    const user = await group(without, samples.user, component);
    const stripped = await group(without, samples.strippedOnly, component);
    const lto = await group(without, samples.ltoMainOnly, component);
    await without.regrouping.regroupScope('core', component, 'better-exemplar');
    const before = [await stored(user), await stored(stripped), await stored(lto)];
    expect(new Set(before.map((r) => r.candidate)).size).toBe(3);
    expect(before[1].functions.some((f) => f.includes('@'))).toBe(true);
    expect(before[1].grouping.note).toMatch(/stripped build/);
    expect(before.every((r) => r.grouping.retraced === undefined)).toBe(true);

    // What `reprocess` does after DEBUGINFO_DIRS is set: the same retrace as incremental grouping.
    const summary = await withDebuginfo.regrouping.regroupScope('core', component, 'reprocess');
    expect(summary.moved).toBe(2);
    const after = [await stored(user), await stored(stripped), await stored(lto)];
    expect(new Set(after.map((r) => r.candidate)).size).toBe(1);
    expect(after[1].grouping).toMatchObject({ retraced: { inlinedFrames: 1 }, regrouped: { reason: 'reprocess' } });
    expect(after[1].grouping.note).toBeUndefined();
  });
});

describe('DebuginfoRetraceService without a database', () => {
  const thread = (sample: string): CrashFrame[] => coreInput(sample, 'vzuser-sim').crash.frames;
  const stripped = thread('vzuser-sim.user.clang-O2-stripped-only');

  it('answers every thread as it was when DEBUGINFO_DIRS is unset', async () => {
    const [result] = await new DebuginfoRetraceService(loadHubConfig({})).retrace([stripped]);
    expect(result).toEqual({ frames: stripped, retraced: 0, inlined: 0, buildIds: [] });
  });

  it('leaves frames whose build has no debug file, or whose build id is no hex, as they were', async () => {
    const retracer = new DebuginfoRetraceService(loadHubConfig({ DEBUGINFO_DIRS: TREE }));
    const foreign = stripped.map((f) => (f.buildId ? { ...f, buildId: f.buildId.replace(/^../, 'ff') } : f));
    const hostile = stripped.map((f) => (f.buildId ? { ...f, buildId: `../../${f.buildId}` } : f));
    const [a, b] = await retracer.retrace([foreign, hostile]);
    expect(a.frames).toBe(foreign);
    expect(b.frames).toBe(hostile);
  });

  it('retraces a batch of threads, and a failed addr2line run leaves frames as reported without remembering it', async () => {
    const config = loadHubConfig({ DEBUGINFO_DIRS: TREE });
    const tool = config.debuginfo!.addr2line;
    const retracer = new DebuginfoRetraceService(config);
    config.debuginfo!.addr2line = '/bin/false';
    const [failed] = await retracer.retrace([stripped]);
    expect(failed.retraced).toBe(0);
    config.debuginfo!.addr2line = tool;
    const [user, group] = await retracer.retrace([stripped, thread('vzuser-sim.group.clang-O2-stripped-only')]);
    expect(user.frames.map((f) => f.function)).toEqual(expect.arrayContaining(['check_user', 'main']));
    expect(group.frames.map((f) => f.function)).toEqual(expect.arrayContaining(['check_group', 'main']));
    expect(user.frames.find((f) => f.function === 'check_user')).toMatchObject({ inlined: true, sourceFile: expect.stringMatching(/vzuser-sim\.c$/), line: expect.any(Number) });
    expect(user.buildIds).toHaveLength(1);
  });
});
