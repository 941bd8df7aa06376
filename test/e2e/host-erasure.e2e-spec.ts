import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cepReport } from '../support/cep-report';
import { byteaContents, dumpDatabase } from '../support/database-scan';
import { problemDirArchive } from '../support/problem-dir-archive';
import { pythonTraceback, pythonUReport } from '../support/python-crash';
import { agentInstallation } from '../support/agent-config';
import { startTestHub, TestHub } from '../support/test-hub';
import { aggregateMismatches } from '../support/aggregate-recount';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'agent', 'src', 'cli', 'cep-agent.js');
const ADMIN_TOKEN = 'admin-token-of-the-erasure-suite';
// A small k so the stats endpoints publish real cells for a fleet of seven.
const HUB_ENV = { TRUSTED_PROXIES: '127.0.0.1,::1', STATS_MIN_HOSTS: '2', ADMIN_TOKEN, LIVE_WINDOW_DAYS: '14' };
const LIVE_WINDOW_DAYS = Number(HUB_ENV.LIVE_WINDOW_DAYS);
const DAY_MS = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** Every table that holds rows about one host, and how its rows name the host. */
const HOST_ROWS: Record<string, string> = {
  raw_report: 'host_id = $1',
  crash_report: 'host_id = $1',
  candidate_host: `host_key = 'host:' || $1`,
  cep_report: 'host_id = $1',
  host_collector_record: 'host_id = $1',
  host_activity_day: 'host_id = $1',
  host_profile: 'host_id = $1',
  host: 'id = $1',
};

/** `attribute=value` keys on the host's crashes and on no other crash: what erasure must prune from the dictionary. */
async function hostOnlyKeys(hub: TestHub, hostId: string): Promise<string[]> {
  const keys = async (where: string) =>
    new Set<string>((await hub.db.query(`SELECT DISTINCT unnest(hardware_attrs) AS k FROM crash_report WHERE ${where}`, [hostId])).map((r: { k: string }) => r.k));
  const others = await keys('host_id IS DISTINCT FROM $1');
  return [...(await keys('host_id = $1'))].filter((k) => !others.has(k)).sort();
}

const dictionary = async (hub: TestHub): Promise<string[]> =>
  (await hub.db.query('SELECT key FROM hardware_attribute ORDER BY key')).map((r: { key: string }) => r.key);

async function hostRows(hub: TestHub, hostId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, where] of Object.entries(HOST_ROWS)) {
    counts[table] = (await hub.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [hostId]))[0].n;
  }
  return counts;
}

const cpu = (vendor: string, model: string, logicalCpus: number) => ({
  vendor,
  model,
  logicalCpus,
  sockets: 2,
  coresPerSocket: logicalCpus / 4,
  virtualizationFlags: [vendor === 'GenuineIntel' ? 'vmx' : 'svm'],
  hypervisorFlag: false,
});
const memory = (totalMiB: number) => ({ totalMiB, availableMiB: totalMiB / 2, availableEstimated: false, usedPercent: 50, swapTotalMiB: 4096, swapUsedPercent: 1 });
const disks = (kind: 'ssd' | 'hdd' | 'nvme', count: number) => ({
  disks: Array.from({ length: count }, () => ({ kind, vendor: 'ATA', model: `${kind.toUpperCase()} 1T`, sizeBucket: '512GiB-1TiB' as const, removable: false })),
  mdRaidLevels: {},
});
const INTEL = { cpu: cpu('GenuineIntel', 'Intel(R) Xeon(R) Gold 6230', 16), memory: memory(65536), disks: disks('ssd', 2) };
const AMD = { cpu: cpu('AuthenticAMD', 'AMD EPYC 7402', 32), memory: memory(131072), disks: disks('nvme', 4) };
const SMALL = { cpu: cpu('GenuineIntel', 'Intel(R) Xeon(R) E-2236', 8), memory: memory(32768), disks: disks('hdd', 1) };

/** A board only H has: after its erasure the value must be gone from the whole database. */
const H_ONLY_BOARD = `Erasure-Board-${randomUUID().slice(0, 8)}`;
const H_HARDWARE = {
  systemVendor: 'Supermicro',
  productName: H_ONLY_BOARD,
  productFamily: null,
  biosVendor: 'American Megatrends Inc.',
  virtualization: { role: 'none', system: 'none', virtuozzoHost: false },
};

