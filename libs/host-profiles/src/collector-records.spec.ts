import type { CollectorStatus, ManifestCollectorEntry, ReportManifest } from '../../contracts/src/cep';
import { readCollectorRecords } from './collector-records';

const COLLECTED_AT = '2024-05-02T10:15:00.000Z';

const CPU = {
  vendor: 'GenuineIntel',
  model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
  logicalCpus: 80,
  sockets: 2,
  coresPerSocket: 20,
  virtualizationFlags: ['vmx'],
  hypervisorFlag: false,
};
const MEMORY = { totalMiB: 385_614, availableMiB: 201_220, availableEstimated: false, usedPercent: 47.8, swapTotalMiB: 8191, swapUsedPercent: 0.2 };
const VM_GUESTS = { total: 2, byState: { running: 1, stopped: 1 }, guestOs: { 'win-2019': 1, centos7: 1 }, guestToolsInstalled: 1 };

interface Member {
  name: string;
  version?: number;
  status?: CollectorStatus;
  reason?: string;
  /** What goes into the tarball member; a string is written as is, undefined leaves the member out. */
  content?: unknown;
  data?: unknown;
}

function report(members: Member[]): { manifest: ReportManifest; files: Map<string, Buffer> } {
  const files = new Map<string, Buffer>();
  const collectors: ManifestCollectorEntry[] = members.map((m) => {
    const version = m.version ?? 1;
    const status = m.status ?? 'ok';
    const file = `${m.name}.json`;
    const content = 'content' in m ? m.content : { name: m.name, version, status, data: status === 'ok' ? m.data : null };
    if (content !== undefined) files.set(file, Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)));
    return { name: m.name, version, status, durationMs: 12, collectedAt: COLLECTED_AT, file, ...(m.reason ? { reason: m.reason } : {}) };
  });
  const manifest: ReportManifest = {
    schemaVersion: 1,
    agentVersion: '1.4.0',
    hostId: '6f1c2a9e-4d3b-4c1e-9a2f-0b7e5d8c1a23',
    reportId: '0d8f7a61-2b4c-4e59-8a1d-3c6b9e2f4a10',
    createdAt: COLLECTED_AT,
    collectors,
  };
  return { manifest, files };
}

const read = (members: Member[]) => {
  const { manifest, files } = report(members);
  return readCollectorRecords(manifest, files);
};

