import { Client } from 'pg';
import { runAudit, type AuditResult } from '../../agent/src/audit/audit-run';
import { findLeaks } from '../../agent/src/audit/audit-scan';
import { byteaContents, dumpDatabase, redisText } from '../support/database-scan';
import { captureAll, freePort, RunningProcess, spawnHub } from '../support/processes';
import { createTestDatabase, dropQueueKeys, TEST_REDIS_URL, TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/**
 * The audit corpus end to end: the agent plants and sends it, the real hub (API and worker
 * processes, chatty logs) stores and processes it; no planted value, in any spelling, is then in
 * pg_dump, in any stored (inflated) archive, in Redis or in the hub's logs.
 */
describe('the privacy audit corpus through the real hub', () => {
  const prefix = `hub-test-audit-${process.pid}`;
  let database: TestDatabase;
  let pg: Client;
  const processes: RunningProcess[] = [];
  const outputs: Array<() => string> = [];
  let audit: AuditResult;

  const capture = (proc: RunningProcess) => {
    outputs.push(captureAll(proc));
    processes.push(proc);
  };

  beforeAll(async () => {
    database = await createTestDatabase('privacy_audit');
    const port = await freePort();
    const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(port), LOG_LEVEL: 'verbose', JOB_BACKOFF_MS: '50', INGEST_TOKEN: 'audit-token' };
    capture(await spawnHub('main', { ...env, HUB_ROLE: 'api' }, /hub listening/));
    capture(await spawnHub('worker', env, /worker started/));
    pg = new Client({ connectionString: database.url });
    await pg.connect();
    audit = await runAudit({ hubUrl: `http://127.0.0.1:${port}`, token: 'audit-token' });
  });

  afterAll(async () => {
    for (const proc of processes.reverse()) await proc.stop();
    await pg?.end();
    await dropQueueKeys(prefix);
    await database?.drop();
  });

  it('leaves nothing planted in what the agent sends, previews or keeps in its output dir', () => {
    expect(audit.notes).toEqual([]);
    expect(audit.policyFailures).toEqual([]);
    expect(audit.leaks).toEqual([]);
    // Not vacuous: the CEP report, the external script's output and the crashes were all there to search.
    const places = audit.searched.map((s) => s.where);
    expect(places).toEqual(expect.arrayContaining(['preview', 'crashes preview', 'output dir script.raid.json']));
    expect(places.filter((p) => p.startsWith('sent crash-report'))).toHaveLength(3);
    // anaconda goes as an archive always; crashes.archive sends the other four as archives too.
    expect(places.filter((p) => p.startsWith('sent crash-archive'))).toHaveLength(5);
  });

  it('leaves nothing planted in the database, the stored archives, Redis or the logs once processed', async () => {
    const expected = audit.searched.filter((s) => s.where.startsWith('sent ') && !s.where.startsWith('sent headers')).length;
    await waitFor(async () => {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM raw_report WHERE status <> 'queued'`);
      return rows[0].n === expected ? true : undefined;
    }, 90_000, 'every audit report to be processed');
    const { rows } = await pg.query(`SELECT status, count(*)::int AS n FROM raw_report GROUP BY status`);
    expect(rows).toEqual([{ status: 'processed', n: expected }]);

    const dump = await dumpDatabase(database.url);
    const payloads = await byteaContents(database.url);
    const redis = await redisText(TEST_REDIS_URL, prefix);
    // Each place holds what it should: the host, the raid collector's redacted output, crash frames.
    expect(dump).toContain(audit.runtime.hostId);
    expect(payloads.some((p) => p.text.includes('script.raid'))).toBe(true);
    expect(dump).toContain('ploop_make_request');
    expect(redis.keys).toBeGreaterThan(0);
    const leaks = findLeaks(audit.corpus.planted, [
      { where: 'pg_dump', text: dump },
      ...payloads.map((p) => ({ where: `${p.table}.${p.column}`, text: p.text })),
      { where: 'redis', text: redis.text },
      { where: 'logs', text: outputs.map((o) => o()).join('\n') },
    ]);
    expect(leaks).toEqual([]);
  });
});
