import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Client } from 'pg';
import { cepReport, sendCepReport } from '../support/cep-report';
import { addressForms, byteaContents, dumpDatabase, occurrences, redisText } from '../support/database-scan';
import { problemDirArchive } from '../support/problem-dir-archive';
import { pythonTraceback, pythonUReport } from '../support/python-crash';
import { captureAll, freePort, RunningProcess, spawnHub } from '../support/processes';
import { createTestDatabase, dropQueueKeys, TEST_REDIS_URL, TestDatabase } from '../support/test-database';
import { startTestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

/** Addresses whose registration is public record: Google, RIPE NCC (Amsterdam), APNIC (Brisbane), Google. */
const SENDERS = [
  { address: '8.8.8.8', country: 'US' },
  { address: '193.0.6.139', country: 'NL' },
  { address: '202.12.29.140', country: 'AU' },
  { address: '2001:4860:4860::8888', country: 'US' },
] as const;
const countryOf = (address: string) => SENDERS.find((s) => s.address === address)!.country;

const cpu = (vendor: string, model: string, logicalCpus: number) => ({
  vendor,
  model,
  logicalCpus,
  sockets: 1,
  coresPerSocket: logicalCpus,
  virtualizationFlags: ['vmx'],
  hypervisorFlag: false,
});
const memory = (totalMiB: number) => ({ totalMiB, availableMiB: totalMiB / 2, availableEstimated: false, usedPercent: 50, swapTotalMiB: 0, swapUsedPercent: 0 });


const pythonDir = (functions: string[]) =>
  problemDirArchive({ type: 'Python3', component: 'vzpanel', executable: '/usr/bin/vzpanel', backtrace: pythonTraceback(functions), time: String(Math.floor(Date.now() / 1000) - 60) });

/** A standalone `::1` (the IPv6 loopback peer), not a piece of a longer address. */
const LOOPBACK6 = /(^|[^0-9a-f:])::1($|[^0-9a-f:])/i;

interface Sent {
  /** raw report id → sender's expected country */
  reports: Map<string, string>;
  crashes: Map<string, string>;
  hosts: Map<string, string>;
  cep: string[];
  agentCrashes: string[];
  cepDay: string;
}

/**
 * Every intake door, once per sender: a CEP report, an agent crash report, a problem directory by
 * POST and by PUT (reporter-upload), and a FAF uReport, each behind X-Forwarded-For.
 */
async function sendFromEverySender(http: ReturnType<typeof request>): Promise<Sent> {
  // One creation time for all, so every host is live on the same rollup day.
  const createdAt = new Date(Date.now() - 60_000);
  const sent: Sent = { reports: new Map(), crashes: new Map(), hosts: new Map(), cep: [], agentCrashes: [], cepDay: createdAt.toISOString().slice(0, 10) };
  for (const [i, { address, country }] of SENDERS.entries()) {
    const xff = { 'x-forwarded-for': address };
    const hostId = randomUUID();
    const cep = await cepReport({ hostId, createdAt, collectors: { cpu: cpu(i % 2 ? 'AuthenticAMD' : 'GenuineIntel', `Model ${i}`, 8 << i), memory: memory(16384 << i) } });
    await http.post('/api/v1/cep-reports').set({ 'content-type': 'application/gzip', ...xff }).send(cep.tarball).expect(202);
    sent.reports.set(cep.reportId, country);
    sent.cep.push(cep.reportId);
    sent.hosts.set(hostId, country);

    const crashId = randomUUID();
    await http
      .post('/api/v1/crash-reports')
      .set(xff)
      .send({ reportId: crashId, hostId, crashedAt: createdAt.toISOString(), ureport: pythonUReport([`load_config_${i}`, 'run_command', 'main']) })
      .expect(202);
    sent.agentCrashes.push(crashId);
    const archive = await http
      .post('/api/v1/crash-archives')
      .set({ 'content-type': 'application/gzip', 'x-host-id': hostId, ...xff })
      .send(pythonDir([`parse_args_${i}`, 'main']))
      .expect(202);
    const upload = await http
      .put(`/upload/problem-${i}.tar.gz`)
      .set({ 'content-type': 'application/gzip', 'x-host-id': hostId, ...xff })
      .send(pythonDir([`save_state_${i}`, 'main']))
      .expect(202);
    const faf = await http
      .post('/reports/new/')
      .set(xff)
      .attach('file', Buffer.from(JSON.stringify(pythonUReport([`render_${i}`, 'main']))), 'ureport.json')
      .expect(202);
    const fafId = (faf.body.reported_to as Array<{ type: string; value: string }>).find((r) => r.type === 'url')!.value.split('/').pop()!;
    for (const id of [crashId, archive.body.id, upload.body.id, fafId]) {
      sent.reports.set(id, country);
      sent.crashes.set(id, country);
    }
  }
  return sent;
}

async function expectCountries(query: (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>, sent: Sent): Promise<void> {
  const raw = await query('SELECT id, status, country FROM raw_report');
  expect(Object.fromEntries(raw.map((r) => [r.id, { status: r.status, country: r.country }]))).toEqual(
    Object.fromEntries([...sent.reports].map(([id, country]) => [id, { status: 'processed', country }])),
  );
  const hosts = await query('SELECT id, country FROM host');
  expect(Object.fromEntries(hosts.map((h) => [h.id, h.country]))).toEqual(Object.fromEntries(sent.hosts));
  const crashes = await query('SELECT id, country, hardware_attrs FROM crash_report');
  expect(Object.fromEntries(crashes.map((c) => [c.id, c.country]))).toEqual(Object.fromEntries(sent.crashes));
  for (const c of crashes) expect(c.hardware_attrs).toContain(`country=${c.country}`);
  // The rollup counts live hosts per country: here every sender is one host.
  const perCountry: Record<string, number> = {};
  for (const country of sent.hosts.values()) perCountry[country] = (perCountry[country] ?? 0) + 1;
  const rollup = await query(`SELECT value, hosts FROM fleet_daily_rollup WHERE attribute = 'country' AND day = $1`, [sent.cepDay]);
  expect(Object.fromEntries(rollup.map((r) => [r.value, r.hosts]))).toEqual(perCountry);
}

describe.each([
  // Production layout: API and worker as separate processes, plain-text logs.
  { name: 'API and worker processes, text logs, IPv4 proxy', host: '127.0.0.1', format: 'text', split: true },
  { name: 'one process, JSON logs, IPv6 proxy', host: '::1', format: 'json', split: false },
])('sender addresses are used for the country only ($name)', ({ host, format, split }) => {
  const label = `privacy_${format}`;
  const prefix = `hub-test-${label}-${process.pid}`;
  let database: TestDatabase;
  let pg: Client;
  const processes: RunningProcess[] = [];
  const outputs: Array<() => string> = [];
  let http: ReturnType<typeof request>;

  const capture = (proc: RunningProcess) => {
    outputs.push(captureAll(proc));
    processes.push(proc);
  };

  beforeAll(async () => {
    database = await createTestDatabase(label);
    const port = await freePort();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      HOST: host,
      PORT: String(port),
      LOG_LEVEL: 'verbose',
      LOG_FORMAT: format,
      TRUSTED_PROXIES: '127.0.0.1,::1',
      JOB_BACKOFF_MS: '50',
    };
    capture(await spawnHub('main', split ? { ...env, HUB_ROLE: 'api' } : env, /hub listening/));
    if (split) capture(await spawnHub('worker', env, /worker started/));
    http = request(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });

  afterAll(async () => {
    for (const proc of processes.reverse()) await proc.stop();
    await pg?.end();
    await dropQueueKeys(prefix);
    await database?.drop();
  });

  it('stores the right country, and no address in the database, its archives, Redis or the logs', async () => {
    const sent = await sendFromEverySender(http);
    const ids = [...sent.reports.keys()];
    await waitFor(async () => {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM raw_report WHERE id = ANY($1) AND status <> 'queued'`, [ids]);
      return rows[0].n === ids.length ? true : undefined;
    }, 60_000, 'every report to be processed');

    await expectCountries(async (sql, params) => (await pg.query(sql, params)).rows, sent);

    const forwarded = SENDERS.flatMap((s) => addressForms(s.address));
    const peer = ['127.0.0.1', '::ffff:'];
    const dump = await dumpDatabase(database.url);
    const payloads = await byteaContents(database.url);
    const redis = await redisText(TEST_REDIS_URL, prefix);
    const log = outputs.map((o) => o()).join('\n');
    // Each scan sees what it should: host ids in the dump, manifests inside the archives, jobs in
    // Redis, and the chatty logs naming every stored report.
    for (const hostId of sent.hosts.keys()) expect(dump).toContain(hostId);
    expect(payloads).toHaveLength(ids.length);
    for (const id of [...sent.cep, ...sent.agentCrashes]) expect(payloads.filter((p) => p.text.includes(id))).toHaveLength(1);
    expect(payloads.filter((p) => p.text.includes('Traceback (most recent call last)'))).toHaveLength(2 * SENDERS.length);
    for (const id of ids) {
      expect(redis.text).toContain(id);
      expect(log).toContain(id);
    }
    if (format === 'json') for (const line of log.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();

    expect({ where: 'pg_dump', found: occurrences(dump, [...forwarded, ...peer]), loopback6: LOOPBACK6.test(dump) }).toEqual({ where: 'pg_dump', found: [], loopback6: false });
    for (const p of payloads) {
      expect({ where: `${p.table}.${p.column}`, found: occurrences(p.text, [...forwarded, ...peer]), loopback6: LOOPBACK6.test(p.text) }).toEqual({
        where: `${p.table}.${p.column}`,
        found: [],
        loopback6: false,
      });
    }
    expect({ where: 'redis', found: occurrences(redis.text, forwarded) }).toEqual({ where: 'redis', found: [] });
    expect({ where: 'logs', found: occurrences(log, forwarded) }).toEqual({ where: 'logs', found: [] });
  });
});

describe('the country comes only from the address the hub can vouch for', () => {
  const trusted = { TRUSTED_PROXIES: '127.0.0.1,::1' };
  it.each([
    // Without trusted proxies the header is anyone's claim; the loopback peer has no country.
    ['TRUSTED_PROXIES unset: X-Forwarded-For is ignored', 'untrusted', {}, '8.8.8.8', null],
    ['GEOIP_DB_PATH=off: no lookup at all', 'geooff', { ...trusted, GEOIP_DB_PATH: 'off' }, '8.8.8.8', null],
    // Only the hop the trusted proxy itself saw counts; what the client prepended is not believed.
    ['a trusted proxy: the address it saw, not what the client prepended', 'chain', trusted, '8.8.8.8, 193.0.6.139', countryOf('193.0.6.139')],
  ] as const)('%s', async (_name, label, env, xff, expected) => {
    const hub = await startTestHub(`priv_${label}`, env);
    try {
      const hostId = randomUUID();
      const createdAt = new Date(Date.now() - 60_000);
      const cep = await cepReport({ hostId, createdAt, collectors: { cpu: cpu('GenuineIntel', 'Xeon', 16), memory: memory(65536) } });
      await expect(sendCepReport(hub, cep, { 'x-forwarded-for': xff })).resolves.toEqual({ status: 'processed', reject_reason: null });
      const crashId = randomUUID();
      await hub.http.post('/api/v1/crash-reports').set('x-forwarded-for', xff).send({ reportId: crashId, hostId, ureport: pythonUReport(['connect', 'main']) }).expect(202);
      const faf = await hub.http.post('/reports/new/').set('x-forwarded-for', xff).send(pythonUReport(['render', 'main'])).expect(202);
      const fafId = faf.body.reported_to.find((r: { type: string }) => r.type === 'url').value.split('/').pop();
      for (const id of [crashId, fafId]) await expect(hub.settled(id)).resolves.toEqual({ status: 'processed', reject_reason: null });

      const raw = await hub.db.query('SELECT id, country FROM raw_report');
      expect(Object.fromEntries(raw.map((r: { id: string; country: string | null }) => [r.id, r.country]))).toEqual({ [cep.reportId]: expected, [crashId]: expected, [fafId]: expected });
      expect(await hub.db.query('SELECT country FROM host WHERE id = $1', [hostId])).toEqual([{ country: expected }]);
      const crashes = await hub.db.query('SELECT id, country FROM crash_report ORDER BY id');
      expect(crashes).toEqual([crashId, fafId].sort().map((id) => ({ id, country: expected })));
      const day = createdAt.toISOString().slice(0, 10);
      const rollup = await hub.db.query(`SELECT attribute, value, hosts FROM fleet_daily_rollup WHERE day = $1 AND attribute IN ('live', 'country') ORDER BY attribute`, [day]);
      expect(rollup).toEqual([...(expected ? [{ attribute: 'country', value: expected, hosts: 1 }] : []), { attribute: 'live', value: 'all', hosts: 1 }]);
    } finally {
      await hub.close();
    }
  });
});
