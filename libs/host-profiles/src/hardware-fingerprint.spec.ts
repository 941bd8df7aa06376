import { cloneSignals, hardwareFingerprint } from './hardware-fingerprint';
import type { HostProfile } from './host-profile';

const NODE: HostProfile = {
  cpu: { vendor: 'Intel', model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', sockets: 2, coresPerSocket: 20, logicalCpus: 80 },
  memory: { sizeBucket: '256-512GiB' },
  disks: { count: 3, kinds: { nvme: 1, hdd: 2 }, models: { 'INTEL SSDPE2KX040T8': 1, 'ST4000NM0033-9ZM': 2 }, sizeBuckets: { '1-2TiB': 1, '2-4TiB': 2 } },
  system: { vendor: 'Dell Inc.', product: 'PowerEdge R740', virtualizationRole: 'host', virtualizationSystem: 'openvz', virtuozzoHost: true },
  software: { product: 'Virtuozzo', productVersion: '7.5.1 (17)', os: 'virtuozzo 7', kernel: '3.10.0-1160.80.1.vz7.191.4', arch: 'x86_64', readyKernelPatch: null },
  vms: { total: 3, guestOs: { centos7: 3 } },
  services: { enabled: ['sshd', 'vz'] },
};

describe('hardwareFingerprint', () => {
  const base = hardwareFingerprint(NODE);

  it('is a sha256 hex', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is null when no hardware is known', () => {
    expect(hardwareFingerprint({})).toBeNull();
    expect(hardwareFingerprint({ software: NODE.software, vms: NODE.vms, services: NODE.services })).toBeNull();
  });

  it('exists with any one hardware section', () => {
    for (const section of ['cpu', 'memory', 'disks', 'system'] as const) expect(hardwareFingerprint({ [section]: NODE[section] })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores what the host runs and how it is configured', () => {
    expect(hardwareFingerprint({ ...NODE, software: { ...NODE.software!, kernel: '3.10.0-1160.90.1.vz7.200.1' }, vms: { total: 9, guestOs: {} }, services: { enabled: [] } })).toBe(base);
    expect(hardwareFingerprint({ ...NODE, cpu: { ...NODE.cpu!, vendor: 'GenuineIntel', coresPerSocket: 10 } })).toBe(base);
    expect(hardwareFingerprint({ ...NODE, system: { ...NODE.system!, virtuozzoHost: false, virtualizationRole: 'none' } })).toBe(base);
  });

  it('does not depend on histogram key order', () => {
    const disks = { count: 3, kinds: { hdd: 2, nvme: 1 }, models: { 'ST4000NM0033-9ZM': 2, 'INTEL SSDPE2KX040T8': 1 }, sizeBuckets: { '2-4TiB': 2, '1-2TiB': 1 } };
    expect(hardwareFingerprint({ ...NODE, disks })).toBe(base);
  });

  it.each<[string, HostProfile]>([
    ['CPU model', { ...NODE, cpu: { ...NODE.cpu!, model: 'Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz' } }],
    ['logical CPUs', { ...NODE, cpu: { ...NODE.cpu!, logicalCpus: 40 } }],
    ['sockets', { ...NODE, cpu: { ...NODE.cpu!, sockets: 1 } }],
    ['memory bucket', { ...NODE, memory: { sizeBucket: '512GiB-1TiB' } }],
    ['system vendor', { ...NODE, system: { ...NODE.system!, vendor: 'HPE' } }],
    ['system product', { ...NODE, system: { ...NODE.system!, product: 'PowerEdge R750' } }],
    ['a disk model', { ...NODE, disks: { ...NODE.disks!, models: { 'INTEL SSDPE2KX040T8': 1, 'ST8000NM000A': 2 } } }],
    ['a disk size', { ...NODE, disks: { ...NODE.disks!, sizeBuckets: { '1-2TiB': 1, '4-8TiB': 2 } } }],
    ['a missing section', { ...NODE, memory: undefined }],
  ])('changes with the %s', (_what, changed) => {
    expect(hardwareFingerprint(changed)).not.toBe(base);
  });
});

describe('cloneSignals', () => {
  const [A, B, C] = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)];

  it('no signal for a first profile or an unchanged machine', () => {
    expect(cloneSignals({ history: [], next: A })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A], next: A })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A, A, A], next: A })).toEqual({ reasons: [] });
  });

  it('an upgrade A→B is not a clone, nor are further upgrades', () => {
    expect(cloneSignals({ history: [A], next: B })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A, B], next: C })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A, B], next: B })).toEqual({ reasons: [] });
  });

  it('A→B→A is two machines behind one id', () => {
    expect(cloneSignals({ history: [A, B], next: A })).toEqual({ reasons: ['hardware alternates between fingerprints'] });
    expect(cloneSignals({ history: [A, B, C], next: A }).reasons).toEqual(['hardware alternates between fingerprints']);
  });

  it('profile versions without hardware data do not count', () => {
    expect(cloneSignals({ history: [A, null], next: A })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [null, A], next: B })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A, B, null], next: A }).reasons).toEqual(['hardware alternates between fingerprints']);
    expect(cloneSignals({ history: [A, B], next: null })).toEqual({ reasons: [] });
  });

  it('a report sequence seen before', () => {
    expect(cloneSignals({ history: [A], next: A, sequence: 17, sequencesSeen: [15, 16, 17] })).toEqual({ reasons: ['report sequence 17 seen twice'] });
    expect(cloneSignals({ history: [A], next: A, sequence: 18, sequencesSeen: [15, 16, 17] })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A], next: A, sequence: 18 })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A], next: A, sequencesSeen: [1] })).toEqual({ reasons: [] });
  });

  it('a report whose erasure key differs from the host\'s first one', () => {
    const [k1, k2] = ['1'.repeat(64), '2'.repeat(64)];
    expect(cloneSignals({ history: [A], next: A, keyHash: k2, hostKeyHash: k1 }).reasons).toEqual(["erasure key differs from the host's"]);
    expect(cloneSignals({ history: [A], next: A, keyHash: k1, hostKeyHash: k1 })).toEqual({ reasons: [] });
    // Older agents send no key; a host without one has nothing to differ from.
    expect(cloneSignals({ history: [A], next: A, keyHash: undefined, hostKeyHash: k1 })).toEqual({ reasons: [] });
    expect(cloneSignals({ history: [A], next: A, keyHash: k2, hostKeyHash: null })).toEqual({ reasons: [] });
  });

  it('reports every signal', () => {
    expect(cloneSignals({ history: [A, B], next: A, sequence: 3, sequencesSeen: [3] }).reasons).toEqual([
      'hardware alternates between fingerprints',
      'report sequence 3 seen twice',
    ]);
  });
});
