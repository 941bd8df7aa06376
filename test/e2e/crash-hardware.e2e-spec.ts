import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CandidateQuerySchema } from '../../libs/contracts/src';
import { PostgresCandidateSearch } from '../../libs/search/src';
import {
  attributeMap,
  Country,
  CPU_VENDOR_NAMES,
  crashRows,
  FIXTURES,
  host,
  HostSpec,
  memoryBucket,
  problemDirElements,
  RIG_LABELS,
  sendAgentCrash,
  sendProfile,
  SENDERS,
} from '../support/crash-hardware-fixtures';
import { FakeElasticsearch } from '../support/fake-elasticsearch';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

const DAY = 86_400_000;
const XEON_E5 = 'Intel(R) Xeon(R) CPU E5-2697 v4 @ 2.30GHz';
const XEON_GOLD = 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz';
const EPYC_7443 = 'AMD EPYC 7443 24-Core Processor';
const EPYC_9654 = 'AMD EPYC 9654 96-Core Processor';

interface ProfileRow {
  id: string;
  valid_from: Date;
  valid_to: Date | null;
  attributes: Record<string, number>;
}

const profilesOf = (hub: TestHub, hostId: string): Promise<ProfileRow[]> =>
  hub.db.query('SELECT id, valid_from, valid_to, attributes FROM host_profile WHERE host_id = $1 ORDER BY valid_from', [hostId]);

/** The attribute values a host's profile should give a crash, from what the host was planted with. */
function profileFacts(h: HostSpec): Record<string, string[]> {
  return {
    'cpu.vendor': [CPU_VENDOR_NAMES[h.cpu.vendor]],
    'cpu.model': [h.cpu.model],
    'memory.size': [memoryBucket(h.memoryMiB)],
    'disk.kind': [...new Set(h.disks)].sort(),
    'cgroup.version': [h.cgroup],
  };
}

