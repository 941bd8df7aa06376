import { mkdtempSync, readdirSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CEP_MANIFEST_FILE } from '../../../libs/contracts/src/cep';
import { FakeClock } from '../../test/fake-clock.helper';
import { buildReport, readReport } from '../report/report-builder';
import { HttpSender, HttpSenderOptions, parseRetryAfter } from './http-sender';
import { Spool } from './spool';

const HOST_ID = '5b3c1f7e-2d4a-4c6b-9e8f-1a2b3c4d5e6f';
const TOKEN = 'test-token';
const KEY_HASH = 'ab'.repeat(32);

/** shared: accepted, with the answer that another installation sends under this host id; garbled: accepted, answer unreadable. */
type Behaviour = 'refuse' | 'hang' | 'accept' | 'reject' | 'shared' | 'garbled';

/** A stand-in hub: stores by report id (idempotent like the real one), scripted per request. */
class LocalHub {
  readonly stored = new Map<string, number>();
  readonly acks = new Map<string, number>();
  readonly seen: Behaviour[] = [];
  script: Behaviour[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly hanging: http.ServerResponse[] = [];

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.hanging.forEach((r) => r.destroy());
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const behaviour = this.script.shift() ?? 'accept';
      this.seen.push(behaviour);
      const id = String(req.headers['x-report-id']);
      if (behaviour === 'refuse') return res.writeHead(503, { 'retry-after': '120' }).end();
      if (behaviour === 'reject') return res.writeHead(400).end();
      expect(req.url).toBe('/api/v1/cep-reports');
      expect(req.headers['content-type']).toBe('application/gzip');
      expect(req.headers['x-host-id']).toBe(HOST_ID);
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const manifest = JSON.parse((await readReport(Buffer.concat(chunks))).get(CEP_MANIFEST_FILE)!) as { reportId: string };
      expect(manifest.reportId).toBe(id);
      const isNew = !this.stored.has(id);
      if (isNew) this.stored.set(id, 1);
      // 'hang': the hub stored the report but the answer never reaches the agent.
      if (behaviour === 'hang') return void this.hanging.push(res);
      this.acks.set(id, (this.acks.get(id) ?? 0) + 1);
      if (behaviour === 'garbled') return res.writeHead(202, { 'content-type': 'text/plain' }).end('stored, thanks');
      const answer = { id, status: 'stored', duplicate: !isNew, hostIdShared: behaviour === 'shared' };
      res.writeHead(isNew ? 202 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  }
}

async function spoolWith(dir: string, count: number, clock: FakeClock, max = 50): Promise<{ spool: Spool; ids: string[] }> {
  const spool = new Spool(dir, max, () => undefined);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const report = await buildReport([], { hostId: HOST_ID, sequence: i + 1, erasureKeyHash: KEY_HASH }, new Date(clock.now()));
    await spool.enqueue(report.reportId, report.tarball, clock.now() + i);
    ids.push(report.reportId);
  }
  return { spool, ids };
}

function sender(spool: Spool, hubUrl: string, clock: FakeClock, more: Partial<HttpSenderOptions> = {}): HttpSender {
  return new HttpSender({ hubUrl, token: TOKEN, hostId: HOST_ID, spool, clock, timeoutMs: 250, retryInitialMs: 1000, retryMaxMs: 600_000, log: () => undefined, ...more });
}

