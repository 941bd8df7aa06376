import { CEP_COLLECTOR_SCHEMAS, type BuiltinCollectorName } from '../../contracts/src/cep';
import {
  PROFILE_VOCABULARY,
  buildHostProfile,
  cpuCountBucket,
  diskCountBucket,
  latestValidData,
  memorySizeBucket,
  nicSpeedName,
  normalizeCpuVendor,
  profileDigest,
  type LatestCollectorData,
} from './host-profile';

/** A Virtuozzo 7 node as the agent reports it (shapes as in agent/src/collectors/collectors.spec.ts). */
function virtuozzoNode(): Required<LatestCollectorData> {
  return {
    hardware: {
      systemVendor: 'Dell Inc.',
      productName: 'PowerEdge R740',
      productFamily: 'PowerEdge',
      biosVendor: 'Dell Inc.',
      virtualization: { role: 'host', system: 'openvz', virtuozzoHost: true },
    },
    network: {
      nicCount: 4,
      nics: [
        { driver: 'ixgbe', speedMbps: 10000, operState: 'up' },
        { driver: 'ixgbe', speedMbps: 10000, operState: 'up' },
        { driver: 'tg3', speedMbps: 1000, operState: 'up' },
        { driver: 'tg3', speedMbps: null, operState: 'down' },
      ],
      bonds: [
        { mode: 'IEEE 802.3ad Dynamic link aggregation', slaveCount: 2, slaveSpeedsMbps: [10000, 10000], miiStatusUp: 2 },
        { mode: null, slaveCount: 2, slaveSpeedsMbps: [], miiStatusUp: 1 },
      ],
      teams: [{ runner: 'activebackup', portCount: 2 }],
      bridgeCount: 1,
    },
    memory: { totalMiB: 385_614, availableMiB: 201_220, availableEstimated: false, usedPercent: 47.8, swapTotalMiB: 8191, swapUsedPercent: 0.2 },
    cpu: {
      vendor: 'GenuineIntel',
      model: 'Intel(R) Xeon(R) Gold 6230 CPU   @ 2.10GHz',
      logicalCpus: 80,
      sockets: 2,
      coresPerSocket: 20,
      virtualizationFlags: ['vmx'],
      hypervisorFlag: false,
    },
    disks: {
      disks: [
        { kind: 'nvme', vendor: null, model: 'INTEL SSDPE2KX040T8', sizeBucket: '1-2TiB', removable: false },
        { kind: 'hdd', vendor: 'ATA', model: 'ST4000NM0033-9ZM', sizeBucket: '2-4TiB', removable: false },
        { kind: 'hdd', vendor: 'ATA', model: 'ST4000NM0033-9ZM', sizeBucket: '2-4TiB', removable: false },
        { kind: 'unknown', vendor: null, model: null, sizeBucket: '<64GiB', removable: false },
        { kind: 'ssd', vendor: 'Kingston', model: 'DataTraveler 3.0', sizeBucket: '<64GiB', removable: true },
      ],
      mdRaidLevels: { raid1: 1 },
    },
    'vm-guests': { total: 3, byState: { running: 2, stopped: 1 }, guestOs: { 'win-2019': 1, centos7: 2 }, guestToolsInstalled: 2 },
    'vm-settings': { total: 3, cpuCount: { '3-4': 1, '2': 2 }, memory: { '<=8GiB': 1, '<=2GiB': 2 }, diskCount: { '1': 3 }, autostart: 1, highAvailability: 1 },
    'container-contents': {
      total: 5,
      byState: { running: 4, stopped: 1 },
      osTemplates: { 'centos-7-x86_64': 3, 'ubuntu-20.04-x86_64': 2 },
      layouts: { ploop: 4, simfs: 1 },
    },
    'container-settings': { total: 5, cpus: { '2': 3, '5-8': 2 }, ram: { '<=1GiB': 3, '<=4GiB': 2 }, diskSpace: { '<=16GiB': 5 }, onBoot: 4, vswap: 5 },
    services: { enabled: ['vz', 'sshd', 'prl-disp', 'vstorage-mdsd'] },
    software: { packageManager: 'rpm', packages: [{ name: 'vzkernel', version: '3.10.0-1160.80.1.vz7.191.4' }] },
    clusters: { vstorage: { configuredClusters: 1, mountedClusters: 1, mdsCount: { '3-4': 1 } } },
    cgroups: { version: 'v1', controllers: [{ name: 'memory', enabled: true, cgroups: 234 }] },
    simfs: { simfsMounts: 1, simfsContainers: 1, ploopMounts: 4 },
    'static-settings': {
      kernelRelease: '3.10.0-1160.80.1.vz7.191.4',
      arch: 'x86_64',
      os: { id: 'virtuozzo', versionId: '7', name: 'Virtuozzo' },
      productVersion: 'Virtuozzo release 7.5.1 (17)',
      readyKernelPatch: '191.4-87.1',
      vzConf: { VIRTUOZZO: 'yes', VE_LAYOUT: 'ploop' },
      sysctl: { 'vm.swappiness': '10' },
    },
  };
}