describe('readCollectorRecords', () => {
  it('validates built-in collectors with the hub schema and keeps manifest facts', () => {
    const [cpu, memory] = read([
      { name: 'cpu', data: CPU },
      { name: 'memory', data: MEMORY },
    ]);
    expect(cpu).toEqual({ name: 'cpu', version: 1, agentStatus: 'ok', collectedAt: COLLECTED_AT, outcome: 'valid', data: CPU });
    expect(memory).toMatchObject({ name: 'memory', outcome: 'valid', data: MEMORY });
    expect(cpu).not.toHaveProperty('reason');
  });

  it('returns one record per manifest entry, in manifest order', () => {
    const records = read([
      { name: 'vm-guests', data: VM_GUESTS },
      { name: 'cpu', data: CPU },
      { name: 'services', status: 'not-available', reason: 'systemctl missing' },
    ]);
    expect(records.map((r) => r.name)).toEqual(['vm-guests', 'cpu', 'services']);
  });

  it('rejects an invalid collector alone, naming the field, while the others stay valid', () => {
    const records = read([
      { name: 'cpu', data: { ...CPU, logicalCpus: -4 } },
      { name: 'memory', data: MEMORY },
      { name: 'vm-guests', data: VM_GUESTS },
    ]);
    expect(records.map((r) => r.outcome)).toEqual(['invalid', 'valid', 'valid']);
    expect(records[0].reason).toMatch(/^cpu v1: logicalCpus: /);
    expect(records[0].data).toEqual({ ...CPU, logicalCpus: -4 });
  });

  it('names nested fields and fields the strict schema does not allow', () => {
    const [record] = read([{ name: 'vm-guests', data: { ...VM_GUESTS, byState: { running: 'one' }, hostname: 'node1.example.com' } }]);
    expect(record.outcome).toBe('invalid');
    expect(record.reason).toContain('byState.running');
    expect(record.reason).toContain('hostname');
  });

  it('a member missing from the tarball is invalid', () => {
    const [cpu, memory] = read([{ name: 'cpu', content: undefined }, { name: 'memory', data: MEMORY }]);
    expect(cpu).toMatchObject({ outcome: 'invalid', reason: 'file cpu.json missing', data: null });
    expect(memory.outcome).toBe('valid');
  });

  it('a member that is not JSON is invalid and does not throw', () => {
    const [record] = read([{ name: 'cpu', content: '{"name": "cpu", "version": 1,' }]);
    expect(record.outcome).toBe('invalid');
    expect(record.reason).toMatch(/^file cpu\.json is not JSON: /);
    expect(record.data).toBeNull();
  });

  it('a member that is not a collector file is invalid, with the field named and the data as sent', () => {
    const [extra] = read([{ name: 'cpu', content: { name: 'cpu', version: 1, status: 'ok', data: CPU, host: 'x' } }]);
    expect(extra.outcome).toBe('invalid');
    expect(extra.reason).toMatch(/^file cpu\.json: .*host/);
    expect(extra.data).toEqual(CPU);
    const [noStatus] = read([{ name: 'cpu', content: { name: 'cpu', version: 1, data: CPU } }]);
    expect(noStatus.reason).toMatch(/^file cpu\.json: status: /);
    const [scalar] = read([{ name: 'cpu', content: 'null' }]);
    expect(scalar).toMatchObject({ outcome: 'invalid', data: null });
  });

  it.each([
    ['name', { name: 'memory', version: 1, status: 'ok', data: CPU }, /name "memory" disagrees with the manifest's "cpu"/],
    ['version', { name: 'cpu', version: 2, status: 'ok', data: CPU }, /version 2 disagrees with the manifest's 1/],
    ['status', { name: 'cpu', version: 1, status: 'failed', data: null }, /status "failed" disagrees with the manifest's "ok"/],
  ])('a member whose %s disagrees with the manifest is invalid', (_field, content, reason) => {
    const [record] = read([{ name: 'cpu', content }]);
    expect(record.outcome).toBe('invalid');
    expect(record.reason).toMatch(reason);
  });

  it('collectors the agent could not run are not collected, with the agent reason or the status', () => {
    const [withReason, withoutReason] = read([
      { name: 'vm-guests', status: 'not-available', reason: 'prlctl not installed' },
      { name: 'clusters', status: 'timed-out' },
    ]);
    expect(withReason).toMatchObject({ outcome: 'not-collected', agentStatus: 'not-available', reason: 'prlctl not installed', data: null });
    expect(withoutReason).toMatchObject({ outcome: 'not-collected', agentStatus: 'timed-out', reason: 'timed-out', data: null });
  });

  it('external scripts are untrusted, their data kept as sent', () => {
    const data = { raidController: 'MegaRAID SAS 9361-8i', batteryOk: true };
    const [record] = read([{ name: 'script.raid-health.sh', version: 0, data }]);
    expect(record).toMatchObject({ name: 'script.raid-health.sh', version: 0, outcome: 'untrusted', reason: 'external script', data });
  });

  it('a failed external script is not collected', () => {
    const [record] = read([{ name: 'script.raid-health.sh', version: 0, status: 'rejected', reason: 'output is not JSON' }]);
    expect(record).toMatchObject({ outcome: 'not-collected', reason: 'output is not JSON' });
  });

  it('a built-in collector of a version the hub does not know is untrusted, not validated', () => {
    const data = { ...CPU, microcode: '0x5003604' };
    const [record] = read([{ name: 'cpu', version: 2, data }]);
    expect(record).toMatchObject({ outcome: 'untrusted', reason: 'version 2 not known (hub knows 1)', data });
  });

  it('unknown collector names are untrusted, prototype names included', () => {
    const [gpu, proto] = read([
      { name: 'gpu', data: { count: 2 } },
      { name: 'constructor', data: {} },
    ]);
    expect(gpu).toMatchObject({ outcome: 'untrusted', reason: 'unknown collector', data: { count: 2 } });
    expect(proto).toMatchObject({ outcome: 'untrusted', reason: 'unknown collector' });
  });

  it('a built-in collector with ok status but null data is invalid', () => {
    const [record] = read([{ name: 'memory', content: { name: 'memory', version: 1, status: 'ok', data: null } }]);
    expect(record.outcome).toBe('invalid');
    expect(record.reason).toMatch(/^memory v1: \(root\): /);
  });

  it('an empty manifest gives no records', () => {
    expect(read([])).toEqual([]);
  });
});
