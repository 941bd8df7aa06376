import { crashRows, host, sendAgentCrash, sendProfile } from '../support/crash-hardware-fixtures';
import { startTestHub, TestHub } from '../support/test-hub';

const DAY = 86_400_000;
const ADMIN_TOKEN = 'admin-token-of-the-crash-hardware-index-suite';

/**
 * crash_report rows whose crash_hardware copy differs: missing on either side, another candidate,
 * host or time, or attribute ids that do not decode to the report's hardware_attrs.
 */
async function copyDrift(hub: TestHub): Promise<unknown[]> {
  return hub.db.query(
    `SELECT r.id AS report, h.report_id AS copy
       FROM crash_report r
       FULL JOIN (SELECT h.*, ARRAY(SELECT k.key FROM unnest(h.attr_ids) i JOIN hardware_attribute k ON k.id = i ORDER BY 1) AS keys
                    FROM crash_hardware h) h ON h.report_id = r.id
      WHERE r.id IS NULL OR h.report_id IS NULL
         OR r.candidate_id <> h.candidate_id OR r.host_key IS DISTINCT FROM h.host_key OR r.crashed_at <> h.crashed_at
         OR ARRAY(SELECT DISTINCT a FROM unnest(r.hardware_attrs) a ORDER BY 1) <> h.keys`,
  );
}

/** candidate_host rows whose attr_ids are not the union over the host's crashes in the candidate (or missing, or extra). */
async function hostDrift(hub: TestHub): Promise<unknown[]> {
  return hub.db.query(
    `SELECT ch.candidate_id, ch.host_key, e.candidate_id AS expected
       FROM candidate_host ch
       FULL JOIN (SELECT h.candidate_id, h.host_key, COALESCE(array_agg(DISTINCT i ORDER BY i) FILTER (WHERE i IS NOT NULL), '{}') AS ids
                    FROM crash_hardware h LEFT JOIN LATERAL unnest(h.attr_ids) i ON true
                   WHERE h.host_key IS NOT NULL GROUP BY 1, 2) e
         ON e.candidate_id = ch.candidate_id AND e.host_key = ch.host_key
      WHERE ch.candidate_id IS NULL OR e.candidate_id IS NULL OR ch.attr_ids <> e.ids`,
  );
}

/** Both copies agree with what they are copied from. */
async function expectNoDrift(hub: TestHub): Promise<void> {
  expect(await copyDrift(hub)).toEqual([]);
  expect(await hostDrift(hub)).toEqual([]);
}

const copies = async (hub: TestHub): Promise<number> => (await hub.db.query('SELECT count(*)::int AS n FROM crash_hardware'))[0].n;

describe('crash_hardware and candidate_host.attr_ids, the hardware views\' copies of crash_report', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('crashhw-index', { ADMIN_TOKEN });
  });
  afterAll(() => hub.close());

  it('stay equal to crash_report through insert, relink, merge, split and erasure', async () => {
    const now = Date.now();
    const intel = host('intel', { cpu: { vendor: 'GenuineIntel', model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', logicalCpus: 40 }, memoryMiB: 64_300, disks: ['ssd'], cgroup: 'v2' });
    const amd = host('amd', { cpu: { vendor: 'AuthenticAMD', model: 'AMD EPYC 7443 24-Core Processor', logicalCpus: 96 }, memoryMiB: 257_400, disks: ['nvme'], cgroup: 'v2' });

    // Insert: a crash from a host the hub knows nothing about yet carries only what it says itself.
    const early = await sendAgentCrash(hub, { hostId: amd.hostId, tag: 'alpha', crashedAt: new Date(now - 3 * DAY) });
    expect((await crashRows(hub, [early])).get(early)!.hardware_attrs).toEqual(['origin=field']);
    await expectNoDrift(hub);

    // Relink: the host's first profile gives the early crash its hardware.
    await sendProfile(hub, amd, new Date(now - 2 * DAY));
    await sendProfile(hub, intel, new Date(now - 2 * DAY));
    expect((await crashRows(hub, [early])).get(early)!.hardware_attrs).toContain('cpu.vendor=AMD');
    await expectNoDrift(hub);

    // Relink that takes values away: a crash made under one profile falls in the time of the host's next,
    // reported later; its host's attributes in the candidate lose the first CPU.
    const swap = host('swap', { cpu: { vendor: 'GenuineIntel', model: 'Intel(R) Xeon(R) E-2236 CPU @ 3.40GHz', logicalCpus: 12 }, memoryMiB: 32_000, disks: ['hdd'], cgroup: 'v1' });
    await sendProfile(hub, swap, new Date(now - 3 * DAY));
    const swapped = await sendAgentCrash(hub, { hostId: swap.hostId, tag: 'gamma', crashedAt: new Date(now - DAY) });
    expect((await crashRows(hub, [swapped])).get(swapped)!.hardware_attrs).toContain('cpu.vendor=Intel');
    await sendProfile(hub, { ...swap, cpu: { vendor: 'AuthenticAMD', model: 'AMD EPYC 7443 24-Core Processor', logicalCpus: 96 } }, new Date(now - 2 * DAY), 2);
    const relinked = (await crashRows(hub, [swapped])).get(swapped)!.hardware_attrs;
    expect(relinked).toContain('cpu.vendor=AMD');
    expect(relinked).not.toContain('cpu.vendor=Intel');
    await expectNoDrift(hub);

    const alpha = await sendAgentCrash(hub, { hostId: intel.hostId, tag: 'alpha', crashedAt: new Date(now - DAY) });
    const beta = await sendAgentCrash(hub, { hostId: intel.hostId, tag: 'beta', crashedAt: new Date(now - DAY) });
    const betaOnAmd = await sendAgentCrash(hub, { hostId: amd.hostId, tag: 'beta', crashedAt: new Date(now - DAY) });
    const rows = await crashRows(hub, [alpha, beta, betaOnAmd]);
    const [a, b] = [rows.get(alpha)!.candidate_id, rows.get(beta)!.candidate_id];
    expect(a).not.toBe(b);
    await expectNoDrift(hub);

    await hub.as('qa').post(`/api/v1/candidates/${a}/merge`).send({ sourceId: b }).expect(200);
    expect((await crashRows(hub, [beta])).get(beta)!.candidate_id).toBe(a);
    await expectNoDrift(hub);

    const split = await hub.as('qa').post(`/api/v1/candidates/${a}/split`).send({ reportId: beta }).expect(200);
    expect((await crashRows(hub, [beta, betaOnAmd])).get(betaOnAmd)!.candidate_id).toBe(split.body.id);
    await expectNoDrift(hub);
    expect(await copies(hub)).toBe(5);

    // Hardware filters read the copy: only the AMD hosts' crashes match (the swapped one since its relink).
    const amdOnly = await hub.as('viewer').get('/api/v1/candidates').query({ cpuVendor: 'AMD' }).expect(200);
    const gamma = (await crashRows(hub, [swapped])).get(swapped)!.candidate_id;
    expect(new Map(amdOnly.body.items.map((c: { id: string; matchedReports: number }) => [c.id, c.matchedReports]))).toEqual(
      new Map([[a, 1], [split.body.id, 1], [gamma, 1]]),
    );

    await hub.http.delete(`/api/v1/hosts/${amd.hostId}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    await expectNoDrift(hub);
    expect(await copies(hub)).toBe(3);
  });
});