/** Names the fleet's hosts; H is the one to erase. Address = where its reports come from (none: loopback). */
const FLEET: Array<{ name: string; address?: string; reports: Array<{ daysAgo: number; collectors: Record<string, unknown> }> }> = [
  // H's hardware changes midway, so it has two profile versions to erase.
  {
    name: 'H',
    address: '193.0.6.139',
    reports: [INTEL, INTEL, AMD, AMD].map((collectors, i) => ({ daysAgo: [6, 4, 2, 0][i], collectors: { ...collectors, hardware: H_HARDWARE } })),
  },
  { name: 'A', address: '8.8.8.8', reports: [6, 5, 3, 1, 0].map((daysAgo) => ({ daysAgo, collectors: INTEL })) },
  { name: 'B', address: '8.8.8.8', reports: [5, 2].map((daysAgo) => ({ daysAgo, collectors: AMD })) },
  // C's first report is older than the live window.
  { name: 'C', address: '202.12.29.140', reports: [20, 6].map((daysAgo) => ({ daysAgo, collectors: SMALL })) },
  { name: 'D', address: '2001:4860:4860::8888', reports: [{ daysAgo: 3, collectors: INTEL }] },
  { name: 'E', address: '193.0.6.139', reports: [1, 0].map((daysAgo) => ({ daysAgo, collectors: SMALL })) },
  { name: 'F', reports: [{ daysAgo: 0, collectors: AMD }] },
];

/** Crash stacks: X and Y shared with other hosts, Z only H's, W only A's, V arrives as a problem directory. */
const STACKS: Record<string, string[]> = {
  X: ['load_config', 'run_command', 'main'],
  Y: ['open_socket', 'connect_backend', 'serve'],
  Z: ['migrate_ct', 'copy_ploop', 'worker_loop'],
  W: ['render_table', 'print_list', 'cli'],
  V: ['parse_vzconf', 'read_settings', 'startup'],
};
const CRASHES: Array<{ host: string | null; stack: string; daysAgo: number; occurrences?: number; door: 'agent' | 'archive' | 'faf' }> = [
  { host: 'H', stack: 'X', daysAgo: 5, door: 'agent' },
  { host: 'A', stack: 'X', daysAgo: 5, door: 'agent' },
  { host: 'B', stack: 'X', daysAgo: 2, door: 'agent' },
  { host: 'H', stack: 'X', daysAgo: 1, door: 'agent' },
  { host: null, stack: 'X', daysAgo: 0, door: 'faf' },
  { host: 'H', stack: 'Y', daysAgo: 3, door: 'agent' },
  { host: 'C', stack: 'Y', daysAgo: 3, door: 'agent' },
  { host: 'H', stack: 'Z', daysAgo: 2, occurrences: 3, door: 'agent' },
  { host: 'A', stack: 'W', daysAgo: 4, occurrences: 2, door: 'agent' },
  { host: 'H', stack: 'V', daysAgo: 2, door: 'archive' },
  { host: 'B', stack: 'V', daysAgo: 1, door: 'archive' },
];


interface Delivery {
  host: string | null;
  stack?: string;
  at: Date;
  /** Known up front, except for FAF uReports whose id the hub makes. */
  send(hub: TestHub): Promise<string>;
}

/**
 * Every report of the fleet, built once so both hubs get the same bytes, in the order they were made.
 * Times are an hour in the past at least, so no report is capped at its receipt time.
 */
