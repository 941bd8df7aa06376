import { CepRetentionService } from '../../apps/hub/src/fleet/cep-retention.service';
import { sendCepReport } from '../support/cep-report';
import {
  addDays,
  cpuData,
  DAY_MS,
  dayOf,
  daysAgo,
  disksData,
  memoryData,
  servicesData,
  staticSettingsData,
  SyntheticAgent,
  type DiskKind,
} from '../support/fleet-fixtures';
import { startTestHub, TestHub } from '../support/test-hub';

const K = 5;
const WINDOW = 14;
const RETENTION_DAYS = 30;
const ENV = {
  LIVE_WINDOW_DAYS: String(WINDOW),
  STATS_MIN_HOSTS: String(K),
  CEP_RAW_RETENTION_DAYS: String(RETENTION_DAYS),
  // The test client is the "proxy": X-Forwarded-For carries the sender addresses below.
  TRUSTED_PROXIES: '127.0.0.1,::1',
};

/** Addresses with known countries in the bundled IP-to-country database. */
const US4 = { address: '8.8.8.8', code: 'US' };
const US6 = { address: '2001:4860:4860::8888', code: 'US' };
const NL = { address: '193.0.6.139', code: 'NL' };
const AU = { address: '202.12.29.140', code: 'AU' };

/** What a synthetic host is, in the words a breakdown uses; its collector outputs are made from this. */
interface Facts {
  /** raw: the cpuinfo vendor id the agent sends; name: how the breakdown names the vendor. */
  cpu?: { raw: string; name: string };
  disks?: DiskKind[];
  memoryMiB?: number;
  /** name/version: the product as the breakdown names it; version null when it has none there. */
  product?: { osId: string; versionId: string; productVersion: string | null; name: string; version: string | null };
  country?: { address: string; code: string };
}

const VIRTUOZZO = { osId: 'virtuozzo', versionId: '7', productVersion: 'Virtuozzo release 7.5.1 (17)', name: 'Virtuozzo', version: 'Virtuozzo 7.5.1 (17)' };
const OPENVZ = { osId: 'openvz', versionId: '7', productVersion: null, name: 'OpenVZ', version: 'OpenVZ 7' };
const ALMA = { osId: 'almalinux', versionId: '8.9', productVersion: null, name: 'other', version: null };

/** Memory buckets are powers of two GiB, upper bound inclusive. */
function memoryBucket(totalMiB: number): string {
  let upper = 4;
  while (totalMiB > upper * 1024) upper *= 2;
  return upper === 4 ? '<=4GiB' : `${upper / 2}-${upper}GiB`;
}

function collectorsOf(facts: Facts): Record<string, unknown> {
  // Every host sends something; services feed no breakdown, so fact-less hosts only count as live.
  const c: Record<string, unknown> = { services: servicesData() };
  if (facts.cpu) c.cpu = cpuData({ vendor: facts.cpu.raw, model: `${facts.cpu.name} Test CPU 1` });
  if (facts.disks) c.disks = disksData(facts.disks.map((kind) => ({ kind })));
  if (facts.memoryMiB) c.memory = memoryData(facts.memoryMiB);
  if (facts.product) c['static-settings'] = staticSettingsData(facts.product);
  return c;
}

/** A report of `facts` from `agent`, sent from the fact's country (via the trusted proxy header) and processed. */
async function sendFacts(target: TestHub, agent: SyntheticAgent, at: Date, facts: Facts = {}) {
  const r = await agent.report(at, collectorsOf(facts));
  const headers: Record<string, string> = facts.country ? { 'x-forwarded-for': facts.country.address } : {};
  expect(await sendCepReport(target, r, headers)).toMatchObject({ status: 'processed' });
}

/** attribute value → objects behind it, for one host. */
function valuesOf(attribute: string, f: Facts): Array<[string, number]> {
  switch (attribute) {
    case 'cpu.vendor':
      return f.cpu ? [[f.cpu.name, 1]] : [];
    case 'disk.kind': {
      const n: Record<string, number> = {};
      for (const kind of f.disks ?? []) n[kind] = (n[kind] ?? 0) + 1;
      return Object.entries(n);
    }
    case 'memory.size':
      return f.memoryMiB ? [[memoryBucket(f.memoryMiB), 1]] : [];
    case 'product':
      return f.product ? [[f.product.name, 1]] : [];
    case 'product.version':
      return f.product?.version ? [[f.product.version, 1]] : [];
    case 'country':
      return f.country ? [[f.country.code, 1]] : [];
    default:
      throw new Error(`no model for ${attribute}`);
  }
}