describe('crashes linked to the host profile valid at crash time', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('crashhw-link');
  });
  afterAll(() => hub.close());

  it('links crashes before, between and after two profile versions to the version valid then, relinking on the upgrade', async () => {
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
    const [t0, t1, t2, t3, t4, t5] = [at(30), at(20), at(15), at(10), at(5), at(2)];
    const before = host('upgraded', { cpu: { vendor: 'GenuineIntel', model: XEON_E5, logicalCpus: 72 }, memoryMiB: 64_300, disks: ['ssd'], cgroup: 'v1' });
    const after: HostSpec = { ...before, cpu: { vendor: 'AuthenticAMD', model: EPYC_7443, logicalCpus: 96 }, memoryMiB: 257_400, disks: ['ssd', 'nvme'] };
    expect(memoryBucket(before.memoryMiB)).not.toBe(memoryBucket(after.memoryMiB));

    await sendProfile(hub, before, t1, 1);
    const crash = (crashedAt: Date) => sendAgentCrash(hub, { hostId: before.hostId, tag: 'upgrade', crashedAt });
    const c0 = await crash(t0);
    const c2 = await crash(t2);
    // Crashed after the upgrade, but reported before the host's report about it arrived.
    const c4 = await crash(t4);
    const [p1only] = await profilesOf(hub, before.hostId);
    for (const row of (await crashRows(hub, [c0, c2, c4])).values()) expect(row.host_profile_id).toBe(p1only.id);

    await sendProfile(hub, after, t3, 2);
    const c5 = await crash(t5);
    const profiles = await profilesOf(hub, before.hostId);
    expect(profiles.map((p) => [p.id, p.valid_from.getTime(), p.valid_to?.getTime() ?? null])).toEqual([
      [p1only.id, t1.getTime(), t3.getTime()],
      [expect.any(String), t3.getTime(), null],
    ]);
    const [p1, p2] = profiles;

    const rows = await crashRows(hub, [c0, c2, c4, c5]);
    const expected: Array<[string, ProfileRow, HostSpec, HostSpec]> = [
      [c0, p1, before, after], // older than any profile: the first version
      [c2, p1, before, after],
      [c4, p2, after, before], // relinked when the upgrade was reported
      [c5, p2, after, before],
    ];
    for (const [id, profile, spec, other] of expected) {
      const row = rows.get(id)!;
      expect({ id, profile: row.host_profile_id, host: row.host_id }).toEqual({ id, profile: profile.id, host: before.hostId });
      // The whole profile of that version, and the facts it was planted with.
      expect(row.hardware_attrs).toEqual(expect.arrayContaining(Object.keys(profile.attributes)));
      const attrs = attributeMap(row.hardware_attrs);
      for (const [attribute, values] of Object.entries(profileFacts(spec))) {
        expect({ id, attribute, values: [...(attrs.get(attribute) ?? [])].sort() }).toEqual({ id, attribute, values });
      }
      expect(row.hardware_attrs).not.toContain(`memory.size=${memoryBucket(other.memoryMiB)}`);
      expect(row.hardware_attrs).not.toContain(`cpu.model=${other.cpu.model}`);
      expect(row.hardware_attrs).toContain('origin=field');
    }
  });

  it('relinks a crash that arrived before its host ever sent a CEP report once that report is processed', async () => {
    const late = host('late', { cpu: { vendor: 'AuthenticAMD', model: EPYC_9654, logicalCpus: 192 }, memoryMiB: 515_000, disks: ['nvme'], cgroup: 'v2' });
    const crashedAt = new Date(Date.now() - 3 * DAY);
    const id = await sendAgentCrash(hub, { hostId: late.hostId, tag: 'early-bird', crashedAt });
    const early = (await crashRows(hub, [id])).get(id)!;
    // Nothing known about the host yet: only what the crash says about itself.
    expect(early).toMatchObject({ host_id: late.hostId, host_profile_id: null, hardware_attrs: ['origin=field'] });

    // The host's first report is from after the crash; the crash still takes its first version.
    await sendProfile(hub, late, new Date(Date.now() - DAY));
    const [profile] = await profilesOf(hub, late.hostId);
    const row = (await crashRows(hub, [id])).get(id)!;
    expect(row.host_profile_id).toBe(profile.id);
    expect(row.hardware_attrs).toEqual([...Object.keys(profile.attributes), 'origin=field'].sort());
    expect(row.hardware_attrs).toEqual(
      expect.arrayContaining(Object.entries(profileFacts(late)).flatMap(([a, values]) => values.map((v) => `${a}=${v}`))),
    );
  });
});

/** `Name : value` lines of lscpu or /proc/cpuinfo, first spelling that is present. */
const cpuField = (text: string, ...names: string[]) =>
  names.map((n) => text.split('\n').find((l) => l.split(':')[0].trim() === n)).find(Boolean)?.split(':').slice(1).join(':').trim();

