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

const copies = async (hub: TestHub): Promise<number> => (await hub.db.query('SELECT count(*)::int AS n FROM crash_hardware'))[0].n;

describe('crash_hardware, the hardware filters\' copy of crash_report', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('crashhw-index', { ADMIN_TOKEN });
  });
  afterAll(() => hub.close());

  it('stays equal to crash_report through insert, relink, merge, split and erasure', async () => {
    const now = Date.now();
    const intel = host('intel', { cpu: { vendor: 'GenuineIntel', model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', logicalCpus: 40 }, memoryMiB: 64_300, disks: ['ssd'], cgroup: 'v2' });
    const amd = host('amd', { cpu: { vendor: 'AuthenticAMD', model: 'AMD EPYC 7443 24-Core Processor', logicalCpus: 96 }, memoryMiB: 257_400, disks: ['nvme'], cgroup: 'v2' });

    // Insert: a crash from a host the hub knows nothing about yet carries only what it says itself.
    const early = await sendAgentCrash(hub, { hostId: amd.hostId, tag: 'alpha', crashedAt: new Date(now - 3 * DAY) });
    expect((await crashRows(hub, [early])).get(early)!.hardware_attrs).toEqual(['origin=field']);
    expect(await copyDrift(hub)).toEqual([]);

    // Relink: the host's first profile gives the early crash its hardware.
    await sendProfile(hub, amd, new Date(now - 2 * DAY));
    await sendProfile(hub, intel, new Date(now - 2 * DAY));
    expect((await crashRows(hub, [early])).get(early)!.hardware_attrs).toContain('cpu.vendor=AMD');
    expect(await copyDrift(hub)).toEqual([]);

    const alpha = await sendAgentCrash(hub, { hostId: intel.hostId, tag: 'alpha', crashedAt: new Date(now - DAY) });
    const beta = await sendAgentCrash(hub, { hostId: intel.hostId, tag: 'beta', crashedAt: new Date(now - DAY) });
    const betaOnAmd = await sendAgentCrash(hub, { hostId: amd.hostId, tag: 'beta', crashedAt: new Date(now - DAY) });
    const rows = await crashRows(hub, [alpha, beta, betaOnAmd]);
    const [a, b] = [rows.get(alpha)!.candidate_id, rows.get(beta)!.candidate_id];
    expect(a).not.toBe(b);
    expect(await copyDrift(hub)).toEqual([]);

    await hub.http.post(`/api/v1/candidates/${a}/merge`).send({ sourceId: b }).expect(200);
    expect((await crashRows(hub, [beta])).get(beta)!.candidate_id).toBe(a);
    expect(await copyDrift(hub)).toEqual([]);

    const split = await hub.http.post(`/api/v1/candidates/${a}/split`).send({ reportId: beta }).expect(200);
    expect((await crashRows(hub, [beta, betaOnAmd])).get(betaOnAmd)!.candidate_id).toBe(split.body.id);
    expect(await copyDrift(hub)).toEqual([]);
    expect(await copies(hub)).toBe(4);

    // Hardware filters read the copy: only the AMD host's crashes match.
    const amdOnly = await hub.http.get('/api/v1/candidates').query({ cpuVendor: 'AMD' }).expect(200);
    expect(new Map(amdOnly.body.items.map((c: { id: string; matchedReports: number }) => [c.id, c.matchedReports]))).toEqual(
      new Map([[a, 1], [split.body.id, 1]]),
    );

    await hub.http.delete(`/api/v1/hosts/${amd.hostId}`).set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(await copyDrift(hub)).toEqual([]);
    expect(await copies(hub)).toBe(2);
  });
});