/** Every host count, object count and live count anywhere in a public answer. */
function publishedCounts(body: unknown, out: Array<{ key: string; value: unknown }> = []): Array<{ key: string; value: unknown }> {
  if (Array.isArray(body)) body.forEach((b) => publishedCounts(b, out));
  else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (['hosts', 'objects', 'liveServers'].includes(key)) out.push({ key, value });
      publishedCounts(value, out);
    }
  }
  return out;
}
/** No count of hosts (or of their objects) under k appears anywhere; withheld counts are null. */
const expectNoSmallCounts = (body: unknown) => {
  const counts = publishedCounts(body);
  expect(counts.filter((c) => c.value !== null && !(typeof c.value === 'number' && c.value >= K))).toEqual([]);
};

describe('public fleet statistics of a fleet smaller than k', () => {
  // Its own hub, finished before the main one starts: two hubs in one process would share Nest's data source registry.
  let few: TestHub;
  beforeAll(async () => {
    few = await startTestHub('fleetstatsfew', ENV);
  });
  afterAll(async () => {
    await few.close();
  });

  it('with fewer than k live servers nothing is counted in public', async () => {
    const facts: Facts = { cpu: { raw: 'GenuineIntel', name: 'Intel' }, memoryMiB: 64_000, disks: ['ssd'], product: VIRTUOZZO };
    for (let i = 0; i < K - 1; i++) await sendFacts(few, new SyntheticAgent(), daysAgo(1), facts);
    const summary = (await few.http.get('/api/v1/stats').expect(200)).body;
    expect(summary.liveServers).toBeNull();
    // The rollup does count them: the answer is withheld, not missing.
    const day = summary.day;
    expect(await few.db.query(`SELECT hosts FROM fleet_daily_rollup WHERE day = $1 AND attribute = 'live'`, [day])).toEqual([{ hosts: K - 1 }]);
    const cpu = (await few.http.get('/api/v1/stats/breakdowns/cpu-vendor').expect(200)).body;
    expect(cpu.liveServers).toBeNull();
    expect(cpu.attributes).toEqual([{ attribute: 'cpu.vendor', cells: [], other: null, suppressed: { cells: 1, hosts: null } }]);
    const recent = (await few.http.get('/api/v1/stats/live-servers?days=3').expect(200)).body;
    expect(recent.trend.map((t: { liveServers: number | null }) => t.liveServers)).toEqual([null, null, null]);
    for (const body of [summary, cpu, recent, (await few.http.get('/api/v1/stats/breakdowns').expect(200)).body]) expectNoSmallCounts(body);

    // The k-th server makes the count public.
    await sendFacts(few, new SyntheticAgent(), daysAgo(1), facts);
    expect((await few.http.get('/api/v1/stats').expect(200)).body.liveServers).toBe(K);
    expect((await few.http.get('/api/v1/stats/breakdowns/cpu-vendor').expect(200)).body.attributes[0].cells).toEqual([
      { value: 'Intel', hosts: K, share: 1, objects: K },
    ]);
  });
});