async function buildFleet(base: number) {
  const hosts = new Map(FLEET.map((h) => [h.name, { id: randomUUID(), key: `erasure-key-${h.name}-${randomUUID()}`, address: h.address }]));
  const at = (daysAgo: number, minute: number) => new Date(base - daysAgo * DAY_MS + minute * 60_000);
  const xff = (name: string | null): Record<string, string> => {
    const address = name ? hosts.get(name)!.address : undefined;
    return address ? { 'x-forwarded-for': address } : {};
  };
  const deliveries: Delivery[] = [];
  for (const spec of FLEET) {
    const host = hosts.get(spec.name)!;
    for (const [sequence, r] of spec.reports.entries()) {
      const report = await cepReport({ hostId: host.id, createdAt: at(r.daysAgo, 0), collectors: r.collectors, sequence: sequence + 1, erasureKey: host.key });
      deliveries.push({
        host: spec.name,
        at: at(r.daysAgo, 0),
        async send(hub) {
          await hub.http.post('/api/v1/cep-reports').set({ 'content-type': 'application/gzip', ...xff(spec.name) }).send(report.tarball).expect(202);
          return report.reportId;
        },
      });
    }
  }
  for (const [i, c] of CRASHES.entries()) {
    const crashedAt = at(c.daysAgo, 30 + i);
    const hostId = c.host ? hosts.get(c.host)!.id : undefined;
    const reportId = randomUUID();
    const send =
      c.door === 'agent'
        ? async (hub: TestHub) => {
            const body = { reportId, hostId, crashedAt: crashedAt.toISOString(), occurrences: c.occurrences ?? 1, ureport: pythonUReport(STACKS[c.stack]) };
            await hub.http.post('/api/v1/crash-reports').set(xff(c.host)).send(body).expect(202);
            return reportId;
          }
        : c.door === 'archive'
          ? async (hub: TestHub) => {
              const archive = problemDirArchive({
                type: 'Python3',
                component: 'vzpanel',
                executable: '/usr/bin/vzpanel',
                backtrace: pythonTraceback(STACKS[c.stack]),
                time: String(Math.floor(crashedAt.getTime() / 1000)),
              });
              await hub.http
                .post('/api/v1/crash-archives')
                .set({ 'content-type': 'application/gzip', 'x-report-id': reportId, ...(hostId ? { 'x-host-id': hostId } : {}), ...xff(c.host) })
                .send(archive)
                .expect(202);
              return reportId;
            }
          : async (hub: TestHub) => {
              const res = await hub.http.post('/reports/new/').send(pythonUReport(STACKS[c.stack])).expect(202);
              return (res.body.reported_to as Array<{ type: string; value: string }>).find((r) => r.type === 'url')!.value.split('/').pop()!;
            };
    deliveries.push({ host: c.host, stack: c.stack, at: crashedAt, send });
  }
  deliveries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { hosts, deliveries };
}

/** Sends one by one, each processed before the next, so both hubs see the same history. */
async function deliver(hub: TestHub, deliveries: Delivery[]): Promise<Map<Delivery, string>> {
  const ids = new Map<Delivery, string>();
  for (const d of deliveries) {
    const id = await d.send(hub);
    await expect(hub.settled(id)).resolves.toEqual({ status: 'processed', reject_reason: null });
    ids.set(d, id);
  }
  return ids;
}