describe('a host without CEP data', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('crashhw-bare');
  });
  afterAll(() => hub.close());

  it.each([
    ['lscpu output (current ABRT)', undefined],
    ['a /proc/cpuinfo copy (older ABRT)', 'upstream/facter/spec/fixtures/cpuinfo'],
  ])('still gets a partial profile from the cpuinfo and kernel of its problem directory: %s', async (_name, cpuinfoFile) => {
    const elements = problemDirElements('libreport/src/plugins/python/fixtures/sample_problem');
    if (cpuinfoFile) elements.cpuinfo = readFileSync(join(FIXTURES, cpuinfoFile), 'utf8');
    const hostId = randomUUID();
    const res = await hub.http
      .post('/api/v1/crash-archives')
      .set({ 'content-type': 'application/gzip', 'x-host-id': hostId })
      .send(problemDirArchive(elements))
      .expect(202);
    expect(await hub.settled(res.body.id)).toEqual({ status: 'processed', reject_reason: null });
    const row = (await crashRows(hub, [res.body.id])).get(res.body.id)!;
    expect(row).toMatchObject({ host_id: hostId, host_profile_id: null });

    // What the test reads from the files itself.
    const vendorId = cpuField(elements.cpuinfo, 'vendor_id', 'Vendor ID')!;
    const model = cpuField(elements.cpuinfo, 'model name', 'Model name')!.replace(/\s+/g, ' ');
    const cpus = elements.cpuinfo.match(/^processor\s*:/gm)?.length ?? Number(cpuField(elements.cpuinfo, 'CPU(s)'));
    const attrs = attributeMap(row.hardware_attrs);
    expect([...attrs.keys()].sort()).toEqual(['cpu.count', 'cpu.model', 'cpu.vendor', 'kernel', 'origin']);
    expect(Object.fromEntries([...attrs].filter(([a]) => a !== 'cpu.count').map(([a, v]) => [a, [...v]]))).toEqual({
      'cpu.vendor': [CPU_VENDOR_NAMES[vendorId]],
      'cpu.model': [model],
      kernel: [elements.kernel.trim()],
      origin: ['field'],
    });
    // Logical CPUs are bucketed: the bucket holds the count.
    const [bucket] = [...attrs.get('cpu.count')!];
    const [lo, hi = lo] = bucket.split('-').map(Number);
    expect(lo <= cpus && cpus <= hi).toBe(true);

    // Those facts are enough for the hardware filters.
    const found = await hub
      .as('viewer')
      .get('/api/v1/candidates')
      .query({ cpuVendor: CPU_VENDOR_NAMES[vendorId], cpuModel: model, hostKernel: elements.kernel.trim() })
      .expect(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([row.candidate_id]);
  });
});

// ---------- a planted fleet with crashes, for the hardware filters ----------

interface Planted {
  hosts: Record<string, HostSpec | { name: string; hostId: string }>;
  crashes: Array<{ tag: string; host: string; rig?: boolean; from?: Country; id?: string }>;
}

/**
 * Hosts of different CPU vendors and models, memory, disk kinds and countries; `late` sends its
 * first CEP report only after its crashes, `bare` never does. Crashes of six signatures on them,
 * some from test rigs, some sent from another country than their host's.
 */
function plantedFleet(): Planted {
  const hosts = {
    amdUs: host('amdUs', { cpu: { vendor: 'AuthenticAMD', model: EPYC_7443, logicalCpus: 48 }, memoryMiB: 257_400, disks: ['nvme', 'nvme'], cgroup: 'v2', country: 'US' }),
    amdNl: host('amdNl', { cpu: { vendor: 'AuthenticAMD', model: EPYC_7443, logicalCpus: 64 }, memoryMiB: 64_300, disks: ['ssd', 'hdd'], cgroup: 'v1', country: 'NL' }),
    intelAu: host('intelAu', { cpu: { vendor: 'GenuineIntel', model: XEON_GOLD, logicalCpus: 80 }, memoryMiB: 128_600, disks: ['hdd', 'hdd', 'hdd'], cgroup: 'v2', country: 'AU' }),
    intelUs: host('intelUs', { cpu: { vendor: 'GenuineIntel', model: XEON_E5, logicalCpus: 72 }, memoryMiB: 64_300, disks: ['ssd'], cgroup: 'v1', country: 'US' }),
    intelNl: host('intelNl', { cpu: { vendor: 'GenuineIntel', model: XEON_GOLD, logicalCpus: 80 }, memoryMiB: 257_400, disks: ['nvme', 'ssd'], cgroup: 'v2', country: 'NL' }),
    late: host('late', { cpu: { vendor: 'AuthenticAMD', model: EPYC_9654, logicalCpus: 192 }, memoryMiB: 515_000, disks: ['nvme'], cgroup: 'v2', country: 'AU' }),
    bare: { name: 'bare', hostId: randomUUID() },
  };
  const crashes: Planted['crashes'] = [
    { tag: 'alpha', host: 'amdUs' },
    { tag: 'alpha', host: 'amdUs' },
    { tag: 'alpha', host: 'amdNl', rig: true },
    { tag: 'alpha', host: 'intelAu' },
    { tag: 'bravo', host: 'intelUs' },
    { tag: 'bravo', host: 'intelNl', from: 'AU' },
    { tag: 'bravo', host: 'bare', from: 'US' },
    { tag: 'charlie', host: 'amdNl', rig: true },
    { tag: 'charlie', host: 'late' },
    { tag: 'charlie', host: 'intelAu', rig: true },
    { tag: 'delta', host: 'intelAu' },
    { tag: 'delta', host: 'intelUs', rig: true },
    { tag: 'delta', host: 'late' },
    { tag: 'delta', host: 'bare', rig: true },
    { tag: 'echo', host: 'late' },
    { tag: 'echo', host: 'late', from: 'NL' },
    { tag: 'foxtrot', host: 'bare', from: 'NL' },
  ];
  return { hosts, crashes };
}

