import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { freePort, RunningProcess, spawnHub, spawnRedis } from '../support/processes';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { Client } from 'pg';

const UREPORT = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'upstream', 'faf', 'tests', 'sample_reports', 'ureport_core'), 'utf8'),
);

/** A few distinct stacks, so reports land in more than one candidate. */
function crashReport(i: number) {
  const ureport = structuredClone(UREPORT);
  const frames = ureport.problem.stacktrace[0].frames;
  frames[0].function_name = `variant_${i % 4}`;
  return { reportId: randomUUID(), hostId: randomUUID(), ureport };
}

describe('durability: worker and Redis die mid-stream, nothing is lost or counted twice', () => {
  let database: TestDatabase;
  let redisPort: number;
  let redis: RunningProcess;
  let api: RunningProcess;
  let worker: RunningProcess | undefined;
  let apiUrl: string;
  let pg: Client;
  const accepted: string[] = [];

  const env = () => ({
    DATABASE_URL: database.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    JOB_BACKOFF_MS: '100',
    JOB_LOCK_MS: '2000',
    RECOVERY_INTERVAL_MS: '500',
    RECOVERY_GRACE_MS: '500',
    LOG_FORMAT: 'json',
  });

  async function send(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const body = crashReport(accepted.length);
      const res = await request(apiUrl).post('/api/v1/crash-reports').send(body);
      expect(res.status).toBe(202);
      accepted.push(body.reportId);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('durability');
    redisPort = await freePort();
    redis = await spawnRedis(redisPort);
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    api = await spawnHub('main', { ...env(), HUB_ROLE: 'api', PORT: String(port) }, /hub listening/);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.kill();
    await redis?.kill();
    await pg?.end();
    await database?.drop();
  });

  it('every accepted report ends processed exactly once', async () => {
    worker = await spawnHub('worker', env(), /worker started/);
    await send(40);
    // Worker killed hard, mid-stream: in-flight transactions roll back, jobs stall.
    await worker.kill('SIGKILL');
    await send(40);
    // Redis dies too: the API still stores and answers 202, the enqueue is given up.
    await redis.kill('SIGKILL');
    await send(30);
    redis = await spawnRedis(redisPort);
    worker = await spawnHub('worker', env(), /worker started/);
    await send(10);

    await waitFor(async () => {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM raw_report WHERE status = 'queued'`);
      return rows[0].n === 0 ? true : undefined;
    }, 90_000, 'all reports to leave the queue');

    const raw = await pg.query(`SELECT id, status FROM raw_report`);
    expect(raw.rows).toHaveLength(accepted.length);
    expect(raw.rows.every((r) => r.status === 'processed')).toBe(true);
    expect(new Set(raw.rows.map((r) => r.id))).toEqual(new Set(accepted));
    const reports = await pg.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM crash_report`);
    expect(reports.rows[0]).toEqual({ n: accepted.length, d: accepted.length });
    const counted = await pg.query(`SELECT sum(report_count)::int AS n FROM bug_candidate`);
    expect(counted.rows[0].n).toBe(accepted.length);
    const hosts = await pg.query(`SELECT sum(host_count)::int AS n FROM bug_candidate`);
    expect(hosts.rows[0].n).toBe(accepted.length);
  });
});