describe('public fleet statistics', () => {
  let hub: TestHub;
  /** Every report sent to `hub`: the model the expected statistics are computed from. */
  const sent: Array<{ hostId: string; day: string; facts: Facts }> = [];

  beforeAll(async () => {
    hub = await startTestHub('fleetstats', ENV);
  });
  afterAll(async () => {
    await hub.close();
  });

  async function report(agent: SyntheticAgent, at: Date, facts: Facts = {}) {
    await sendFacts(hub, agent, at, facts);
    sent.push({ hostId: agent.hostId, day: dayOf(at), facts });
  }

  /** Hosts live on `day` (a report within the window ending that day), each with the facts of its latest such report. */
  function liveOn(day: string): Map<string, Facts> {
    const latest = new Map<string, { day: string; facts: Facts }>();
    for (const s of sent) {
      if (s.day > day || s.day < addDays(day, 1 - WINDOW)) continue;
      const seen = latest.get(s.hostId);
      if (!seen || seen.day <= s.day) latest.set(s.hostId, s);
    }
    return new Map([...latest].map(([id, s]) => [id, s.facts]));
  }
  const published = (n: number) => (n >= K ? n : null);

  /** The published attribute by the suppression rule: cells under k hidden, then the smallest visible ones while the hidden total is under k. */
  function expectedAttribute(attribute: string, day: string) {
    const live = liveOn(day);
    const cells = new Map<string, { hosts: number; objects: number }>();
    for (const facts of live.values()) {
      for (const [value, objects] of valuesOf(attribute, facts)) {
        const c = cells.get(value) ?? { hosts: 0, objects: 0 };
        cells.set(value, { hosts: c.hosts + 1, objects: c.objects + objects });
      }
    }
    const all = [...cells].map(([value, c]) => ({ value, ...c }));
    if (live.size < K) return { attribute, cells: [], other: null, suppressed: { cells: all.length, hosts: null } };
    const visible = all.filter((c) => c.hosts >= K).sort((a, b) => b.hosts - a.hosts || (a.value < b.value ? -1 : 1));
    let hiddenCells = all.length - visible.length;
    let hiddenHosts = all.filter((c) => c.hosts < K).reduce((s, c) => s + c.hosts, 0);
    while (hiddenHosts > 0 && hiddenHosts < K && visible.length) {
      hiddenHosts += visible.pop()!.hosts;
      hiddenCells++;
    }
    return {
      attribute,
      cells: visible.map((c) => ({ value: c.value, hosts: c.hosts, objects: c.objects, share: expect.closeTo(c.hosts / live.size, 3) })),
      other: null,
      suppressed: { cells: hiddenCells, hosts: hiddenCells > 0 && hiddenHosts >= K ? hiddenHosts : null },
    };
  }

  const trend = async (days: number) => (await hub.http.get(`/api/v1/stats/live-servers?days=${days}`).expect(200)).body;
  const expectedTrend = (to: string, days: number) =>
    Array.from({ length: days }, (_, i) => addDays(to, i - days + 1)).map((day) => ({ day, liveServers: published(liveOn(day).size) }));

  it('live window edges: a report 13 days old is live today, 14 and 15 days old are not', async () => {
    const groups = { 13: 5, 14: 6, 15: 7 } as const;
    const reportDay: Record<number, string> = {};
    for (const [age, size] of Object.entries(groups)) {
      const at = daysAgo(Number(age));
      reportDay[Number(age)] = dayOf(at);
      for (let i = 0; i < size; i++) {
        const agent = new SyntheticAgent();
        await report(agent, at);
        // Liveness counts from when the report was made, not when it arrived.
        expect((await hub.db.query('SELECT last_report_at FROM host WHERE id = $1', [agent.hostId]))[0].last_report_at).toEqual(at);
      }
    }

    const body = await trend(17);
    const to: string = body.to;
    expect(body).toMatchObject({ windowDays: WINDOW, minHostsPerCell: K });
    expect(body.trend).toEqual(expectedTrend(to, 17));
    const liveAt = (day: string) => body.trend.find((t: { day: string }) => t.day === day).liveServers;
    // Group sizes differ, so the totals show which groups count on which day.
    expect(liveAt(to)).toBe(groups[13]);
    expect(liveAt(addDays(to, -1))).toBe(groups[13] + groups[14]);
    expect(liveAt(addDays(to, -2))).toBe(groups[13] + groups[14] + groups[15]);
    // The 14-day group counts on its days 0..13 (with whichever other groups cover the day) and drops on day 14.
    const covering = (day: string) =>
      Object.entries(groups)
        .filter(([age]) => reportDay[Number(age)] <= day && day <= addDays(reportDay[Number(age)], WINDOW - 1))
        .reduce((sum, [, n]) => sum + n, 0);
    for (let d = 0; d < WINDOW; d++) {
      const day = addDays(reportDay[14], d);
      expect({ day, live: liveAt(day) }).toEqual({ day, live: covering(day) });
      expect(liveAt(day)).toBeGreaterThanOrEqual(groups[14]);
    }
    expect(liveAt(addDays(reportDay[14], WINDOW))).toBe(groups[13]);
    // Before the oldest report nobody was live: zero is withheld like any small count.
    expect(liveAt(addDays(reportDay[15], -1))).toBeNull();

    const summary = (await hub.http.get('/api/v1/stats').expect(200)).body;
    expect(summary).toMatchObject({ day: to, windowDays: WINDOW, minHostsPerCell: K, liveServers: groups[13] });
  });

  it('daily live counts over the last days follow the days hosts reported on', async () => {
    const plan: Array<{ hosts: number; ages: number[] }> = [
      { hosts: 4, ages: [40] },
      { hosts: 6, ages: [30, 20] },
      { hosts: 5, ages: [25] },
      { hosts: 7, ages: [9] },
      { hosts: 3, ages: [2] },
    ];
    for (const group of plan) {
      for (let i = 0; i < group.hosts; i++) {
        const agent = new SyntheticAgent();
        for (const age of [...group.ages].sort((a, b) => b - a)) await report(agent, daysAgo(age));
      }
    }
    const body = await trend(45);
    const expected = expectedTrend(body.to, 45);
    expect(body.trend).toEqual(expected);
    // Not vacuous: the span holds suppressed days (fewer than k live) and several distinct counts.
    expect(expected.filter((t) => t.liveServers === null).length).toBeGreaterThan(0);
    expect(new Set(expected.map((t) => t.liveServers).filter((n) => n !== null)).size).toBeGreaterThan(4);
    expectNoSmallCounts(body);
  });

  describe('breakdowns of live servers', () => {
    const vendors = [
      ...Array(10).fill(null).map((_, i) => ({ raw: i % 2 ? 'Intel' : 'GenuineIntel', name: 'Intel' })),
      ...Array(5).fill({ raw: 'AuthenticAMD', name: 'AMD' }),
      ...Array(3).fill({ raw: 'HygonGenuine', name: 'Hygon' }),
      ...Array(2).fill({ raw: 'CentaurHauls', name: 'Centaur' }),
    ];
    const fleet: Facts[] = vendors.map((cpu, i) => ({
      cpu,
      disks: [
        ...(i % 4 !== 3 ? (['ssd', 'ssd'] as DiskKind[]) : []),
        ...(i % 2 === 0 ? (['hdd', 'hdd', 'hdd', 'hdd'] as DiskKind[]) : []),
        ...(i < 5 ? (['nvme'] as DiskKind[]) : []),
        ...(i === 19 ? (['unknown'] as DiskKind[]) : []),
      ],
      memoryMiB: [32_000, 64_000, 128_000, 257_000][i % 4],
      product: i < 12 ? VIRTUOZZO : i < 17 ? OPENVZ : ALMA,
      country: i < 8 ? US4 : i < 11 ? US6 : i < 17 ? NL : AU,
    }));
    const names = ['cpu-vendor', 'disk-kind', 'memory-size', 'product', 'country'];

    beforeAll(async () => {
      const now = Date.now();
      // Spread over the last days of the window, a minute back so no report is from the future.
      for (const [i, facts] of fleet.entries()) await report(new SyntheticAgent(), new Date(now - (i % 5) * DAY_MS - 60_000), facts);
    });

    it.each(names)('%s: counts and shares of live servers, small cells suppressed', async (name) => {
      const body = (await hub.http.get(`/api/v1/stats/breakdowns/${name}`).expect(200)).body;
      const live = liveOn(body.day);
      expect(live.size).toBeGreaterThan(fleet.length);
      expect(body).toMatchObject({ name, day: body.day, windowDays: WINDOW, minHostsPerCell: K, liveServers: live.size });
      expect(body.attributes).toEqual(body.attributes.map((a: { attribute: string }) => expectedAttribute(a.attribute, body.day)));
      expect(body.attributes.flatMap((a: { cells: unknown[] }) => a.cells).length).toBeGreaterThan(0);
      expectNoSmallCounts(body);
    });

    it('hides cells under k, and a visible cell too when the hidden total alone would be small', async () => {
      const attr = async (name: string) => (await hub.http.get(`/api/v1/stats/breakdowns/${name}`).expect(200)).body.attributes[0];
      const count = (pick: (f: Facts) => string | undefined) => {
        const n: Record<string, number> = {};
        for (const f of fleet) {
          const v = pick(f);
          if (v) n[v] = (n[v] ?? 0) + 1;
        }
        return n;
      };
      // CPU vendors: Hygon and Centaur are small, but together they reach k, so only they are hidden.
      const vendorCounts = count((f) => f.cpu?.name);
      expect([vendorCounts.Hygon, vendorCounts.Centaur].every((n) => n < K) && vendorCounts.Hygon + vendorCounts.Centaur >= K).toBe(true);
      const cpu = await attr('cpu-vendor');
      expect(cpu.cells.map((c: { value: string }) => c.value)).toEqual(['Intel', 'AMD']);
      expect(cpu.suppressed).toEqual({ cells: 2, hosts: vendorCounts.Hygon + vendorCounts.Centaur });
      // GenuineIntel and Intel are one vendor.
      expect(cpu.cells[0].hosts).toBe(vendorCounts.Intel);

      // Countries: Australia alone is small, so the Netherlands (at least k) is hidden with it.
      const countries = count((f) => f.country?.code);
      expect(countries.AU).toBeLessThan(K);
      expect(countries.NL).toBeGreaterThanOrEqual(K);
      const country = await attr('country');
      expect(country.cells.map((c: { value: string; hosts: number }) => [c.value, c.hosts])).toEqual([['US', countries.US]]);
      expect(country.suppressed).toEqual({ cells: 2, hosts: countries.NL + countries.AU });
    });

    it('/api/v1/stats/breakdowns holds every breakdown, none with a count under k', async () => {
      const all = (await hub.http.get('/api/v1/stats/breakdowns').expect(200)).body;
      for (const name of names) {
        const one = (await hub.http.get(`/api/v1/stats/breakdowns/${name}`).expect(200)).body;
        expect(all.breakdowns.find((b: { name: string }) => b.name === name)).toEqual(one);
      }
      expectNoSmallCounts(all);
      await hub.http.get('/api/v1/stats/breakdowns/no-such-thing').expect(404);
    });
  });

  /** Every public statistic, to compare before and after. */
  async function allStats() {
    const get = async (path: string) => (await hub.http.get(path).expect(200)).body;
    return {
      summary: await get('/api/v1/stats'),
      trend: await get('/api/v1/stats/live-servers?days=60'),
      breakdowns: await get('/api/v1/stats/breakdowns'),
    };
  }

  it('statistics are read from the rollup: deleting every stored and processed report changes nothing', async () => {
    const before = await allStats();
    expect(before.summary.liveServers).toBe(liveOn(before.summary.day).size);
    expect((await hub.db.query(`SELECT count(*)::int AS n FROM cep_report`))[0].n).toBe(sent.length);
    await hub.db.query('DELETE FROM cep_report');
    await hub.db.query('DELETE FROM raw_report');
    expect(await allStats()).toEqual(before);
  });

  it('retention deletes processed report archives after the retention period and keeps hosts, profiles and the rollup', async () => {
    const agents = Array.from({ length: K }, () => new SyntheticAgent());
    for (const agent of agents) await report(agent, daysAgo(0.5), { cpu: { raw: 'AuthenticAMD', name: 'AMD' }, memoryMiB: 128_000 });
    const rawCount = async () => (await hub.db.query(`SELECT count(*)::int AS n FROM raw_report WHERE kind = 'cep'`))[0].n;
    expect(await rawCount()).toBe(K);
    const stats = await allStats();
    const rows = await hub.snapshot();
    const retention = hub.hub.app.get(CepRetentionService);
    const now = Date.now();

    // A day before the period ends nothing goes…
    expect(await retention.sweep(new Date(now + (RETENTION_DAYS - 1) * DAY_MS))).toBe(0);
    expect(await rawCount()).toBe(K);
    // …a day after it, every processed archive.
    expect(await retention.sweep(new Date(now + (RETENTION_DAYS + 1) * DAY_MS))).toBe(K);
    expect(await rawCount()).toBe(0);
    expect(await hub.snapshot()).toEqual({ ...rows, raw_report: rows.raw_report - K });
    expect(await allStats()).toEqual(stats);
    // The host's own view still has its profile and records.
    const view = (await hub.http.get(`/api/v1/hosts/${agents[0].hostId}`).set('authorization', `Bearer ${agents[0].erasureKey}`).expect(200)).body;
    expect(view.currentProfile.profile).toMatchObject({ cpu: { vendor: 'AMD' }, memory: { sizeBucket: memoryBucket(128_000) } });
    expect(view.collectorRecords.map((r: { collector: string }) => r.collector).sort()).toEqual(['cpu', 'memory', 'services']);
  });
});
