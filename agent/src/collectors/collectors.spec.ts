import { CEP_COLLECTOR_SCHEMAS, type BuiltinCollectorName } from '../../../libs/contracts/src/cep';
import { ProcessCommandRunner, RecordedCommandRunner } from '../host/command-runner';
import { HostFs } from '../host/host-fs';
import { DEFAULT_ALLOW_LISTS } from '../privacy/allow-lists';
import { Scrubber } from '../privacy/scrubber';
import { systemClock } from '../schedule/clock';
import {
  buildHostRoot,
  ubuntuHostCommands,
  ubuntuHostLayout,
  virtuozzoHostCommands,
  virtuozzoHostLayout,
} from '../../test/fixture-host.helper';
import type { CollectorContext } from './collector';
import { BUILTIN_COLLECTORS } from './collector-registry';
import { runCollector } from './collector-runner';

const NAMES = Object.keys(BUILTIN_COLLECTORS) as BuiltinCollectorName[];
const ctxFor = (root: string, commands: Record<string, string>): CollectorContext => ({
  fs: new HostFs(root),
  runner: new RecordedCommandRunner(commands),
  allowLists: DEFAULT_ALLOW_LISTS,
  commandTimeoutMs: 2000,
});

async function collect(name: BuiltinCollectorName, ctx: CollectorContext) {
  const outcome = await BUILTIN_COLLECTORS[name].collect(ctx);
  if (outcome.status === 'ok') CEP_COLLECTOR_SCHEMAS[name].schema.parse(outcome.data);
  return outcome;
}
const dataOf = async (name: BuiltinCollectorName, ctx: CollectorContext) => {
  const outcome = await collect(name, ctx);
  if (outcome.status !== 'ok') throw new Error(`${name}: ${outcome.reason}`);
  return outcome.data as Record<string, unknown>;
};