const isProfiled = (h: Planted['hosts'][string]): h is HostSpec => 'cpu' in h;

/** Sends every profile but `late`'s, then every crash; returns candidate id → tag. */
async function plant(hub: TestHub, fleet: Planted): Promise<Map<string, string>> {
  const now = Date.now();
  for (const h of Object.values(fleet.hosts)) if (isProfiled(h) && h.name !== 'late') await sendProfile(hub, h, new Date(now - 2 * DAY));
  for (const [i, c] of fleet.crashes.entries()) {
    c.id = await sendAgentCrash(hub, {
      hostId: fleet.hosts[c.host].hostId,
      tag: c.tag,
      crashedAt: new Date(now - DAY + i * 60_000),
      labels: c.rig ? RIG_LABELS(`run-${c.tag}-${i}`) : undefined,
      from: c.from,
    });
  }
  const rows = await crashRows(hub, fleet.crashes.map((c) => c.id!));
  const byTag = new Map<string, Set<string>>();
  for (const c of fleet.crashes) byTag.set(c.tag, (byTag.get(c.tag) ?? new Set()).add(rows.get(c.id!)!.candidate_id));
  // One candidate per signature, a different one for each.
  expect([...byTag.values()].map((s) => s.size)).toEqual([...byTag.keys()].map(() => 1));
  const tagOf = new Map([...byTag].map(([tag, ids]) => [[...ids][0], tag]));
  expect(tagOf.size).toBe(byTag.size);
  return tagOf;
}

/** What the test expects a crash's host attributes to be, from the planted data alone. */
function plantedAttributes(fleet: Planted, c: Planted['crashes'][number], profiled: Set<string>): Map<string, Set<string>> {
  const h = fleet.hosts[c.host];
  const known = isProfiled(h) && profiled.has(h.name);
  const attrs = new Map<string, Set<string>>(known ? Object.entries(profileFacts(h)).map(([a, v]) => [a, new Set(v)]) : []);
  // The crash's own sender wins; otherwise the country its host reports from.
  const country = c.from ?? (known ? h.country : undefined);
  if (country) attrs.set('country', new Set([country]));
  attrs.set('origin', new Set([c.rig ? 'rig' : 'field']));
  return attrs;
}

/** The hardware parameters of GET /api/v1/candidates and the attribute each reads (README). */
const PARAM_ATTRIBUTES: Record<string, string> = {
  cpuVendor: 'cpu.vendor',
  cpuModel: 'cpu.model',
  diskKind: 'disk.kind',
  memory: 'memory.size',
  country: 'country',
  origin: 'origin',
};

type Query = Array<[string, string]>;

