import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { pruneHardwareAttributes, syncCrashHardware } from './crash-hardware-sql';
import { hubDataSourceOptions } from './database-options';

/** Real PostgreSQL, two sessions: a crash writer and an erasure's prune racing on one dictionary key. */
describe('crash_hardware dictionary under concurrent prune', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let writer: Client;
  let pruner: Client;
  const pids = new Map<Client, number>();
  const candidateId = randomUUID();
  /** A second candidate: its rows share no pre-aggregated count rows (kept per candidate) with the first's. */
  const otherCandidateId = randomUUID();
  const SHARED = 'system.model=Board-Shared-1';

  beforeAll(async () => {
    db = await createTestDatabase('crash_hardware_sql');
    dataSource = new DataSource(hubDataSourceOptions(db.url, 2));
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.query(
      `INSERT INTO bug_candidate (id, family, component, exact_hash, signature_text, representative_frames, exemplars, first_seen, last_seen)
       VALUES ($1, 'core', 'vzctl', 'hash-1', 'f', '[]', '[]', now(), now()), ($2, 'core', 'vzctl', 'hash-2', 'f', '[]', '[]', now(), now())`,
      [candidateId, otherCandidateId],
    );
    writer = new Client({ connectionString: db.url });
    pruner = new Client({ connectionString: db.url });
    await Promise.all([writer.connect(), pruner.connect()]);
    for (const client of [writer, pruner]) pids.set(client, (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  });
  afterAll(async () => {
    await Promise.all([writer?.end(), pruner?.end()]);
    await dataSource?.destroy();
    await db?.drop();
  });

  async function crash(attrs: string[], candidate = candidateId): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO crash_report (id, candidate_id, family, problem_type, component, crashed_at, exact_hash, signature_text,
                                 normalized_frames, labels, grouping, hardware_attrs)
       VALUES ($1, $2, 'core', 'CCpp', 'vzctl', now(), 'hash-1', 'f', '[]', '[]', '{}', $3)`,
      [id, candidate, attrs],
    );
    return id;
  }
  const keyId = async (key: string): Promise<number | undefined> => (await dataSource.query('SELECT id FROM hardware_attribute WHERE key = $1', [key]))[0]?.id;
  const keysOf = async (reportId: string): Promise<string[]> =>
    (
      await dataSource.query(
        'SELECT a.key FROM crash_hardware h CROSS JOIN unnest(h.attr_ids) i JOIN hardware_attribute a ON a.id = i WHERE h.report_id = $1 ORDER BY a.key',
        [reportId],
      )
    ).map((r: { key: string }) => r.key);
  /** Whether `client`'s session is waiting on a lock, as pg_locks sees it (asked from a third session: the client is busy). */
  const waiting = async (client: Client): Promise<boolean> =>
    (await dataSource.query('SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND NOT granted', [pids.get(client)]))[0].n > 0;
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await check()).toBe(true);
  };

  it('a prune waits for a writer holding a looked-up id, and keeps the key that writer now uses', async () => {
    // In another candidate: deleting it must not wait on the writer's uncommitted counts of its own candidate.
    const old = await crash([SHARED], otherCandidateId);
    await syncCrashHardware(dataSource, [old]);
    const id = (await keyId(SHARED))!;
    const fresh = await crash([SHARED]);

    await writer.query('BEGIN');
    await syncCrashHardware(writer, [fresh]);
    await dataSource.query('DELETE FROM crash_report WHERE id = $1', [old]);
    // The only committed user of the key is gone; the writer's row is not committed yet.
    await pruner.query('BEGIN');
    const prune = pruneHardwareAttributes(pruner, [id]);
    await until(() => waiting(pruner));
    await writer.query('COMMIT');
    expect(await prune).toBe(0);
    await pruner.query('COMMIT');

    expect(await keyId(SHARED)).toBe(id);
    expect(await keysOf(fresh)).toEqual([SHARED]);
    await dataSource.query('DELETE FROM crash_report WHERE id = $1', [fresh]);
  });

  it('a writer arriving during a prune waits, then adds the pruned key afresh', async () => {
    const key = 'system.model=Board-Rare-2';
    const old = await crash([key]);
    await syncCrashHardware(dataSource, [old]);
    const id = (await keyId(key))!;
    await dataSource.query('DELETE FROM crash_report WHERE id = $1', [old]);
    const fresh = await crash([key, SHARED]);

    await pruner.query('BEGIN');
    expect(await pruneHardwareAttributes(pruner, [id])).toBe(1);
    await writer.query('BEGIN');
    const sync = syncCrashHardware(writer, [fresh]);
    await until(() => waiting(writer));
    await pruner.query('COMMIT');
    await sync;
    await writer.query('COMMIT');

    const again = await keyId(key);
    expect(again).toBeDefined();
    expect(again).not.toBe(id);
    expect(await keysOf(fresh)).toEqual([SHARED, key].sort());
  });

  it('prunes only keys no crash uses', async () => {
    const a = await crash(['country=NL', 'cpu.vendor=Intel']);
    const b = await crash(['cpu.vendor=Intel']);
    await syncCrashHardware(dataSource, [a, b]);
    const ids = [(await keyId('country=NL'))!, (await keyId('cpu.vendor=Intel'))!];
    await dataSource.query('DELETE FROM crash_report WHERE id = $1', [a]);
    expect(await dataSource.transaction((m) => pruneHardwareAttributes(m, ids))).toBe(1);
    expect(await keyId('country=NL')).toBeUndefined();
    expect(await keysOf(b)).toEqual(['cpu.vendor=Intel']);
    expect(await pruneHardwareAttributes(dataSource, [])).toBe(0);
  });
});
