import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { cepReport } from '../support/cep-report';
import { cpuData } from '../support/fleet-fixtures';
import { problemDirArchive } from '../support/problem-dir-archive';
import { freePort, RunningProcess, spawnHub } from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, dropQueueKeys, TEST_REDIS_URL, TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const UPSTREAM = join(__dirname, '..', 'fixtures', 'upstream');
const UREPORT = JSON.parse(readFileSync(join(UPSTREAM, 'faf/tests/sample_reports/ureport_core'), 'utf8'));
const SATYR_DIR = join(UPSTREAM, 'satyr/tests/problem_dir');
/** Carried by every payload: no log line may contain it. */
const MARKER = 'payloadmarker7f3a';
const RETRY_AFTER = '7';

type Door = 'faf' | 'crash-report' | 'crash-archive' | 'upload' | 'cep';
const DOORS: Door[] = ['faf', 'crash-report', 'crash-archive', 'upload', 'cep'];

describe('database outage: every door says 503 + Retry-After, nothing accepted is lost or counted twice', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let api: RunningProcess;
  let worker: RunningProcess;
  let apiUrl: string;
  let pg: Client;
  let env: Record<string, string>;
  /** Every hub process started, so that all their log lines are checked. */
  const processes: RunningProcess[] = [];
  const prefix = `hub-outage-${process.pid}`;
  const hostIds = new Set<string>();
  const satyr: Record<string, string> = {};
  for (const name of readdirSync(SATYR_DIR)) satyr[name] = readFileSync(join(SATYR_DIR, name), 'utf8');

  beforeAll(async () => {
    database = await createTestDatabase('outage');
    proxy = await TcpProxy.start(Number(new URL(database.url).port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    env = {
      DATABASE_URL: viaProxy.toString(),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_FORMAT: 'json',
      JOB_ATTEMPTS: '8',
      JOB_BACKOFF_MS: '200',
      RECOVERY_INTERVAL_MS: '1000',
      RECOVERY_GRACE_MS: '1000',
      RETRY_AFTER_SECONDS: RETRY_AFTER,
      METRICS_PUBLISH_MS: '300',
      METRICS_TOKEN: 'metrics-token-for-outage-tests',
    };
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    api = await spawnHub('main', { ...env, HUB_ROLE: 'api', PORT: String(port) }, /hub listening/);
    worker = await spawnHub('worker', env, /worker started/);
    processes.push(api, worker);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.kill();
    await proxy?.close();
    await pg?.end();
    await database?.drop();
    await dropQueueKeys(prefix);
  });

  /** One report through a door; answers the HTTP status and the id of an accepted report. */
  async function send(door: Door, i: number): Promise<{ status: number; id?: string; retryAfter?: string; body: Record<string, unknown> }> {
    const hostId = randomUUID();
    hostIds.add(hostId);
    const http = request(apiUrl);
    let res: request.Response;
    if (door === 'faf' || door === 'crash-report') {
      const ureport = structuredClone(UREPORT);
      ureport.problem.stacktrace[0].frames[0].function_name = `${MARKER}_${i % 5}`;
      res =
        door === 'faf'
          ? await http.post('/reports/new/').attach('file', Buffer.from(JSON.stringify(ureport)), 'ureport.json')
          : await http.post('/api/v1/crash-reports').send({ reportId: randomUUID(), hostId, ureport });
    } else if (door === 'cep') {
      const report = await cepReport({ hostId, createdAt: new Date(), collectors: { cpu: cpuData({ model: `${MARKER} CPU` } as never) } });
      res = await http.post('/api/v1/cep-reports').set('content-type', 'application/gzip').send(report.tarball);
    } else {
      const archive = problemDirArchive({ ...satyr, uuid: `${MARKER}-${i}-${randomUUID()}`, reason: `${MARKER} crashed` });
      res =
        door === 'upload'
          ? await http.put(`/upload/${MARKER}.tar.gz`).set({ 'content-type': 'application/gzip', 'x-host-id': hostId }).send(archive)
          : await http.post('/api/v1/crash-archives').set({ 'content-type': 'application/gzip', 'x-host-id': hostId }).send(archive);
    }
    const id = res.status === 202 ? (door === 'faf' ? (res.body.reported_to[0].value as string).split('/').pop() : res.body.id) : undefined;
    return { status: res.status, id, retryAfter: res.headers['retry-after'], body: res.body };
  }

  it('keeps every 202 and processes it once; failed attempts are counted and logged without payload', async () => {
    const accepted: Array<{ door: Door; id: string }> = [];
    const keep = (door: Door, r: Awaited<ReturnType<typeof send>>) => {
      expect([202, 503]).toContain(r.status);
      if (r.status === 202) accepted.push({ door, id: r.id! });
      else expect(r.retryAfter).toBe(RETRY_AFTER);
    };
    // A backlog the worker is busy with when the database goes.
    await worker.stop();
    for (let i = 0; i < 30; i++) keep(DOORS[i % DOORS.length], await send(DOORS[i % DOORS.length], i));
    expect(accepted).toHaveLength(30);
    worker = await spawnHub('worker', env, /worker started/);
    processes.push(worker);
    await waitFor(async () => ((await pg.query(`SELECT count(*)::int AS n FROM raw_report WHERE status <> 'queued'`)).rows[0].n > 0 ? true : undefined), 30_000, 'processing to begin');

    proxy.cut();
    // Every door, while the database is away: 503 with Retry-After, in each door's body shape.
    for (const door of DOORS) {
      const r = await send(door, 100);
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe(RETRY_AFTER);
      expect(door === 'faf' ? r.body.error : r.body.message).toMatch(/retry after 7 s/);
    }
    for (let i = 0; i < 10; i++) keep(DOORS[i % DOORS.length], await send(DOORS[i % DOORS.length], 200 + i));
    await new Promise((r) => setTimeout(r, 3000));
    proxy.restore();
    for (let i = 0; i < 10; i++) keep(DOORS[i % DOORS.length], await send(DOORS[i % DOORS.length], 300 + i));

    await waitFor(async () => {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM raw_report WHERE status = 'queued'`);
      return rows[0].n === 0 ? true : undefined;
    }, 120_000, 'every stored report to be processed');

    const raw = await pg.query(`SELECT id, kind, status, processing_attempts FROM raw_report`);
    const ids = new Set(accepted.map((a) => a.id));
    expect(new Set(raw.rows.map((r) => r.id))).toEqual(ids);
    expect(raw.rows.filter((r) => r.status !== 'processed')).toEqual([]);
    const crashes = accepted.filter((a) => a.door !== 'cep').map((a) => a.id);
    const processedCrashes = await pg.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM crash_report`);
    expect(processedCrashes.rows[0]).toEqual({ n: crashes.length, d: crashes.length });
    const cep = await pg.query(`SELECT count(*)::int AS n FROM cep_report`);
    expect(cep.rows[0].n).toBe(accepted.length - crashes.length);
    const counted = await pg.query(`SELECT sum(report_count)::int AS n FROM bug_candidate`);
    expect(counted.rows[0].n).toBe(crashes.length);

    // Reports the outage hit needed more than one attempt, and each failure is in the log with its reason.
    const retried = raw.rows.filter((r) => r.processing_attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    const logLines = processes.flatMap((p) => p.output().split('\n')).filter(Boolean);
    const failures = logLines.filter((l) => l.includes('processing attempt failed'));
    for (const r of retried) {
      const mine = failures.filter((l) => l.includes(r.id));
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(mine[0]).message).toMatchObject({ reportId: r.id, reason: expect.any(String) });
    }
    expect(logLines.some((l) => l.includes('report not stored') && l.includes('"reason":"unavailable"'))).toBe(true);

    // No log line carries payload bytes, query parameters, host ids or the marker.
    for (const line of logLines) {
      expect(line).not.toContain(MARKER);
      expect(line).not.toMatch(/PARAMETERS|<Buffer|"type":"Buffer"|\[(\d{1,3},){20}/);
      for (const hostId of hostIds) expect(line).not.toContain(hostId);
    }
    // Structured JSON from both processes.
    expect(logLines.filter((l) => l.startsWith('{')).length).toBeGreaterThan(0);

    // The API's /metrics adds up what the worker counted (published through Redis).
    await waitFor(async () => {
      const text = (await request(apiUrl).get('/metrics').set('authorization', 'Bearer metrics-token-for-outage-tests')).text;
      const retriedCount = text.split('\n').filter((l) => l.startsWith('hub_report_outcomes_total{outcome="retried"')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
      const refused = text.split('\n').filter((l) => l.startsWith('hub_report_outcomes_total{outcome="refused",reason="unavailable"')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
      const processed = text.split('\n').filter((l) => l.startsWith('hub_report_outcomes_total{outcome="processed"')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
      // A commit the server made but whose answer the cut lost is retried and then found done (skipped,
      // not counted again): so each processed report is counted at most once, and only such retries go uncounted.
      return retriedCount > 0 && refused >= DOORS.length && processed <= accepted.length && processed >= accepted.length - retriedCount
        ? true
        : undefined;
    }, 30_000, 'the worker\'s counts in the API\'s /metrics');
  });
});
