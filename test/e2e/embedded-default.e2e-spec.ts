import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { freePort, RunningProcess, spawnHub } from '../support/processes';
import { waitFor } from '../support/wait-for';

const UREPORT = readFileSync(join(__dirname, '..', 'fixtures', 'upstream', 'faf', 'tests', 'sample_reports', 'ureport_python'));

// Only to read candidates; everything else runs with nothing configured.
const ADMIN_TOKEN = 'embedded-suite-admin-token-0123';

describe('embedded default: nothing configured', () => {
  let dataDir: string;
  let hub: RunningProcess | undefined;
  let url: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hub-embedded-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // No DATABASE_URL, no REDIS_URL: PGlite under DATA_DIR and the in-process queue.
    hub = await spawnHub('main', { PORT: String(port), DATA_DIR: dataDir, LOG_FORMAT: 'json', ADMIN_TOKEN }, /hub listening/);
  });

  afterAll(async () => {
    await hub?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, ingests a report and finds its candidate; the data survives a restart', async () => {
    expect(hub!.output()).toMatch(/database: embedded, queue: inline/);
    // First start: an admin account is made and its one-time password printed.
    expect(hub!.output()).toMatch(/First start: created admin account admin with the one-time password [A-Za-z0-9_-]{24} /);
    const health = await request(url).get('/health').expect(200);
    expect(health.body.info.database.status).toBe('up');

    const res = await request(url).post('/reports/new/').attach('file', UREPORT, 'ureport.json').expect(202);
    const reportId = (res.body.reported_to[0].value as string).split('/').pop()!;
    await waitFor(async () => {
      const status = await request(url).get(`/api/v1/reports/${reportId}`);
      return status.body.status === 'processed' ? true : undefined;
    }, 30_000, 'the report to be processed');

    const list = await request(url).get('/api/v1/candidates').set('authorization', `Bearer ${ADMIN_TOKEN}`).query({ component: 'ibus-table' }).expect(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0].signatureText).toMatch(/^ibus-table: check_phrase_internal/);

    await hub!.kill('SIGTERM');
    const port = Number(new URL(url).port);
    hub = await spawnHub('main', { PORT: String(port), DATA_DIR: dataDir, LOG_FORMAT: 'json', ADMIN_TOKEN }, /hub listening/);
    expect(hub.output()).not.toMatch(/one-time password/);
    const again = await request(url).get(`/api/v1/candidates/${list.body.items[0].id}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(again.body.reports.map((r: { id: string }) => r.id)).toEqual([reportId]);
  });
});