const rollupOf = (hub: TestHub) =>
  hub.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, attribute, value, hosts, objects::float8 AS objects FROM fleet_daily_rollup ORDER BY day, attribute, value`);

/** Every public statistics answer, by path. */
async function statsOf(hub: TestHub): Promise<Record<string, unknown>> {
  const summary = (await hub.http.get('/api/v1/stats').expect(200)).body;
  const paths = ['/api/v1/stats/live-servers?days=30', '/api/v1/stats/breakdowns', ...summary.breakdowns.map((b: { href: string }) => b.href)];
  const out: Record<string, unknown> = { '/api/v1/stats': summary };
  for (const path of paths) out[path] = (await hub.http.get(path).expect(200)).body;
  return out;
}

/** Candidate counters keyed by the exact signatures pointing at them (candidate ids differ between hubs). */
const countersBySignature = async (hub: TestHub) =>
  Object.fromEntries(
    (
      await hub.db.query(
        `SELECT s.exact_hash, c.report_count, c.host_count, c.occurrence_count FROM candidate_signature s
           JOIN bug_candidate c ON c.id = s.candidate_id WHERE c.report_count > 0`,
      )
    ).map((r: { exact_hash: string; report_count: number; host_count: number; occurrence_count: number }) => [r.exact_hash, [r.report_count, r.host_count, r.occurrence_count]]),
  );

describe('erasing a host from a fleet', () => {
  let hub: TestHub;
  /** Received the same reports, minus H's: what the hub should look like after H's erasure. */
  let twin: TestHub;
  let fleet: Awaited<ReturnType<typeof buildFleet>>;
  let ids: Map<Delivery, string>;
  let base: number;
  const H = () => fleet.hosts.get('H')!;

  beforeAll(async () => {
    hub = await startTestHub('erasure', HUB_ENV);
    twin = await startTestHub('erasure_twin', HUB_ENV);
    base = Date.now() - 3_600_000;
    fleet = await buildFleet(base);
    ids = await deliver(hub, fleet.deliveries);
    await deliver(twin, fleet.deliveries.filter((d) => d.host !== 'H'));
  });
  afterAll(async () => {
    await Promise.all([hub?.close(), twin?.close()]);
  });

  /** The erasure itself, done once whichever test needs it first; with what was there before. */
  let erasure:
    | Promise<{
        status: number;
        body: unknown;
        before: Record<string, number>;
        rollupBefore: unknown[];
        statsBefore: Record<string, unknown>;
        onlyH: string;
        hKeys: string[];
        dictionaryBefore: string[];
      }>
    | undefined;
  const eraseH = () =>
    (erasure ??= (async () => {
      const before = await hostRows(hub, H().id);
      const rollupBefore = await rollupOf(hub);
      const statsBefore = await statsOf(hub);
      const zReport = [...ids].find(([d]) => d.stack === 'Z')![1];
      const onlyH = (await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [zReport]))[0].candidate_id;
      const hKeys = await hostOnlyKeys(hub, H().id);
      const dictionaryBefore = await dictionary(hub);
      const res = await hub.http.delete(`/api/v1/hosts/${H().id}`).set('authorization', `Bearer ${H().key}`);
      return { status: res.status, body: res.body, before, rollupBefore, statsBefore, onlyH, hKeys, dictionaryBefore };
    })());

  it('erases every row about the host for its own erasure key, and refuses anyone else', async () => {
    const snapshot = await hub.snapshot();
    const url = `/api/v1/hosts/${H().id}`;
    await hub.http.delete(url).expect(401);
    await hub.http.delete(url).set('authorization', `Bearer ${fleet.hosts.get('A')!.key}`).expect(404);
    await hub.http.delete(url).set('authorization', 'Bearer not-the-key').expect(404);
    expect(await hub.snapshot()).toEqual(snapshot);
    const view = await hub.http.get(url).set('authorization', `Bearer ${H().key}`).expect(200);
    expect(view.body.host).toMatchObject({ reportCount: 4, country: 'NL' });
    expect(await dumpDatabase(hub.database.url)).toContain(H().id);

    // What H sent, counted from the inputs: the rows it must have left behind.
    const hCeps = FLEET.find((h) => h.name === 'H')!.reports;
    const hCrashes = CRASHES.filter((c) => c.host === 'H');
    const { status, body, before, hKeys, dictionaryBefore } = await eraseH();
    expect(hKeys).toContain(`system.model=${H_ONLY_BOARD}`);
    expect(before).toEqual({
      raw_report: hCeps.length + hCrashes.length,
      crash_report: hCrashes.length,
      candidate_host: new Set(hCrashes.map((c) => c.stack)).size,
      cep_report: hCeps.length,
      host_collector_record: Object.keys(INTEL).length + 1,
      host_activity_day: new Set(hCeps.map((r) => r.daysAgo)).size,
      host_profile: 2,
      host: 1,
    });
    expect(status).toBe(200);
    expect(body).toEqual({ hostId: H().id, erasedAt: expect.any(String), deleted: { ...before, hardware_attribute: hKeys.length } });
    expect(Object.values(await hostRows(hub, H().id)).every((n) => n === 0)).toBe(true);
    // The dictionary loses exactly the values only H's crashes had.
    expect(await dictionary(hub)).toEqual(dictionaryBefore.filter((k) => !hKeys.includes(k)));

    const dump = await dumpDatabase(hub.database.url);
    expect(dump).not.toContain(H().id);
    expect(dump).not.toContain(H_ONLY_BOARD);
    // Other hosts are still there, so the dump is the whole database.
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) expect(dump).toContain(fleet.hosts.get(name)!.id);
    for (const p of await byteaContents(hub.database.url)) expect(p.text).not.toContain(H().id);

    await hub.http.get(url).set('authorization', `Bearer ${H().key}`).expect(404);
    await hub.http.delete(url).set('authorization', `Bearer ${H().key}`).expect(404);
  });

  it('leaves the fleet rollup, candidate counters and statistics as if the host had never reported', async () => {
    const { status, rollupBefore, statsBefore, onlyH } = await eraseH();
    expect(status).toBe(200);

    const rollup = await rollupOf(hub);
    expect(rollup).not.toEqual(rollupBefore);
    expect(rollup).toEqual(await rollupOf(twin));

    // Counters are what the remaining crash reports add up to (zero for the candidate only H crashed into).
    const counters = await hub.db.query(
      `SELECT c.id, c.report_count, c.host_count, c.occurrence_count::int AS occurrence_count,
              count(r.id)::int AS reports, count(DISTINCT r.host_key)::int AS hosts, COALESCE(sum(r.occurrences), 0)::int AS occurrences
         FROM bug_candidate c LEFT JOIN crash_report r ON r.candidate_id = c.id GROUP BY c.id`,
    );
    expect(counters.length).toBe(Object.keys(STACKS).length);
    for (const c of counters) expect([c.report_count, c.host_count, c.occurrence_count]).toEqual([c.reports, c.hosts, c.occurrences]);
    expect(counters.find((c: { id: string }) => c.id === onlyH)).toMatchObject({ report_count: 0, host_count: 0, occurrence_count: 0 });
    expect(await countersBySignature(hub)).toEqual(await countersBySignature(twin));
    // And the console's pre-aggregated counts (day counts, hardware groups, over-representation) are a recount's.
    expect(await aggregateMismatches(hub.db)).toEqual([]);

    const stats = await statsOf(hub);
    expect(stats).toEqual(await statsOf(twin));
    // Live today: every host but H with a report inside the window ending today.
    const today = dayOf(new Date());
    const live = FLEET.filter(
      (h) => h.name !== 'H' && h.reports.some((r) => (Date.parse(today) - Date.parse(dayOf(new Date(base - r.daysAgo * DAY_MS)))) / DAY_MS < LIVE_WINDOW_DAYS),
    ).length;
    expect((stats['/api/v1/stats'] as { liveServers: number }).liveServers).toBe(live);
    expect((statsBefore['/api/v1/stats'] as { liveServers: number }).liveServers).toBe(live + 1);
  });

  it('the admin token can view and erase any host', async () => {
    const a = fleet.hosts.get('A')!;
    const url = `/api/v1/hosts/${a.id}`;
    const view = await hub.http.get(url).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(view.body.host.reportCount).toBe(FLEET.find((h) => h.name === 'A')!.reports.length);
    const before = await hostRows(hub, a.id);
    const aKeys = await hostOnlyKeys(hub, a.id);
    const res = await hub.http.delete(url).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(res.body).toEqual({ hostId: a.id, erasedAt: expect.any(String), deleted: { ...before, hardware_attribute: aKeys.length } });
    await hub.http.get(url).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(404);
    expect(await dumpDatabase(hub.database.url)).not.toContain(a.id);
  });
});

describe('cep-agent erase against the real hub', () => {
  let hub: TestHub;
  let dir: string;
  let configPath: string;
  const cli = (...args: string[]) => run(process.execPath, [CLI, '--config', configPath, ...args]);

  beforeAll(async () => {
    hub = await startTestHub('erasecli');
    ({ dir, configPath } = agentInstallation(hub.url, 'cep-agent-erase-'));
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('erases what the hub holds about the agent\'s host, verifies it, and starts afresh under a new id', async () => {
    const { stdout: sent } = await cli('send', '--only', 'cpu', '--only', 'memory');
    expect(sent).toMatch(/sent 1 report\(s\); 0 left in the spool/);
    const hostId = readFileSync(join(dir, 'state', 'host-id'), 'utf8').trim();
    const [cep] = await hub.db.query(`SELECT id FROM raw_report WHERE host_id = $1 AND kind = 'cep'`, [hostId]);
    await expect(hub.settled(cep.id)).resolves.toEqual({ status: 'processed', reject_reason: null });
    // A crash from the same host: erasure covers crash reports too.
    const crashId = randomUUID();
    await hub.http.post('/api/v1/crash-reports').send({ reportId: crashId, hostId, ureport: pythonUReport(STACKS.X) }).expect(202);
    await expect(hub.settled(crashId)).resolves.toEqual({ status: 'processed', reject_reason: null });
    const before = await hostRows(hub, hostId);
    expect(before).toMatchObject({ raw_report: 2, cep_report: 1, crash_report: 1, host: 1 });
    // The hub's only host: every hardware value of its crash is its own.
    const keys = await hostOnlyKeys(hub, hostId);
    expect(keys.length).toBeGreaterThan(0);

    const { stdout } = await cli('erase');
    const receipt = JSON.parse(/erasure receipt from the hub:\n([\s\S]*?\n\})\n/.exec(stdout)![1]);
    expect(receipt).toEqual({ hostId, erasedAt: expect.any(String), deleted: { ...before, hardware_attribute: keys.length } });
    expect(await dictionary(hub)).toEqual([]);
    expect(stdout).toContain(`verified: the hub holds nothing about host ${hostId}`);
    expect(Object.values(await hostRows(hub, hostId)).every((n) => n === 0)).toBe(true);
    expect(await dumpDatabase(hub.database.url)).not.toContain(hostId);

    const status = JSON.parse((await cli('status')).stdout);
    const newId = readFileSync(join(dir, 'state', 'host-id'), 'utf8').trim();
    expect(newId).not.toBe(hostId);
    expect(status.hostId).toBe(newId);
    expect(stdout).toContain(`new host id ${newId}`);
  });
});
