import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startHub, RunningHub } from '../../apps/hub/src/hub-application';
import { loadHubConfig } from '../../libs/config/src';
import { cepReport } from '../support/cep-report';
import { cpuData } from '../support/fleet-fixtures';
import { problemDirArchive } from '../support/problem-dir-archive';
import { dropQueueKeys, TEST_REDIS_URL } from '../support/test-database';
import { startTestHub, TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

const UPSTREAM = join(__dirname, '..', 'fixtures', 'upstream');
const UREPORT = JSON.parse(readFileSync(join(UPSTREAM, 'faf/tests/sample_reports/ureport_core'), 'utf8'));
const SATYR_DIR = join(UPSTREAM, 'satyr/tests/problem_dir');
const ADMIN_TOKEN = 'admin-token-for-metrics-tests';
const METRICS_TOKEN = 'metrics-token-for-metrics-tests';

function agentCrash(i: number) {
  const ureport = structuredClone(UREPORT);
  ureport.problem.stacktrace[0].frames[0].function_name = `metrics_variant_${i % 3}`;
  return { reportId: randomUUID(), hostId: randomUUID(), ureport };
}

/** `name{labels} value` lines of one metric family, as label string → value. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

function value(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const [key, v] of samples(text, name)) {
    if (Object.entries(labels).every(([k, want]) => key.includes(`${k}="${want}"`))) total += v;
  }
  return total;
}

describe('/metrics: every report\'s fate counted, queue depth visible', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('hub_metrics', { ADMIN_TOKEN, METRICS_TOKEN });
  });
  afterAll(() => hub.close());

  const scrape = async () => (await hub.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;

  it('is only for admins or the metrics token', async () => {
    expect((await hub.http.get('/metrics')).status).toBe(401);
    expect((await hub.http.get('/metrics').set('authorization', 'Bearer wrong-token-wrong-token')).status).toBe(401);
    const admin = await hub.http.get('/metrics').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(admin.status).toBe(200);
    expect(admin.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('a scripted run (12 accepted, 3 refused for distinct reasons, 1 rejected in processing) gives exactly those counts', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await hub.http.post('/api/v1/crash-reports').send(agentCrash(i)).expect(202);
      ids.push(res.body.id);
    }
    for (let i = 0; i < 2; i++) {
      const res = await hub.http.post('/reports/new/').attach('file', Buffer.from(JSON.stringify(UREPORT)), 'ureport.json').expect(202);
      ids.push((res.body.reported_to[0].value as string).split('/').pop()!);
    }
    const satyr: Record<string, string> = {};
    for (const name of readdirSync(SATYR_DIR)) satyr[name] = readFileSync(join(SATYR_DIR, name), 'utf8');
    const archive = await hub.http.put('/upload/p.tar.gz').set('content-type', 'application/gzip').send(problemDirArchive({ ...satyr, uuid: 'metrics-run' })).expect(202);
    ids.push(archive.body.id);
    // Accepted at intake (it has a stack element), refused by the parser in processing.
    const broken = await hub.http
      .put('/upload/broken.tar.gz')
      .set('content-type', 'application/gzip')
      .send(problemDirArchive({ ...satyr, uuid: 'metrics-broken', core_backtrace: 'this is not JSON' }))
      .expect(202);
    ids.push(broken.body.id);

    await hub.http.post('/reports/new/').set('content-type', 'text/xml').send('<x/>').expect(415);
    await hub.http.post('/api/v1/crash-reports').send({ reportId: 'not-a-uuid' }).expect(400);
    await hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(problemDirArchive({ type: 'libreport', reason: 'x' })).expect(422);

    const settled = await Promise.all(ids.map((id) => hub.settled(id)));
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(1);

    const text = await scrape();
    const outcomes = samples(text, 'hub_report_outcomes_total');
    const total = (outcome: string) => value(text, 'hub_report_outcomes_total', { outcome });
    expect(total('accepted')).toBe(12);
    expect(total('duplicate')).toBe(0);
    expect(total('refused')).toBe(3);
    expect(value(text, 'hub_report_outcomes_total', { outcome: 'refused', reason: 'unsupported-media-type' })).toBe(1);
    expect(value(text, 'hub_report_outcomes_total', { outcome: 'refused', reason: 'invalid-input' })).toBe(1);
    expect(value(text, 'hub_report_outcomes_total', { outcome: 'refused', reason: 'unprocessable' })).toBe(1);
    expect(total('processed')).toBe(11);
    expect(total('rejected')).toBe(1);
    expect(value(text, 'hub_report_outcomes_total', { outcome: 'rejected', reason: 'invalid-json' })).toBe(1);
    expect(total('retried')).toBe(0);
    expect([...outcomes.keys()].every((k) => !k.includes('reportId'))).toBe(true);

    expect(value(text, 'hub_grouping_decisions_total', {})).toBe(11);
    expect(value(text, 'hub_processing_duration_seconds_count', { kind: 'crash' })).toBe(12);
    expect(value(text, 'hub_report_latency_seconds_count', { kind: 'crash' })).toBe(12);
    expect(value(text, 'hub_http_request_duration_seconds_count', { route: '/api/v1/crash-reports', status: '202' })).toBe(8);
    expect(value(text, 'hub_http_request_duration_seconds_count', { route: '/reports/new', status: '415' })).toBe(1);
    expect(value(text, 'hub_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(value(text, 'hub_reports_unprocessed', {})).toBe(0);
  });

  it('counts refusals made before routing (malformed JSON) on intake paths only', async () => {
    const before = await scrape();
    await hub.http.post('/api/v1/crash-reports').set('content-type', 'application/json').send('{"reportId": ').expect(400);
    await hub.as('viewer').get('/api/v1/candidates/not-a-uuid').expect(400);
    const after = await scrape();
    const refused = (text: string) => value(text, 'hub_report_outcomes_total', { outcome: 'refused', reason: 'invalid-input' });
    expect(refused(after) - refused(before)).toBe(1);
  });

  it('counts CEP reports by collector status and a retried upload as a duplicate', async () => {
    const report = await cepReport({ hostId: randomUUID(), createdAt: new Date(), collectors: { cpu: cpuData() } });
    for (let i = 0; i < 2; i++) await hub.http.post('/api/v1/cep-reports').set('content-type', 'application/gzip').send(report.tarball).expect(202);
    await hub.settled(report.reportId);
    const text = await scrape();
    expect(value(text, 'hub_cep_collector_reports_total', { collector: 'cpu', status: 'ok' })).toBe(1);
    expect(value(text, 'hub_report_outcomes_total', { outcome: 'duplicate', kind: 'cep' })).toBe(1);
    expect(value(text, 'hub_report_outcomes_total', { outcome: 'processed', kind: 'cep' })).toBe(1);
  });

  it('queue depth and the oldest waiting job\'s age rise while no worker runs', async () => {
    // An API-only hub on the same database and queue: reports wait until the test hub's worker is gone.
    let api: RunningHub | undefined;
    let worker: RunningHub | undefined;
    const prefix = `hub-metrics-noworker-${process.pid}`;
    const config = loadHubConfig({ DATABASE_URL: hub.database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'warn', METRICS_TOKEN, MIGRATIONS_RUN: 'false' });
    try {
      api = await startHub(config, { api: true, worker: false });
      const http = request(api.url!);
      const depth = async () => {
        const text = (await http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
        return { waiting: value(text, 'hub_queue_jobs', { state: 'waiting' }), oldest: value(text, 'hub_queue_oldest_waiting_seconds', {}) };
      };
      expect((await depth()).waiting).toBe(0);
      for (let i = 0; i < 3; i++) await http.post('/api/v1/crash-reports').send(agentCrash(i)).expect(202);
      expect((await depth()).waiting).toBe(3);
      await new Promise((r) => setTimeout(r, 1100));
      for (let i = 0; i < 2; i++) await http.post('/api/v1/crash-reports').send(agentCrash(i)).expect(202);
      const later = await depth();
      expect(later.waiting).toBe(5);
      expect(later.oldest).toBeGreaterThanOrEqual(1);
      // A worker started on that queue drains it.
      worker = await startHub(config, { api: false, worker: true });
      await waitFor(async () => ((await depth()).waiting === 0 ? true : undefined), 20_000, 'the queue to drain');
      expect((await depth()).oldest).toBe(0);
    } finally {
      await worker?.close();
      await api?.close();
      await dropQueueKeys(prefix);
    }
  });
});
