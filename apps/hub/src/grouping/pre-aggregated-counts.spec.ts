import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CandidateQuerySchema } from '../../../../libs/contracts/src';
import { PostgresCandidateSearch } from '../../../../libs/search/src';
import { hardwareFilterGroups } from '../../../../libs/search/src/hardware-filter-groups';
import { CrashReportEntity } from '../../../../libs/storage/src/entities';
import { hubDataSourceOptions } from '../../../../libs/storage/src/database-options';
import { hardwareAttributeIds } from '../../../../libs/storage/src/crash-hardware-sql';
import { aggregateMismatches } from '../../../../test/support/aggregate-recount';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { HostErasureRepository } from '../fleet/host-erasure.repository';
import { HostRepository } from '../fleet/host.repository';
import { CandidateRepository } from './candidate.repository';
import { RegroupingRepository } from './regrouping.repository';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-20T12:00:00Z');

/** A small deterministic generator, so a failure replays. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/**
 * The pre-aggregated counts (candidate_day_count, rig_run_count, candidate_host_hardware) against a
 * from-scratch recount after every kind of write the hub makes to crash reports, through the
 * repositories that make them: ingest, merge, split, regrouping/reprocess, host relink, erasure.
 * Then the hardware search read from candidate_host_hardware against the per-report query it replaced.
 */