describe('collectors on the Virtuozzo fixture host (facter, ohai, node_exporter, procfs, ubuntu-report)', () => {
  const ctx = ctxFor(buildHostRoot(virtuozzoHostLayout()), virtuozzoHostCommands());

  it('every collector yields schema-valid data', async () => {
    for (const name of NAMES) expect({ name, status: (await collect(name, ctx)).status }).toEqual({ name, status: 'ok' });
  });

  it('hardware: DMI model fields and an OpenVZ/Virtuozzo node', async () => {
    expect(await dataOf('hardware', ctx)).toEqual({
      systemVendor: 'DID',
      productName: '4287CTO',
      productFamily: 'Thinkpad',
      biosVendor: 'DID',
      virtualization: { role: 'host', system: 'openvz', virtuozzoHost: true },
    });
  });

  it('cpu: facter cpuinfo with physical ids (a VM: hypervisor flag set)', async () => {
    const cpu = await dataOf('cpu', ctx);
    expect(cpu).toMatchObject({ vendor: 'GenuineIntel', sockets: expect.any(Number), virtualizationFlags: expect.any(Array), hypervisorFlag: true });
    expect(cpu.logicalCpus).toBeGreaterThan(0);
  });

  it('memory: totals in MiB with MemAvailable', async () => {
    expect(await dataOf('memory', ctx)).toMatchObject({ availableEstimated: false, totalMiB: expect.any(Number) });
  });

  it('network: proc bonding (802.3ad), sysfs bonds, team runner, physical NIC driver', async () => {
    const net = await dataOf('network', ctx);
    expect(net.nics).toEqual([{ driver: 'ixgbe', speedMbps: 1000, operState: 'up' }]);
    expect(net.bonds).toEqual(
      expect.arrayContaining([
        { mode: 'IEEE 802.3ad Dynamic link aggregation', slaveCount: 2, slaveSpeedsMbps: [1000, 1000], miiStatusUp: 2 },
        { mode: null, slaveCount: 2, slaveSpeedsMbps: [], miiStatusUp: 1 },
      ]),
    );
    expect(net.teams).toEqual([{ runner: 'activebackup', portCount: 2 }]);
  });

  it('disks: kinds from rotational + model hints, size buckets, virtual devices skipped, no serials', async () => {
    const disks = await dataOf('disks', ctx);
    expect(disks.disks).toEqual([
      { kind: 'nvme', vendor: null, model: 'INTEL SSDPE2KX040T8', sizeBucket: '1-2TiB', removable: false },
      { kind: 'hdd', vendor: 'ATA', model: 'ST4000NM0033-9ZM', sizeBucket: '1-2TiB', removable: false },
      { kind: 'ssd', vendor: null, model: 'Samsung SSD 860 EVO 1TB', sizeBucket: '128-256GiB', removable: false },
    ]);
    expect(disks.mdRaidLevels).toMatchObject({ raid6: 2, raid1: expect.any(Number) });
  });

  it('vm-guests and vm-settings: counts, guest OS, buckets only', async () => {
    expect(await dataOf('vm-guests', ctx)).toEqual({ total: 2, byState: { running: 1, stopped: 1 }, guestOs: { 'win-2019': 1, centos7: 1 }, guestToolsInstalled: 1 });
    expect(await dataOf('vm-settings', ctx)).toEqual({
      total: 2,
      cpuCount: { '3-4': 1, '2': 1 },
      memory: { '<=8GiB': 1, '<=2GiB': 1 },
      diskCount: { '1': 1, '2': 1 },
      autostart: 1,
      highAvailability: 1,
    });
  });

  it('container-contents and container-settings: templates, layouts, buckets', async () => {
    expect(await dataOf('container-contents', ctx)).toEqual({
      total: 2,
      byState: { running: 1, stopped: 1 },
      osTemplates: { 'centos-7-x86_64': 1, 'ubuntu-20.04-x86_64': 1 },
      layouts: { simfs: 1, ploop: 1 },
    });
    expect(await dataOf('container-settings', ctx)).toEqual({ total: 2, cpus: { '2': 1, '5-8': 1 }, ram: { '<=1GiB': 1, '<=4GiB': 1 }, diskSpace: { '<=16GiB': 1, '<=128GiB': 1 }, onBoot: 1, vswap: 1 });
  });

  it('services and software: allow-listed names only', async () => {
    expect(await dataOf('services', ctx)).toEqual({ enabled: ['prl-disp', 'sshd', 'vstorage-mdsd', 'vz'] });
    const software = await dataOf('software', ctx);
    expect(software.packageManager).toBe('rpm');
    expect(software.packages).toEqual(
      expect.arrayContaining([{ name: 'glibc', version: '2.17-106.el7_2.6' }, { name: 'vzkernel', version: '3.10.0-1160.80.1.vz7.191.4' }]),
    );
    expect(JSON.stringify(software)).not.toMatch(/tzdata|jdoe/);
  });

  it('clusters, cgroups, simfs, static-settings', async () => {
    expect(await dataOf('clusters', ctx)).toEqual({ vstorage: { configuredClusters: 1, mountedClusters: 1, mdsCount: { '3-4': 1 } } });
    const cgroups = await dataOf('cgroups', ctx);
    expect(cgroups.version).toBe('v1');
    expect(cgroups.controllers).toContainEqual({ name: 'memory', enabled: true, cgroups: 234 });
    expect(await dataOf('simfs', ctx)).toEqual({ simfsMounts: 1, simfsContainers: 1, ploopMounts: 1 });
    expect(await dataOf('static-settings', ctx)).toEqual({
      kernelRelease: '3.10.0-1160.80.1.vz7.191.4',
      arch: null,
      os: { id: 'virtuozzo', versionId: '7', name: 'Virtuozzo' },
      productVersion: 'Virtuozzo release 7.5.1 (17)',
      readyKernelPatch: '191.4-87.1',
      // TEMPLATE is a path, not a token: dropped.
      vzConf: { VIRTUOZZO: 'yes', VE_LAYOUT: 'ploop', VEFSTYPE: 'ext4', IPV6: 'yes' },
      sysctl: { 'vm.swappiness': '10', 'net.ipv4.ip_forward': '1' },
    });
  });
});

