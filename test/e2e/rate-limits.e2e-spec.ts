import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisText } from '../support/database-scan';
import { TEST_REDIS_URL } from '../support/test-database';
import { startTestHub, TestHub } from '../support/test-hub';

const CORE_UREPORT = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'upstream', 'faf', 'tests', 'sample_reports', 'ureport_core'), 'utf8'));
const PER_KEY = 3;
const PER_HOST = 2;
const PER_CLIENT = 4;

describe('rate limits: 429 with Retry-After once a quota is spent, normal service for others', () => {
  let hub: TestHub;
  // Distinct documentation addresses, so each scenario is its own anonymous client (X-Forwarded-For from a trusted proxy).
  let nextAddress = 1;
  const address = () => `203.0.113.${nextAddress++}`;
  // A public route: what is counted is the presented credential or the client, whatever the route lets in.
  const get = (headers: Record<string, string>) => hub.http.get('/api/v1/stats').set(headers);

  beforeAll(async () => {
    hub = await startTestHub('ratelimits', {
      TRUSTED_PROXIES: '127.0.0.1,::1,::ffff:127.0.0.1',
      // A day-long window: the test cannot straddle a window boundary and see its counts reset.
      RATE_LIMIT_WINDOW_MS: String(24 * 3600 * 1000),
      RATE_LIMIT_PER_KEY: String(PER_KEY),
      RATE_LIMIT_PER_HOST: String(PER_HOST),
      RATE_LIMIT_PER_CLIENT: String(PER_CLIENT),
    });
  });
  afterAll(() => hub.close());

  it('a key: its quota spent, 429 with Retry-After; another key and an anonymous client are served', async () => {
    const from = address();
    for (let i = 0; i < PER_KEY; i++) await get({ authorization: 'Bearer rig-key-one', 'x-forwarded-for': from }).expect(200);
    const refused = await get({ authorization: 'Bearer rig-key-one', 'x-forwarded-for': from });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/^rate limit: this credential may make 3 requests per 86400 s; retry after \d+ s$/);
    await get({ authorization: 'Bearer rig-key-two', 'x-forwarded-for': from }).expect(200);
    await get({ 'x-forwarded-for': from }).expect(200);
  });

  it('a host: its quota spent, its next report is refused and not stored; another host is served', async () => {
    const hostId = randomUUID();
    const send = (host: string) =>
      hub.http.post('/api/v1/crash-reports').set('x-forwarded-for', address()).send({ reportId: randomUUID(), hostId: host, ureport: CORE_UREPORT });
    for (let i = 0; i < PER_HOST; i++) expect((await send(hostId)).status).toBe(202);
    const before = await hub.db.query('SELECT count(*)::int AS n FROM raw_report');
    const refused = await send(hostId);
    expect([refused.status, refused.body.message]).toEqual([429, expect.stringMatching(/^rate limit: this host may make 2 requests/)]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await hub.db.query('SELECT count(*)::int AS n FROM raw_report')).toEqual(before);
    expect((await send(randomUUID())).status).toBe(202);
  });

  it('an anonymous client: counted by its address, others unaffected; /health is never limited', async () => {
    const from = address();
    for (let i = 0; i < PER_CLIENT; i++) await get({ 'x-forwarded-for': from }).expect(200);
    const refused = await get({ 'x-forwarded-for': from });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await get({ 'x-forwarded-for': address() }).expect(200);
    for (let i = 0; i < PER_CLIENT + 2; i++) await hub.http.get('/health').set('x-forwarded-for', from).expect(200);
  });

  it('keeps neither addresses nor keys in Redis: only keyed hashes, expiring with their window', async () => {
    const { keys, text } = await redisText(TEST_REDIS_URL, `hub-test-ratelimits-${process.pid}`);
    expect(keys).toBeGreaterThan(0);
    expect(text).not.toMatch(/203\.0\.113\.\d+/);
    expect(text).not.toContain('rig-key-one');
    expect(text).not.toContain('127.0.0.1');
  });
});
