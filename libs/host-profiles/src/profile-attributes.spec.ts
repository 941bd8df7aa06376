import type { HostProfile } from './host-profile';
import { ATTRIBUTES, ATTRIBUTE_DESCRIPTIONS, attributeKey, crashAttributes, profileAttributes, splitAttributeKey } from './profile-attributes';

/** buildHostProfile's result for a Virtuozzo 7 node. */
const NODE: HostProfile = {
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
  software: { product: 'Virtuozzo', productVersion: '7.5.1 (17)', os: 'virtuozzo 7', kernel: '3.10.0-1160.80.1.vz7.191.4', arch: 'x86_64', readyKernelPatch: '191.4-87.1' },
  vms: { total: 3, guestOs: { 'win-2019': 1, centos7: 2 } },
  containers: { total: 5, templates: { 'centos-7-x86_64': 3, 'ubuntu-20.04-x86_64': 2 }, layouts: { ploop: 4, simfs: 1 } },
  clusters: { configured: 1, mounted: 1 },
  cgroups: { version: 'v1' },
  simfs: { mounts: 1, containers: 1 },
  services: { enabled: ['prl-disp', 'sshd', 'vstorage-mdsd', 'vz'] },
};

/** A KVM guest running stock Ubuntu: few sections, no products of ours. */
const UBUNTU_GUEST: HostProfile = {
  cpu: { vendor: 'AMD', model: 'AMD EPYC 7763 64-Core Processor', sockets: null, coresPerSocket: null, logicalCpus: 4 },
  memory: { sizeBucket: '4-8GiB' },
  system: { vendor: 'QEMU', product: 'Standard PC (Q35 + ICH9, 2009)', virtualizationRole: 'guest', virtualizationSystem: 'kvm', virtuozzoHost: false },
  software: { product: 'other', productVersion: '22.04', os: 'ubuntu 22.04', kernel: '5.15.0-105-generic', arch: 'x86_64', readyKernelPatch: null },
  vms: { total: 0, guestOs: {} },
  containers: { total: 0, templates: {}, layouts: {} },
  network: { nicCount: 1, nicSpeeds: {}, bondingModes: {}, teamingRunners: {} },
  clusters: { configured: 0, mounted: 0 },
};

describe('attribute keys', () => {
  it('joins and splits at the first =', () => {
    expect(attributeKey('guest.os', 'win-2019')).toBe('guest.os=win-2019');
    expect(splitAttributeKey('guest.os=win-2019')).toEqual({ attribute: 'guest.os', value: 'win-2019' });
    expect(splitAttributeKey('sysctl=vm.swappiness=10')).toEqual({ attribute: 'sysctl', value: 'vm.swappiness=10' });
    expect(splitAttributeKey(attributeKey('product.version', 'Virtuozzo 7.5.1 (17)'))).toEqual({ attribute: 'product.version', value: 'Virtuozzo 7.5.1 (17)' });
  });

  it('a key without = is an attribute with an empty value', () => {
    expect(splitAttributeKey('cluster')).toEqual({ attribute: 'cluster', value: '' });
  });
});

describe('ATTRIBUTES', () => {
  it('lists every attribute once, each documented', () => {
    expect([...ATTRIBUTES].sort()).toEqual(
      [
        'product', 'product.version', 'os', 'kernel', 'arch', 'readykernel', 'readykernel.patch', 'uses.vms', 'uses.containers',
        'guest.os', 'container.template', 'container.layout', 'cpu.vendor', 'cpu.model', 'cpu.sockets', 'cpu.count', 'memory.size',
        'disk.kind', 'disk.model', 'disk.size', 'disk.count', 'nic.speed', 'bonding', 'bonding.mode', 'teaming', 'teaming.runner',
        'cluster', 'cgroup.version', 'simfs', 'system.vendor', 'system.model', 'virt.system', 'country', 'origin', 'kernel.taint',
      ].sort(),
    );
    for (const name of ATTRIBUTES) expect(ATTRIBUTE_DESCRIPTIONS[name].length).toBeGreaterThan(0);
  });

  it('covers every attribute the profile and crash functions produce', () => {
    const produced = [
      ...Object.keys(profileAttributes(NODE, 'DE')),
      ...Object.keys(profileAttributes(UBUNTU_GUEST)),
      ...crashAttributes({ hardware: {}, labels: {} }),
    ].map((key) => splitAttributeKey(key).attribute);
    for (const attribute of produced) expect(ATTRIBUTES).toContain(attribute);
  });
});