describe('collectors on other upstream trees', () => {
  it('ubuntu-report desktop: dpkg packages, ubuntu-report disk and DMI, product tools not available', async () => {
    const ctx = ctxFor(buildHostRoot(ubuntuHostLayout()), ubuntuHostCommands());
    expect((await dataOf('software', ctx)).packageManager).toBe('dpkg');
    expect((await dataOf('disks', ctx)).disks).toEqual([{ kind: 'unknown', vendor: null, model: null, sizeBucket: '128-256GiB', removable: false }]);
    expect(await dataOf('memory', ctx)).toMatchObject({ totalMiB: expect.any(Number) });
    expect(await dataOf('cpu', ctx)).toMatchObject({ vendor: 'GenuineIntel', logicalCpus: 8 });
    for (const name of ['vm-guests', 'vm-settings', 'container-contents', 'container-settings', 'services', 'network'] as const) {
      expect({ name, status: (await collect(name, ctx)).status }).toEqual({ name, status: 'not-available' });
    }
  });

  it.each([
    ['facter/spec/fixtures/cpuinfo_wo_physical_id', { sockets: null }],
    ['facter/spec/fixtures/cpuinfo_arm64', { vendor: 'Cavium', model: null, virtualizationFlags: [] }],
    ['ohai/spec/data/plugins/cpuinfo-x86-guest-kvm.output', { hypervisorFlag: true }],
    ['node_exporter/collector/fixtures/proc/cpuinfo', { vendor: 'GenuineIntel' }],
    ['procfs/testdata/fixtures.ttar.d/fixtures/proc/cpuinfo', { logicalCpus: 8 }],
  ])('cpu on %s', async (from, expected) => {
    const ctx = ctxFor(buildHostRoot({ '/proc/cpuinfo': { from } }), {});
    expect(await dataOf('cpu', ctx)).toMatchObject(expected);
  });

  it.each([
    ['facter/spec/fixtures/meminfo_missing_available', true],
    ['node_exporter/collector/fixtures/proc/meminfo', true],
    ['procfs/testdata/fixtures.ttar.d/fixtures/proc/meminfo', true],
    ['facter/spec/fixtures/meminfo', false],
  ])('memory on %s (estimated: %s)', async (from, estimated) => {
    const ctx = ctxFor(buildHostRoot({ '/proc/meminfo': { from } }), {});
    expect(await dataOf('memory', ctx)).toMatchObject({ availableEstimated: estimated });
  });

  it('an empty root: every collector is not-available or reports nothing, none throws', async () => {
    const ctx = ctxFor(buildHostRoot({}), {});
    for (const name of NAMES) {
      const outcome = await collect(name, ctx);
      expect(['ok', 'not-available']).toContain(outcome.status);
    }
    expect((await collect('cpu', ctx)).status).toBe('not-available');
    expect((await collect('services', ctx)).status).toBe('not-available');
  });
});

describe('collectors on this machine (real /proc, /sys and tools)', () => {
  const ctx: CollectorContext = { fs: new HostFs('/'), runner: new ProcessCommandRunner(), allowLists: DEFAULT_ALLOW_LISTS, commandTimeoutMs: 5000 };
  const scrubber = new Scrubber({ hostId: '00000000-0000-4000-8000-000000000000' });

  it.each(NAMES)('%s runs to ok or not-available with a schema-valid output', async (name) => {
    const result = await runCollector(BUILTIN_COLLECTORS[name], ctx, scrubber, { timeoutMs: 10_000, clock: systemClock });
    expect(['ok', 'not-available']).toContain(result.status);
    if (result.status === 'ok') CEP_COLLECTOR_SCHEMAS[name].schema.parse(result.data);
  });

  it('cpu, memory and disks see this machine', async () => {
    const cpu = await dataOf('cpu', ctx);
    expect(cpu.logicalCpus).toBeGreaterThan(0);
    expect((await dataOf('memory', ctx)).totalMiB).toBeGreaterThan(0);
    expect(Array.isArray((await dataOf('disks', ctx)).disks)).toBe(true);
  });
});