const QUERIES: Query[] = [
  [['cpuVendor', 'AMD']],
  [['cpuVendor', 'Intel']],
  [['cpuVendor', 'ARM']],
  [['cpuModel', XEON_GOLD]],
  [['diskKind', 'nvme']],
  [['diskKind', 'hdd,nvme']],
  [['memory', memoryBucket(64_300)]],
  [['memory', `${memoryBucket(128_600)},${memoryBucket(515_000)}`]],
  [['country', 'US']],
  [['country', 'NL,AU']],
  [['origin', 'rig']],
  [['origin', 'field']],
  [['attr', 'cgroup.version=v1']],
  [['cpuVendor', 'Intel'], ['diskKind', 'ssd']],
  [['cpuVendor', 'AMD'], ['origin', 'rig'], ['country', 'NL']],
  [['attr', 'cpu.vendor=AMD'], ['attr', 'disk.kind=hdd']],
  [['memory', memoryBucket(257_400)], ['attr', 'cgroup.version=v2'], ['origin', 'field']],
  [['cpuVendor', 'Intel'], ['attr', `cpu.model=${XEON_E5}`], ['country', 'US']],
];

/** Groups of alternatives per attribute; a crash matches when every group has one of its values. */
function filterGroups(query: Query): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [param, value] of query) {
    const [attribute, values] =
      param === 'attr' ? [value.slice(0, value.indexOf('=')), [value.slice(value.indexOf('=') + 1)]] : [PARAM_ATTRIBUTES[param], value.split(',')];
    groups.set(attribute, [...(groups.get(attribute) ?? []), ...values]);
  }
  return groups;
}

interface Hit {
  tag: string;
  matchedReports: number;
  matchedHosts: number;
}

function expectedHits(fleet: Planted, query: Query, profiled: Set<string>): Hit[] {
  const groups = filterGroups(query);
  const hits = new Map<string, { reports: number; hosts: Set<string> }>();
  for (const c of fleet.crashes) {
    const attrs = plantedAttributes(fleet, c, profiled);
    if (![...groups].every(([attribute, values]) => values.some((v) => attrs.get(attribute)?.has(v)))) continue;
    const hit = hits.get(c.tag) ?? { reports: 0, hosts: new Set<string>() };
    hit.reports++;
    hit.hosts.add(c.host);
    hits.set(c.tag, hit);
  }
  return [...hits].map(([tag, h]) => ({ tag, matchedReports: h.reports, matchedHosts: h.hosts.size })).sort((a, b) => a.tag.localeCompare(b.tag));
}

async function actualHits(hub: TestHub, tagOf: Map<string, string>, query: Query): Promise<Hit[]> {
  const qs = new URLSearchParams([...query, ['limit', '500']]);
  const res = await hub.as('viewer').get(`/api/v1/candidates?${qs}`).expect(200);
  expect(res.body.total).toBe(res.body.items.length);
  return res.body.items
    .map((c: { id: string; matchedReports: number; matchedHosts: number }) => ({
      tag: tagOf.get(c.id) ?? `unplanted ${c.id}`,
      matchedReports: c.matchedReports,
      matchedHosts: c.matchedHosts,
    }))
    .sort((a: Hit, b: Hit) => a.tag.localeCompare(b.tag));
}

const describeQuery = (q: Query) => q.map(([k, v]) => `${k}=${v}`).join('&');

describe('hardware filters on candidates (PostgreSQL)', () => {
  let hub: TestHub;
  const fleet = plantedFleet();
  let tagOf: Map<string, string>;
  beforeAll(async () => {
    // Reports reach the hub through a proxy on this machine that names the sender.
    hub = await startTestHub('crashhw-filter', { TRUSTED_PROXIES: '127.0.0.1' });
    tagOf = await plant(hub, fleet);
  });
  afterAll(() => hub.close());

  it('every filter and combination finds exactly the candidates with matching crashes, counting their distinct hosts', async () => {
    const profiled = new Set(Object.keys(fleet.hosts).filter((n) => n !== 'late'));
    // The planted data gives every filter but the ARM one something to find.
    expect(QUERIES.filter((q) => expectedHits(fleet, q, profiled).length === 0).map(describeQuery)).toEqual(['cpuVendor=ARM']);
    for (const query of QUERIES) {
      const label = describeQuery(query);
      expect({ label, hits: await actualHits(hub, tagOf, query) }).toEqual({ label, hits: expectedHits(fleet, query, profiled) });
    }

    // `late` reports at last: its crashes take its profile, and the filters see it.
    await sendProfile(hub, fleet.hosts.late as HostSpec, new Date());
    profiled.add('late');
    for (const query of QUERIES) {
      const label = describeQuery(query);
      expect({ label, hits: await actualHits(hub, tagOf, query) }).toEqual({ label, hits: expectedHits(fleet, query, profiled) });
    }
    // The sender countries the test relied on are the ones the hub saw.
    const [{ countries }] = await hub.db.query("SELECT array_agg(DISTINCT country ORDER BY country) AS countries FROM host WHERE country IS NOT NULL");
    expect(countries).toEqual(Object.keys(SENDERS).sort());
  });
});