describe('profileAttributes', () => {
  it('describes a Virtuozzo node with objects per attribute', () => {
    expect(profileAttributes(NODE, 'DE')).toEqual({
      'product=Virtuozzo': 1,
      'product.version=Virtuozzo 7.5.1 (17)': 1,
      'os=virtuozzo 7': 1,
      'kernel=3.10.0-1160.80.1.vz7.191.4': 1,
      'arch=x86_64': 1,
      'readykernel=yes': 1,
      'readykernel.patch=191.4-87.1': 1,
      'uses.vms=yes': 3,
      'guest.os=win-2019': 1,
      'guest.os=centos7': 2,
      'uses.containers=yes': 5,
      'container.template=centos-7-x86_64': 3,
      'container.template=ubuntu-20.04-x86_64': 2,
      'container.layout=ploop': 4,
      'container.layout=simfs': 1,
      'cpu.vendor=Intel': 1,
      'cpu.model=Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz': 1,
      'cpu.sockets=2': 1,
      'cpu.count=65-128': 1,
      'memory.size=256-512GiB': 1,
      'disk.kind=nvme': 1,
      'disk.kind=hdd': 2,
      'disk.kind=unknown': 1,
      'disk.model=INTEL SSDPE2KX040T8': 1,
      'disk.model=ST4000NM0033-9ZM': 2,
      'disk.size=1-2TiB': 1,
      'disk.size=2-4TiB': 2,
      'disk.size=<64GiB': 1,
      'disk.count=3-4': 1,
      'nic.speed=10G': 2,
      'nic.speed=1G': 1,
      'bonding=yes': 1,
      'bonding.mode=802.3ad': 1,
      'bonding.mode=unknown': 1,
      'teaming=yes': 1,
      'teaming.runner=activebackup': 1,
      'cluster=yes': 1,
      'cgroup.version=v1': 1,
      'simfs=yes': 1,
      'system.vendor=Dell Inc.': 1,
      'system.model=PowerEdge R740': 1,
      'country=DE': 1,
    });
  });

  it('describes a plain KVM guest: no-answers count the host, nulls are left out, virt.system set', () => {
    expect(profileAttributes(UBUNTU_GUEST)).toEqual({
      'product=other': 1,
      'os=ubuntu 22.04': 1,
      'kernel=5.15.0-105-generic': 1,
      'arch=x86_64': 1,
      'readykernel=no': 1,
      'uses.vms=no': 1,
      'uses.containers=no': 1,
      'cpu.vendor=AMD': 1,
      'cpu.model=AMD EPYC 7763 64-Core Processor': 1,
      'cpu.count=3-4': 1,
      'memory.size=4-8GiB': 1,
      'bonding=no': 1,
      'teaming=no': 1,
      'cluster=no': 1,
      'simfs=no': 1,
      'system.vendor=QEMU': 1,
      'system.model=Standard PC (Q35 + ICH9, 2009)': 1,
      'virt.system=kvm': 1,
    });
  });

  it('an empty profile has no attributes but the country', () => {
    expect(profileAttributes({})).toEqual({});
    expect(profileAttributes({}, ' FR ')).toEqual({ 'country=FR': 1 });
    expect(profileAttributes({}, '')).toEqual({});
    expect(profileAttributes({}, null)).toEqual({});
  });

  it('trims values and leaves empty ones out', () => {
    const attributes = profileAttributes({
      system: { vendor: '  Supermicro ', product: ' ', virtualizationRole: 'none', virtualizationSystem: 'none', virtuozzoHost: false },
      vms: { total: 2, guestOs: { ' win-2022 ': 2 } },
    });
    expect(attributes).toEqual({ 'system.vendor=Supermicro': 1, 'uses.vms=yes': 2, 'guest.os=win-2022': 2 });
  });

  it('virt.system only for hosts that are guests themselves', () => {
    const host = { ...UBUNTU_GUEST.system!, virtualizationRole: 'host', virtualizationSystem: 'kvm' };
    expect(Object.keys(profileAttributes({ system: host }))).not.toContainEqual(expect.stringMatching(/^virt\.system=/));
  });

  it('simfs from mounts, simfs containers or the container layouts', () => {
    const simfs = (profile: HostProfile) => Object.keys(profileAttributes(profile)).filter((k) => k.startsWith('simfs='));
    expect(simfs({ simfs: { mounts: 0, containers: 0 } })).toEqual(['simfs=no']);
    expect(simfs({ simfs: { mounts: 2, containers: null } })).toEqual(['simfs=yes']);
    expect(simfs({ simfs: { mounts: 0, containers: 1 } })).toEqual(['simfs=yes']);
    expect(simfs({ containers: { total: 1, templates: {}, layouts: { simfs: 1 } } })).toEqual(['simfs=yes']);
    expect(simfs({ containers: { total: 1, templates: {}, layouts: { ploop: 1 } } })).toEqual(['simfs=no']);
    expect(simfs({ cpu: NODE.cpu })).toEqual([]);
  });

  it('cluster only when one is configured; a mounted count alone does not make it', () => {
    expect(profileAttributes({ clusters: { configured: 2, mounted: 0 } })).toEqual({ 'cluster=yes': 1 });
    expect(profileAttributes({ clusters: { configured: 0, mounted: 0 } })).toEqual({ 'cluster=no': 1 });
  });

  it('no product.version without a version; unknown sockets and zero CPUs left out', () => {
    const attributes = profileAttributes({
      software: { product: 'OpenVZ', productVersion: null, os: 'openvz', kernel: null, arch: null, readyKernelPatch: null },
      cpu: { vendor: null, model: null, sockets: null, coresPerSocket: null, logicalCpus: 0 },
    });
    expect(attributes).toEqual({ 'product=OpenVZ': 1, 'os=openvz': 1, 'readykernel=no': 1 });
  });

  it('a host whose disks are all removable has disk.count 0', () => {
    expect(profileAttributes({ disks: { count: 0, kinds: {}, models: {}, sizeBuckets: {} } })).toEqual({ 'disk.count=0': 1 });
  });
});

