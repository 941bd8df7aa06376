import { Client } from 'pg';
import request from 'supertest';
import { largeProblemDirStream, peakRss, putStream } from '../support/large-problem-dir';
import { freePort, RunningProcess, spawnHub } from '../support/processes';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const MB = 1000 * 1000;
const CORE_BYTES = 300 * MB;

/**
 * The case: a problem directory whose 300 MB core is refused whole, though its small
 * core_backtrace was all the hub needed. The API runs in its own process so its memory is its own.
 */
describe('a problem directory with a 300 MB core (API process of its own)', () => {
  let database: TestDatabase;
  let api: RunningProcess;
  let worker: RunningProcess;
  let apiUrl: string;
  let pg: Client;

  beforeAll(async () => {
    database = await createTestDatabase('largecore');
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `hub-test-largecore-${process.pid}`,
      LOG_LEVEL: 'warn',
    };
    api = await spawnHub('main', { ...env, HUB_ROLE: 'api', PORT: String(port), LOG_LEVEL: 'log' }, /hub listening/);
    worker = await spawnHub('worker', { ...env, LOG_LEVEL: 'log' }, /worker started/);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.kill();
    await pg?.end();
    await database?.drop();
  });

  it('is processed into its candidate with the core skipped, the API staying under 300 MB resident', async () => {
    const res = await putStream(`${apiUrl}/upload/ccpp-large.tar.gz`, largeProblemDirStream(CORE_BYTES));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', problemType: 'CCpp', skipped: [`skipped: coredump, ${CORE_BYTES}`] });
    const peak = peakRss(api.pid);
    expect(peak).toBeLessThan(300 * 1024 * 1024);

    const id = res.body.id as string;
    const status = await waitFor(async () => {
      const r = await request(apiUrl).get(`/api/v1/reports/${id}`);
      return r.body.status === 'queued' ? undefined : r.body;
    }, 60_000, `report ${id} to be processed`);
    expect(status).toMatchObject({ status: 'processed', skippedEntries: [`skipped: coredump, ${CORE_BYTES}`], candidateId: expect.any(String) });
    const { rows } = await pg.query('SELECT c.family, c.component, r.payload_bytes FROM bug_candidate c JOIN crash_report cr ON cr.candidate_id = c.id JOIN raw_report r ON r.id = cr.id WHERE cr.id = $1', [id]);
    expect(rows).toEqual([{ family: 'core', component: 'coreutils', payload_bytes: expect.any(Number) }]);
    expect(rows[0].payload_bytes).toBeLessThan(1024 * 1024);
  });
});