describe('HTTP delivery', () => {
  let hub: LocalHub;
  let url: string;
  beforeEach(async () => {
    hub = new LocalHub();
    url = await hub.start();
  });
  afterEach(() => hub.stop());

  it('hub refuses (503 + Retry-After), times out, then recovers: every report arrives exactly once', async () => {
    const clock = new FakeClock(Date.parse('2026-11-24T10:00:00Z'));
    const { spool, ids } = await spoolWith(mkdtempSync(path.join(tmpdir(), 'cep-spool-')), 4, clock);
    hub.script = ['refuse', 'refuse', 'hang', 'accept', 'hang'];
    const result = await sender(spool, url, clock).flush();

    expect(result).toEqual({ sent: ids, remaining: 0 });
    expect([...hub.stored.keys()].sort()).toEqual([...ids].sort());
    expect([...hub.stored.values()].every((n) => n === 1)).toBe(true);
    expect([...hub.acks.values()]).toEqual([1, 1, 1, 1]);
    expect(hub.seen).toEqual(['refuse', 'refuse', 'hang', 'accept', 'hang', 'accept', 'accept', 'accept']);
    // Retry-After (120 s) outranks the 1 s backoff; backoff grows after the timeout.
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(120_000);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(120_000);
    expect(clock.sleeps[2]).toBeGreaterThanOrEqual(4000 / 2);
    expect(readdirSync(spool.dir).filter((f) => f.endsWith('.tar.gz'))).toEqual([]);
  });

  it('agent restart mid-spool: a new sender over the same spool dir finishes, still exactly once', async () => {
    const clock = new FakeClock(Date.parse('2026-11-24T10:00:00Z'));
    const dir = mkdtempSync(path.join(tmpdir(), 'cep-spool-'));
    const { spool, ids } = await spoolWith(dir, 3, clock);
    hub.script = ['accept', 'hang'];
    const stop = new AbortController();
    // The "process" dies while the second report is in flight (stored by the hub, unanswered).
    const interrupted = sender(spool, url, clock).flush({ signal: stop.signal });
    while (hub.seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    expect((await interrupted).sent).toEqual([ids[0]]);

    const restarted = new Spool(dir, 50, () => undefined);
    expect((await restarted.list()).map((e) => e.reportId)).toEqual(ids.slice(1));
    await clock.sleep(1000);
    const more = await spoolWith(dir, 1, clock);
    const result = await sender(restarted, url, clock).flush();
    expect(result).toEqual({ sent: [...ids.slice(1), ...more.ids], remaining: 0 });
    expect(hub.stored.size).toBe(4);
    expect([...hub.acks.values()]).toEqual([1, 1, 1, 1]);
  });

  it('gives up for now after maxFailures or before the deadline, keeping the spool', async () => {
    const clock = new FakeClock(0);
    const { spool, ids } = await spoolWith(mkdtempSync(path.join(tmpdir(), 'cep-spool-')), 2, clock);
    hub.script = ['refuse', 'refuse', 'refuse'];
    expect(await sender(spool, url, clock).flush({ maxFailures: 2 })).toEqual({ sent: [], remaining: 2 });
    expect(await sender(spool, url, clock).flush({ deadline: clock.now() + 60_000 })).toEqual({ sent: [], remaining: 2 });
    expect((await sender(spool, url, clock).flush()).sent).toEqual(ids);
  });

  it('a report the hub refuses for good (4xx) is quarantined, the rest still go', async () => {
    const clock = new FakeClock(0);
    const { spool, ids } = await spoolWith(mkdtempSync(path.join(tmpdir(), 'cep-spool-')), 2, clock);
    hub.script = ['reject'];
    expect(await sender(spool, url, clock).flush()).toEqual({ sent: [ids[1]], remaining: 0 });
    expect(readdirSync(path.join(spool.dir, 'rejected'))).toEqual([expect.stringContaining(ids[0])]);
  });

  it('tells the agent when the hub says another installation sends under its host id, and only then', async () => {
    const clock = new FakeClock(0);
    const { spool, ids } = await spoolWith(mkdtempSync(path.join(tmpdir(), 'cep-spool-')), 4, clock);
    hub.script = ['accept', 'garbled', 'shared', 'accept'];
    const told: Array<{ hostId: string; afterReports: number }> = [];
    const onHostIdShared = async (hostId: string) => void told.push({ hostId, afterReports: hub.stored.size });
    expect(await sender(spool, url, clock, { onHostIdShared }).flush()).toEqual({ sent: ids, remaining: 0 });
    expect(told).toEqual([{ hostId: HOST_ID, afterReports: 3 }]);
  });
});

describe('Spool', () => {
  it('is bounded: past the cap the oldest reports are dropped with a log line', async () => {
    const logs: string[] = [];
    const spool = new Spool(mkdtempSync(path.join(tmpdir(), 'cep-spool-')), 3, (m) => logs.push(m));
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const [i, id] of ids.entries()) await spool.enqueue(id, Buffer.from(id), 1000 + i);
    expect((await spool.list()).map((e) => e.reportId)).toEqual(ids.slice(2));
    expect(logs).toEqual([expect.stringContaining(`dropped oldest report ${ids[0]}`), expect.stringContaining(`dropped oldest report ${ids[1]}`)]);
    expect(await spool.size()).toEqual({ reports: 3, bytes: 3 * 36 });
    expect(readdirSync(spool.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('Spool kinds', () => {
  it('keeps crash reports and archives (with their headers) beside CEP reports, once per report id', async () => {
    const spool = new Spool(mkdtempSync(path.join(tmpdir(), 'cep-spool-')), 10, () => undefined);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await spool.enqueue(a, Buffer.from('cep'), 1);
    expect(await spool.enqueue(b, Buffer.from('{}'), 2, { kind: 'crash-report' })).toBe(true);
    expect(await spool.enqueue(b, Buffer.from('{}'), 3, { kind: 'crash-report' })).toBe(false);
    await spool.enqueue(c, Buffer.from('tgz'), 4, { kind: 'crash-archive', headers: { 'x-report-labels': '{"rig":"r1"}' } });
    const entries = await new Spool(spool.dir, 10).list();
    expect(entries.map((e) => [e.reportId, e.kind])).toEqual([
      [a, 'cep'],
      [b, 'crash-report'],
      [c, 'crash-archive'],
    ]);
    expect(await spool.headers(entries[2])).toEqual({ 'x-report-labels': '{"rig":"r1"}' });
    expect((await spool.list('cep')).map((e) => e.reportId)).toEqual([a]);
    await spool.remove(c);
    expect(readdirSync(spool.dir)).toHaveLength(2);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 30_000)).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