describe('pre-aggregated crash counts (real database)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const candidates = new CandidateRepository();
  const regrouping = new RegroupingRepository();
  const hosts = new HostRepository();
  const erasure = new HostErasureRepository();
  const random = lcg(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const candidateIds = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const hostIds = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const hashes = ['hash-a', 'hash-b', 'hash-c'];

  beforeAll(async () => {
    db = await createTestDatabase('pre_aggregated_counts');
    ds = new DataSource(hubDataSourceOptions(db.url, 4));
    await ds.initialize();
    await ds.runMigrations();
    for (const id of candidateIds) {
      await ds.query(
        `INSERT INTO bug_candidate (id, family, component, exact_hash, signature_text, representative_frames, exemplars, first_seen, last_seen)
         VALUES ($1, 'core', 'vzctl', $2, 'f', '[]', '[]', $3, $3)`,
        [id, `hash-${id}`, new Date(NOW)],
      );
    }
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  function report(candidateId: string): CrashReportEntity {
    const hostIndex = Math.floor(random() * (hostIds.length + 1));
    const hostId = hostIndex < hostIds.length ? hostIds[hostIndex]! : null;
    const rig = random() < 0.3;
    const labels: Record<string, string> = rig ? { rig: pick(['rig-1', 'rig-2']), build: pick(['b1', 'b2']), ...(random() < 0.5 ? { test_run: pick(['t1', 't2']) } : {}) } : {};
    const attrs = [`product.version=Virtuozzo ${pick(['7.5.1', '7.5.2'])}`, `cpu.vendor=${pick(['AMD', 'Intel'])}`, `disk.kind=${pick(['nvme', 'ssd'])}`];
    if (random() < 0.3) attrs.push('disk.kind=hdd');
    return Object.assign(new CrashReportEntity(), {
      id: randomUUID(), candidateId, family: 'core', problemType: 'CCpp', component: 'vzctl', executable: '/usr/sbin/vzctl', reason: 'SIGSEGV',
      crashedAt: new Date(NOW - Math.floor(random() * 20 * DAY)), hostKey: hostId ? `host:${hostId}` : null, hostId, hostProfileId: null, country: 'DE',
      hardwareAttrs: attrs, packageName: 'vzctl', packageVersion: random() < 0.2 ? null : pick(['7.0.1', '7.0.2']), osRelease: null, kernel: null,
      architecture: 'x86_64', exactHash: pick(hashes), signatureText: 'f', normalizedFrames: [], duphash: null, bthash: null, labels, occurrences: 1,
      grouping: { method: 'exact-signature', normalizationVersion: 1 }, groupingInput: null, hardware: {},
    });
  }

  async function ingest(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const r = report(pick(candidateIds));
      await ds.transaction(async (m) => {
        // As grouping does: the host is counted in first, then the report stored adds its attributes.
        await candidates.countReport(m, r.candidateId, r.crashedAt, 1, r.hostKey);
        await candidates.insertReport(m, r);
      });
    }
  }

  const reportIds = async (where: string, params: unknown[] = []): Promise<string[]> =>
    ((await ds.query(`SELECT id FROM crash_report WHERE ${where} ORDER BY id`, params)) as Array<{ id: string }>).map((r) => r.id);

  it('match a recount after ingest', async () => {
    await ingest(120);
    const kept = (await ds.query('SELECT sum(reports)::int AS n FROM candidate_day_count')) as Array<{ n: number }>;
    expect(kept[0]!.n).toBe(120);
    expect(await aggregateMismatches(ds)).toEqual([]);
  });

  it('match a recount after a merge and a split', async () => {
    const [a, b, c] = candidateIds;
    await ds.transaction(async (m) => {
      expect(await candidates.moveReports(m, b!, a!)).toBeGreaterThan(0);
      await candidates.recount(m, a!);
      await candidates.recount(m, b!);
    });
    expect(await aggregateMismatches(ds)).toEqual([]);
    expect(await ds.query('SELECT count(*)::int AS n FROM candidate_day_count WHERE candidate_id = $1', [b])).toEqual([{ n: 0 }]);
    await ds.transaction(async (m) => {
      expect(await candidates.moveReports(m, a!, c!, 'hash-b')).toBeGreaterThan(0);
    });
    expect(await aggregateMismatches(ds)).toEqual([]);
  });

  it('match a recount after regrouping rewrites reports (the regrouping job and reprocess)', async () => {
    const [a, , c, d] = candidateIds;
    const scope = (await ds.query('SELECT id, exact_hash FROM crash_report WHERE candidate_id = ANY($1::uuid[]) ORDER BY id', [[a, c]])) as Array<{ id: string; exact_hash: string }>;
    const rewrites = scope.filter((_, i) => i % 3 === 0).map((r) => ({
      id: r.id, candidateId: d!, exactHash: r.exact_hash, signatureText: 'f', normalizedFrames: [],
      grouping: { method: 'near-duplicate' as const, normalizationVersion: 2 },
    }));
    await ds.transaction((m) => regrouping.rewriteReports(m, rewrites));
    expect(await aggregateMismatches(ds)).toEqual([]);
  });

  it('match a recount after a host profile relink rewrites hardware attributes', async () => {
    const ids = await reportIds('host_id = $1', [hostIds[1]]);
    expect(ids.length).toBeGreaterThan(0);
    await ds.transaction((m) =>
      hosts.setCrashLinks(m, ids.map((id, i) => ({ id, profileId: null, attrs: ['product.version=Virtuozzo 7.5.3', `cpu.vendor=${i % 2 ? 'AMD' : 'Intel'}`] }))),
    );
    expect(await aggregateMismatches(ds)).toEqual([]);
  });

  it('match a recount after a host is erased', async () => {
    const ids = await reportIds('host_id = $1', [hostIds[2]]);
    expect(ids.length).toBeGreaterThan(0);
    await ds.transaction((m) => erasure.deleteCrashes(m, hostIds[2]!, ids));
    expect(await reportIds('host_id = $1', [hostIds[2]])).toEqual([]);
    expect(await aggregateMismatches(ds)).toEqual([]);
  });

  it('hardware search from candidate_host_hardware answers as the per-report query over crash_hardware did', async () => {
    await ingest(60);
    const search = new PostgresCandidateSearch(ds);
    const hotSince = new Date(NOW - 7 * DAY);
    const queries = [
      { cpuVendor: 'AMD' },
      { cpuVendor: 'AMD', productVersion: 'Virtuozzo 7.5.1' },
      { diskKind: 'nvme,hdd' },
      { attr: 'cpu.vendor=Intel', diskKind: 'ssd' },
      { cpuVendor: 'AMD', sort: 'hot' },
      { cpuVendor: 'Intel', sort: 'hosts' },
      { cpuVendor: 'AMD', sort: 'lastSeen', lastSeenFrom: new Date(NOW - 3 * DAY).toISOString() },
    ];
    for (const raw of queries) {
      const q = CandidateQuerySchema.parse(raw);
      const groups = hardwareFilterGroups(q);
      const params: unknown[] = [hotSince, ...groups];
      const rows = (await ds.query(
        `SELECT h.candidate_id AS id, count(*)::int AS "matchedReports", count(DISTINCT h.host_key)::int AS "matchedHosts",
                count(*) FILTER (WHERE h.crashed_at >= $1)::int AS "hotCount", max(h.crashed_at) AS "lastSeen"
           FROM crash_hardware h JOIN bug_candidate c ON c.id = h.candidate_id
          WHERE c.merged_into_id IS NULL AND ${groups.map((_, i) => `h.attr_ids && ${hardwareAttributeIds(`$${i + 2}`)}`).join(' AND ')}
          GROUP BY h.candidate_id`,
        params,
      )) as Array<{ id: string; matchedReports: number; matchedHosts: number; hotCount: number; lastSeen: Date }>;
      const expected = rows.filter((r) => !q.lastSeenFrom || r.lastSeen >= new Date(q.lastSeenFrom));
      const page = await search.search(q, hotSince);
      expect(page.total).toBe(expected.length);
      expect([...page.items].sort((x, y) => x.id.localeCompare(y.id))).toEqual(expected.sort((x, y) => x.id.localeCompare(y.id)));
    }
  });

  it('the unfiltered queue counts hot reports from day counts plus the window\'s first day as a per-report count would', async () => {
    const search = new PostgresCandidateSearch(ds);
    // Mid-day, so the window's first day has reports on both sides of its start.
    for (const hotSince of [new Date(NOW - 7 * DAY), new Date(NOW - 3 * DAY - 5 * 3_600_000)]) {
      const page = await search.search(CandidateQuerySchema.parse({ sort: 'hot' }), hotSince);
      expect(page.items.length).toBeGreaterThan(0);
      const expected = (await ds.query(
        `SELECT candidate_id AS id, count(*) FILTER (WHERE crashed_at >= $1)::int AS "hotCount" FROM crash_report WHERE candidate_id = ANY($2::uuid[]) GROUP BY 1`,
        [hotSince, page.items.map((i) => i.id)],
      )) as Array<{ id: string; hotCount: number }>;
      expect(page.items.map((i) => ({ id: i.id, hotCount: i.hotCount })).sort((x, y) => x.id.localeCompare(y.id))).toEqual(expected.sort((x, y) => x.id.localeCompare(y.id)));
    }
  });
});