describe('crashAttributes', () => {
  const profile = profileAttributes(NODE, 'DE');

  it('overlays what the crash says on the host profile, replacing values of the same attribute', () => {
    const keys = crashAttributes({
      hardware: { cpuVendor: 'AuthenticAMD', cpuModel: 'AMD  EPYC 7302 16-Core Processor', cpuCount: 32, systemVendor: 'Supermicro', systemModel: 'AS-1114S-WTRT' },
      kernel: '3.10.0-1160.90.1.vz7.200.1',
      labels: {},
      profile,
    });
    expect(keys).toEqual(expect.arrayContaining(['cpu.vendor=AMD', 'cpu.model=AMD EPYC 7302 16-Core Processor', 'cpu.count=17-32']));
    expect(keys).toEqual(expect.arrayContaining(['kernel=3.10.0-1160.90.1.vz7.200.1']));
    for (const stale of ['cpu.vendor=Intel', 'cpu.count=65-128', 'kernel=3.10.0-1160.80.1.vz7.191.4']) {
      expect(keys).not.toContain(stale);
    }
    expect(keys).not.toContainEqual(expect.stringMatching(/^cpu\.model=Intel/));
    // The oops "Hardware name:" split is ambiguous; the profile's DMI values stay.
    expect(keys).toEqual(expect.arrayContaining(['system.vendor=Dell Inc.', 'system.model=PowerEdge R740']));
    expect(keys).not.toContain('system.vendor=Supermicro');
    // What the crash does not say comes from the profile, every value of it.
    expect(keys).toEqual(expect.arrayContaining(['product=Virtuozzo', 'guest.os=win-2019', 'guest.os=centos7', 'disk.kind=hdd', 'country=DE', 'cpu.sockets=2']));
  });

  it('adds taint flags, and lsblk disk models only where the profile has none', () => {
    const bare = crashAttributes({ hardware: { taintFlags: ['P', 'O'], diskModels: ['QEMU HARDDISK'] }, labels: {} });
    expect(bare).toEqual(expect.arrayContaining(['kernel.taint=P', 'kernel.taint=O', 'disk.model=QEMU HARDDISK']));
    const onNode = crashAttributes({ hardware: { diskModels: ['QEMU HARDDISK'] }, labels: {}, profile });
    expect(onNode).not.toContain('disk.model=QEMU HARDDISK');
    expect(onNode.filter((k) => k.startsWith('disk.model='))).toEqual(Object.keys(profile).filter((k) => k.startsWith('disk.model=')).sort());
  });

  it('keeps the profile values the crash is silent about', () => {
    const keys = crashAttributes({ hardware: { cpuVendor: 'GenuineIntel' }, labels: {}, profile });
    expect(keys).toContain('cpu.vendor=Intel');
    expect(keys).toContain('cpu.model=Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz');
    expect(keys).toContain('kernel=3.10.0-1160.80.1.vz7.191.4');
    expect(keys).toContain('system.model=PowerEdge R740');
  });

  it('gives a host that never sent CEP data the attributes its crash carries', () => {
    expect(
      crashAttributes({
        hardware: { cpuVendor: '0x41', cpuCount: 64, systemVendor: 'LENOVO', systemModel: '20HRCTO1WW', diskModels: ['Samsung SSD 860'] },
        kernel: ' 5.14.0-362.el9.aarch64 ',
        labels: { component: 'vzctl' },
        country: 'CZ',
      }),
    ).toEqual([
      'country=CZ', 'cpu.count=33-64', 'cpu.vendor=ARM', 'disk.model=Samsung SSD 860', 'kernel=5.14.0-362.el9.aarch64', 'origin=field',
      'system.model=20HRCTO1WW', 'system.vendor=LENOVO',
    ]);
  });

  it('is sorted and unique', () => {
    const keys = crashAttributes({ hardware: { cpuVendor: 'GenuineIntel' }, labels: {}, profile });
    expect(keys).toEqual([...new Set(keys)].sort());
  });

  it('the crash country wins over the profile one; without one the profile country stays', () => {
    expect(crashAttributes({ hardware: {}, labels: {}, country: 'FR', profile }).filter((k) => k.startsWith('country='))).toEqual(['country=FR']);
    expect(crashAttributes({ hardware: {}, labels: {}, country: null, profile }).filter((k) => k.startsWith('country='))).toEqual(['country=DE']);
  });

  it.each([
    [{ rig: 'vz7-rig-04' }, 'rig'],
    [{ test_run: '8812' }, 'rig'],
    [{ build: '7.5.1-17' }, 'rig'],
    [{ test_name: 'ploop-snapshot-merge' }, 'rig'],
    [{ component: 'prl-disp', customer_tier: 'gold' }, 'field'],
    [{}, 'field'],
  ])('labels %j make origin %s', (labels, origin) => {
    const keys = crashAttributes({ hardware: {}, labels, profile: null });
    expect(keys).toEqual([`origin=${origin}`]);
  });

  it('ignores empty crash facts and an invalid CPU count', () => {
    const keys = crashAttributes({ hardware: { cpuVendor: ' ', cpuModel: '', cpuCount: 0, systemVendor: '  ' }, kernel: null, labels: {}, profile });
    expect(keys).toContain('cpu.vendor=Intel');
    expect(keys).toContain('cpu.count=65-128');
    expect(keys).toContain('system.vendor=Dell Inc.');
  });
});