describe('over-represented hardware of a candidate', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('crashhw-overrep');
  });
  afterAll(() => hub.close());

  it('ranks the one CPU model all crashing hosts share, rare in the fleet, first; a fleet-wide attribute ranks below', async () => {
    // 24 live hosts, alike but for CPU and memory; the E5 is a small share of the fleet.
    const models: Array<[HostSpec['cpu']['vendor'], string, number]> = [
      ['GenuineIntel', XEON_GOLD, 9],
      ['AuthenticAMD', EPYC_7443, 8],
      ['GenuineIntel', XEON_E5, 3],
      ['AuthenticAMD', EPYC_9654, 4],
    ];
    const fleet = models.flatMap(([vendor, model, n]) =>
      Array.from({ length: n }, (_, i) =>
        host(`${model}#${i}`, { cpu: { vendor, model, logicalCpus: 64 }, memoryMiB: i % 2 ? 64_300 : 128_600, disks: ['ssd', 'ssd'], cgroup: 'v2' }),
      ),
    );
    expect(fleet.length).toBeGreaterThanOrEqual(20);
    for (const h of fleet) await sendProfile(hub, h, new Date(Date.now() - 60_000));

    const e5 = fleet.filter((h) => h.cpu.model === XEON_E5);
    const crashedAt = new Date(Date.now() - 30_000);
    const planted: string[] = [];
    for (const h of [...e5, e5[0]]) planted.push(await sendAgentCrash(hub, { hostId: h.hostId, tag: 'e5only', crashedAt }));
    // Another signature on hosts of every model, so the planted one is not the only candidate.
    for (const h of fleet.filter((_, i) => i % 5 === 0)) await sendAgentCrash(hub, { hostId: h.hostId, tag: 'everywhere', crashedAt });

    const [{ candidate_id: x }] = await hub.db.query('SELECT DISTINCT candidate_id FROM crash_report WHERE id = ANY($1::uuid[])', [planted]);
    const view = await hub.as('viewer').get(`/api/v1/candidates/${x}/hardware`).expect(200);
    expect(view.body).toMatchObject({ candidateId: x, hosts: e5.length, fleet: { liveServers: fleet.length } });

    const fleetShare = e5.length / fleet.length;
    const [top] = view.body.rows;
    expect(top).toMatchObject({ attribute: 'cpu.model', value: XEON_E5, clusterHosts: e5.length, clusterShare: 1, fleetHosts: e5.length });
    expect(top.fleetShare).toBeCloseTo(fleetShare, 4);
    expect(top.difference).toBeCloseTo(1 - fleetShare, 4);

    const rows: Array<{ attribute: string; value: string; difference: number | null; fleetShare: number | null }> = view.body.rows;
    const cgroup = rows.findIndex((r) => r.attribute === 'cgroup.version');
    expect(rows[cgroup]).toMatchObject({ value: 'v2', clusterShare: 1, fleetShare: 1 });
    expect(rows[cgroup].difference).toBeCloseTo(0, 4);
    expect(cgroup).toBeGreaterThan(0);
    // The vendor is shared by the cluster too, but common in the fleet: second at most.
    const vendor = rows.find((r) => r.attribute === 'cpu.vendor' && r.value === 'Intel')!;
    const intelShare = fleet.filter((h) => h.cpu.vendor === 'GenuineIntel').length / fleet.length;
    expect(vendor.fleetShare).toBeCloseTo(intelShare, 4);
    expect(vendor.difference!).toBeLessThan(top.difference);
  });
});