describe('the fixture', () => {
  it('is valid collector output', () => {
    for (const [name, data] of Object.entries(virtuozzoNode())) CEP_COLLECTOR_SCHEMAS[name as BuiltinCollectorName].schema.parse(data);
  });
});

describe('buildHostProfile', () => {
  it('normalizes a full Virtuozzo node', () => {
    expect(buildHostProfile(virtuozzoNode())).toEqual({
      cpu: { vendor: 'Intel', model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', sockets: 2, coresPerSocket: 20, logicalCpus: 80 },
      memory: { sizeBucket: '256-512GiB' },
      disks: {
        count: 4,
        kinds: { nvme: 1, hdd: 2, unknown: 1 },
        models: { 'INTEL SSDPE2KX040T8': 1, 'ST4000NM0033-9ZM': 2 },
        sizeBuckets: { '1-2TiB': 1, '2-4TiB': 2, '<64GiB': 1 },
      },
      network: { nicCount: 4, nicSpeeds: { '10G': 2, '1G': 1 }, bondingModes: { '802.3ad': 1, unknown: 1 }, teamingRunners: { activebackup: 1 } },
      system: { vendor: 'Dell Inc.', product: 'PowerEdge R740', virtualizationRole: 'host', virtualizationSystem: 'openvz', virtuozzoHost: true },
      software: {
        product: 'Virtuozzo',
        productVersion: '7.5.1 (17)',
        os: 'virtuozzo 7',
        kernel: '3.10.0-1160.80.1.vz7.191.4',
        arch: 'x86_64',
        readyKernelPatch: '191.4-87.1',
      },
      vms: { total: 3, guestOs: { 'win-2019': 1, centos7: 2 } },
      containers: { total: 5, templates: { 'centos-7-x86_64': 3, 'ubuntu-20.04-x86_64': 2 }, layouts: { ploop: 4, simfs: 1 } },
      clusters: { configured: 1, mounted: 1 },
      cgroups: { version: 'v1' },
      simfs: { mounts: 1, containers: 1 },
      services: { enabled: ['prl-disp', 'sshd', 'vstorage-mdsd', 'vz'] },
    });
  });

  it('has no sections without data', () => {
    expect(buildHostProfile({})).toEqual({});
  });

  it('has only the sections whose collector reported', () => {
    const { cpu, memory } = virtuozzoNode();
    expect(Object.keys(buildHostProfile({ cpu, memory })).sort()).toEqual(['cpu', 'memory']);
  });

  it('leaves out removable disks, even when they are all there is', () => {
    const disks = buildHostProfile({
      disks: { disks: [{ kind: 'ssd', vendor: 'SanDisk', model: 'Cruzer Blade', sizeBucket: '<64GiB', removable: true }], mdRaidLevels: {} },
    }).disks;
    expect(disks).toEqual({ count: 0, kinds: {}, models: {}, sizeBuckets: {} });
  });

  it('names NIC speeds and skips NICs without a link', () => {
    const network = virtuozzoNode().network;
    network.nics = [100, 2500, 25000, 100000, 1234].map((speedMbps) => ({ driver: 'mlx5_core', speedMbps, operState: 'up' as const }));
    network.nics.push({ driver: 'e1000e', speedMbps: null, operState: 'down' });
    expect(buildHostProfile({ network }).network?.nicSpeeds).toEqual({ '100M': 1, '2.5G': 1, '25G': 1, '100G': 1, '1234M': 1 });
  });

  it('folds bonding mode spellings of /proc and sysfs together; unreadable modes and runners count as unknown', () => {
    const network = virtuozzoNode().network;
    network.bonds = ['IEEE 802.3ad Dynamic link aggregation', '802.3ad', 'fault-tolerance (active-backup)', 'balance-rr'].map((mode) => ({
      mode,
      slaveCount: 2,
      slaveSpeedsMbps: [],
      miiStatusUp: 2,
    }));
    network.teams = [{ runner: null, portCount: 0 }, { runner: 'lacp', portCount: 2 }];
    const profile = buildHostProfile({ network });
    expect(profile.network?.bondingModes).toEqual({ '802.3ad': 2, 'active-backup': 1, 'balance-rr': 1 });
    expect(profile.network?.teamingRunners).toEqual({ unknown: 1, lacp: 1 });
  });

  describe('software', () => {
    const settings = virtuozzoNode()['static-settings'];
    const hardware = virtuozzoNode().hardware;

    it.each([
      ['virtuozzo', 'Virtuozzo'],
      ['vzlinux', 'Virtuozzo'],
      ['openvz', 'OpenVZ'],
      ['OpenVZ', 'OpenVZ'],
    ])('product from os-release ID %s is %s', (id, product) => {
      expect(buildHostProfile({ 'static-settings': { ...settings, os: { ...settings.os, id } } }).software?.product).toBe(product);
    });

    it('a Virtuozzo node with another os-release ID is still Virtuozzo', () => {
      const profile = buildHostProfile({ hardware, 'static-settings': { ...settings, os: { id: 'centos', versionId: '7', name: 'CentOS Linux' } } });
      expect(profile.software).toMatchObject({ product: 'Virtuozzo', os: 'centos 7' });
    });

    it('anything else is other, with the os-release version', () => {
      const ubuntu = { ...settings, os: { id: 'ubuntu', versionId: '22.04', name: 'Ubuntu' }, productVersion: null, readyKernelPatch: null };
      const plain = { ...hardware, virtualization: { role: 'none' as const, system: 'none' as const, virtuozzoHost: false } };
      expect(buildHostProfile({ hardware: plain, 'static-settings': ubuntu }).software).toEqual({
        product: 'other',
        productVersion: '22.04',
        os: 'ubuntu 22.04',
        kernel: '3.10.0-1160.80.1.vz7.191.4',
        arch: 'x86_64',
        readyKernelPatch: null,
      });
    });

    it('os is null without an ID and the ID alone without a version', () => {
      const noId = { ...settings, os: { id: null, versionId: '7', name: null }, productVersion: null };
      expect(buildHostProfile({ 'static-settings': noId }).software).toMatchObject({ product: 'other', os: null, productVersion: '7' });
      const noVersion = { ...settings, os: { id: 'openvz', versionId: null, name: null }, productVersion: null };
      expect(buildHostProfile({ 'static-settings': noVersion }).software).toMatchObject({ product: 'OpenVZ', os: 'openvz', productVersion: null });
    });

    it('the release file wins over VERSION_ID, without the product name in front', () => {
      const openvz = { ...settings, os: { id: 'openvz', versionId: '7', name: 'OpenVZ' }, productVersion: 'OpenVZ release 7.0.14 (136)' };
      expect(buildHostProfile({ 'static-settings': openvz }).software?.productVersion).toBe('7.0.14 (136)');
      const bare = { ...settings, productVersion: '7.5.1' };
      expect(buildHostProfile({ 'static-settings': bare }).software?.productVersion).toBe('7.5.1');
    });
  });

  it('keeps empty histograms out of guest OS, templates and layouts', () => {
    const profile = buildHostProfile({
      'vm-guests': { total: 0, byState: {}, guestOs: {}, guestToolsInstalled: 0 },
      'container-contents': { total: 1, byState: { stopped: 1 }, osTemplates: { 'centos-7-x86_64': 1, 'debian-11-x86_64': 0 }, layouts: { ploop: 1, simfs: 0 } },
    });
    expect(profile.vms).toEqual({ total: 0, guestOs: {} });
    expect(profile.containers).toEqual({ total: 1, templates: { 'centos-7-x86_64': 1 }, layouts: { ploop: 1 } });
  });

  it('keeps unknown CPU facts null', () => {
    const cpu = { vendor: null, model: null, logicalCpus: 2, sockets: null, coresPerSocket: null, virtualizationFlags: [], hypervisorFlag: true };
    expect(buildHostProfile({ cpu }).cpu).toEqual({ vendor: null, model: null, sockets: null, coresPerSocket: null, logicalCpus: 2 });
  });
});

describe('normalizeCpuVendor', () => {
  it.each([
    ['GenuineIntel', 'Intel'],
    ['AuthenticAMD', 'AMD'],
    ['HygonGenuine', 'Hygon'],
    ['  Shanghai  ', 'Zhaoxin'],
    ['0x41', 'ARM'],
    ['0x43', 'Cavium'],
    ['genuineintel', 'Intel'],
    ['Cavium', 'Cavium'],
    [' Some  Vendor ', 'Some Vendor'],
  ])('%j → %s', (raw, vendor) => {
    expect(normalizeCpuVendor(raw)).toBe(vendor);
  });

  it.each([null, undefined, '', '   '])('%j → null', (raw) => {
    expect(normalizeCpuVendor(raw)).toBeNull();
  });
});

describe('buckets', () => {
  it.each([
    [1, '<=4GiB'],
    [4096, '<=4GiB'],
    [4097, '4-8GiB'],
    [64_300, '32-64GiB'],
    [65_536, '32-64GiB'],
    [65_537, '64-128GiB'],
    [4_194_304, '2-4TiB'],
    [4_194_305, '>4TiB'],
  ])('memory %d MiB is %s', (mib, bucket) => {
    expect(memorySizeBucket(mib)).toBe(bucket);
  });

  it.each([
    [1, '1'],
    [2, '2'],
    [3, '3-4'],
    [4, '3-4'],
    [5, '5-8'],
    [256, '129-256'],
    [257, '>256'],
  ])('%d logical CPUs are %s', (n, bucket) => {
    expect(cpuCountBucket(n)).toBe(bucket);
  });

  it.each([
    [0, '0'],
    [1, '1'],
    [4, '3-4'],
    [32, '17-32'],
    [33, '>32'],
  ])('%d disks are %s', (n, bucket) => {
    expect(diskCountBucket(n)).toBe(bucket);
  });

  it('NIC speed names come from the vocabulary, others stay in Mbps', () => {
    expect(nicSpeedName(1000)).toBe('1G');
    expect(nicSpeedName(10)).toBe('10M');
    expect(nicSpeedName(40000)).toBe('40G');
    expect(nicSpeedName(20)).toBe('20M');
  });

  it.each(['memoryBucketsMiB', 'cpuCountBuckets', 'diskCountBuckets'] as const)('%s ascend and end open-ended', (name) => {
    const buckets = PROFILE_VOCABULARY[name];
    const bounds = buckets.slice(0, -1).map((b) => b.upTo);
    expect(bounds.every((b) => typeof b === 'number')).toBe(true);
    expect([...(bounds as number[])].sort((a, b) => a - b)).toEqual(bounds);
    expect(buckets[buckets.length - 1].upTo).toBeUndefined();
    expect(new Set(buckets.map((b) => b.name)).size).toBe(buckets.length);
  });
});

describe('profileDigest', () => {
  it('is a sha256 hex, equal for equal profiles whatever the key order', () => {
    const a = buildHostProfile(virtuozzoNode());
    const node = virtuozzoNode();
    const reordered = Object.fromEntries(Object.entries(node).reverse()) as LatestCollectorData;
    const b = buildHostProfile(reordered);
    expect(profileDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(profileDigest(b)).toBe(profileDigest(a));
    expect(profileDigest({ memory: { sizeBucket: '4-8GiB' }, cgroups: { version: 'v2' } })).toBe(
      profileDigest({ cgroups: { version: 'v2' }, memory: { sizeBucket: '4-8GiB' } }),
    );
  });

  it('changes with any fact', () => {
    const node = virtuozzoNode();
    const before = profileDigest(buildHostProfile(node));
    node['container-contents'].osTemplates['centos-7-x86_64'] = 4;
    expect(profileDigest(buildHostProfile(node))).not.toBe(before);
    expect(profileDigest({})).not.toBe(profileDigest({ services: { enabled: [] } }));
  });
});

describe('latestValidData', () => {
  it('keeps only valid records at the version the hub knows', () => {
    const cpu = { vendor: 'GenuineIntel', model: 'Xeon', logicalCpus: 4, sockets: 1, coresPerSocket: 4, virtualizationFlags: [], hypervisorFlag: false };
    const latest = latestValidData([
      { collector: 'cpu', version: 1, outcome: 'valid', data: cpu },
      { collector: 'memory', version: 2, outcome: 'valid', data: { totalMiB: 1 } },
      { collector: 'disks', version: 1, outcome: 'untrusted', data: { disks: [] } },
      { collector: 'script.inventory', version: 0, outcome: 'untrusted', data: {} },
      { collector: 'constructor', version: 1, outcome: 'valid', data: {} },
    ]);
    expect(latest).toEqual({ cpu });
  });
});