/** The same query straight through the PostgreSQL backend, on the hub's own database. */
async function postgresHits(hub: TestHub, tagOf: Map<string, string>, query: Query): Promise<Hit[]> {
  const params: Record<string, string | string[]> = { limit: '500' };
  for (const [k, v] of query) params[k] = k in params ? [params[k], v].flat() : k === 'attr' ? [v] : v;
  const page = await new PostgresCandidateSearch(hub.db).search(CandidateQuerySchema.parse(params), new Date(Date.now() - 7 * DAY));
  expect(page.total).toBe(page.items.length);
  return page.items
    .map((c) => ({ tag: tagOf.get(c.id) ?? `unplanted ${c.id}`, matchedReports: c.matchedReports, matchedHosts: c.matchedHosts }))
    .sort((a, b) => a.tag.localeCompare(b.tag));
}

describe('hardware filters on the Elasticsearch backend', () => {
  let es: FakeElasticsearch;
  let hub: TestHub;
  const INDEX = 'hub-hw-test';
  const fleet = plantedFleet();
  let tagOf: Map<string, string>;

  beforeAll(async () => {
    es = await FakeElasticsearch.start();
    hub = await startTestHub('crashhw-es', { SEARCH_BACKEND: 'elasticsearch', ELASTICSEARCH_URL: es.url, ELASTICSEARCH_INDEX: INDEX, TRUSTED_PROXIES: '127.0.0.1' });
    tagOf = await plant(hub, fleet);
  });
  afterAll(async () => {
    await hub.close();
    await es.close();
  });

  /** Indexing follows each commit: waits until every crash's document carries its PostgreSQL attributes. */
  async function indexInSync(): Promise<Map<string, string[]>> {
    const ids = fleet.crashes.map((c) => c.id!);
    const rows = await crashRows(hub, ids);
    return waitFor(
      async () => {
        const docs = es.indices.get(es.aliases.get(INDEX) ?? INDEX)?.docs;
        const attrs = new Map(ids.map((id) => [id, (docs?.get(id)?.hardwareAttrs as string[] | undefined) ?? []]));
        return ids.every((id) => JSON.stringify(attrs.get(id)) === JSON.stringify(rows.get(id)!.hardware_attrs)) ? attrs : undefined;
      },
      20_000,
      'the search index to hold every crash with its hardware attributes',
    );
  }

  it('gives the same candidates as PostgreSQL for every filter, also after a late CEP report relinks crashes', async () => {
    const profiled = new Set(Object.keys(fleet.hosts).filter((n) => n !== 'late'));
    const compare = async () => {
      for (const query of QUERIES) {
        const label = describeQuery(query);
        const expected = expectedHits(fleet, query, profiled);
        expect({ label, es: await actualHits(hub, tagOf, query) }).toEqual({ label, es: expected });
        expect({ label, pg: await postgresHits(hub, tagOf, query) }).toEqual({ label, pg: expected });
      }
    };
    const lateCrashes = fleet.crashes.filter((c) => c.host === 'late').map((c) => c.id!);
    const beforeRelink = await indexInSync();
    for (const id of lateCrashes) expect(beforeRelink.get(id)!.some((a) => a.startsWith('cpu.vendor='))).toBe(false);
    await compare();
    // The API ranked from the index.
    expect(es.requests.some((r) => r.endsWith('/_search'))).toBe(true);

    await sendProfile(hub, fleet.hosts.late as HostSpec, new Date());
    profiled.add('late');
    // The relinked crashes' documents were written again with the host's attributes.
    const afterRelink = await indexInSync();
    for (const id of lateCrashes) expect(afterRelink.get(id)).toEqual(expect.arrayContaining(['cpu.vendor=AMD', `cpu.model=${EPYC_9654}`]));
    await compare();
  });
});
