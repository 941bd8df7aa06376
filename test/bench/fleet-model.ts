import type { HardwareFacts } from '../../libs/crash-reports/src/crash-input';
import { BUILTIN_COLLECTOR_NAMES, CEP_COLLECTOR_SCHEMAS, type BuiltinCollectorName, type CollectorOutput } from '../../libs/contracts/src/cep';
import {
  buildHostProfile,
  hardwareFingerprint,
  profileAttributes,
  profileDigest,
  type AttributeCounts,
  type HostProfile,
  type LatestCollectorData,
} from '../../libs/host-profiles/src';
import { SeededRandom } from './synthetic-crashes';

/**
 * A synthetic Virtuozzo/OpenVZ fleet: catalogs of CPUs, servers, disks, NICs, products, guests and
 * templates with skewed popularity, combined into host archetypes whose collector outputs pass the
 * hub's own collector schemas. Profiles and attributes come from the hub's pure functions.
 */

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

export function weighted<T>(random: SeededRandom, items: Weighted<T>): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let roll = random.next() * total;
  for (const [item, w] of items) {
    roll -= w;
    if (roll < 0) return item;
  }
  return items[items.length - 1]![0];
}

interface CpuModel {
  vendor: string;
  model: string;
  sockets: number;
  cores: number;
  threads: number;
}

const intel = (model: string, sockets: number, cores: number): CpuModel => ({ vendor: 'GenuineIntel', model, sockets, cores, threads: 2 });
const amd = (model: string, sockets: number, cores: number, threads = 2): CpuModel => ({ vendor: 'AuthenticAMD', model, sockets, cores, threads });

const CPUS: Weighted<CpuModel> = [
  [intel('Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz', 2, 14), 12],
  [intel('Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz', 2, 12), 9],
  [intel('Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz', 2, 8), 8],
  [intel('Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz', 2, 24), 7],
  [intel('Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz', 2, 16), 6],
  [intel('Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz', 2, 16), 6],
  [intel('Intel(R) Xeon(R) CPU E5-2650 v2 @ 2.60GHz', 2, 8), 5],
  [intel('Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', 2, 32), 5],
  [intel('Intel(R) Xeon(R) E-2288G CPU @ 3.70GHz', 1, 8), 4],
  [intel('Intel(R) Xeon(R) CPU E3-1230 v6 @ 3.50GHz', 1, 4), 3],
  [intel('Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz', 2, 40), 2],
  [intel('Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz', 1, 6), 1.5],
  [amd('AMD EPYC 7302 16-Core Processor', 2, 16), 6],
  [amd('AMD EPYC 7402P 24-Core Processor', 1, 24), 5],
  [amd('AMD EPYC 7502 32-Core Processor', 2, 32), 4],
  [amd('AMD EPYC 7763 64-Core Processor', 2, 64), 3],
  [amd('AMD EPYC 9354 32-Core Processor', 2, 32), 2],
  [amd('AMD Ryzen 9 5950X 16-Core Processor', 1, 16), 1],
  [amd('AMD Opteron(tm) Processor 6380', 2, 16, 1), 1],
  [{ vendor: 'HygonGenuine', model: 'Hygon C86 7285 32-core Processor', sockets: 2, cores: 32, threads: 2 }, 0.5],
];

/**
 * The planted correlation: a CPU model only a few hundred hosts have, with otherwise ordinary
 * hardware (2 sockets, 32 threads), so nothing else about those hosts is as rare.
 */
export const RARE_CPU: CpuModel = intel('Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz', 2, 8);

const GUEST_CPUS: Weighted<CpuModel> = [
  [intel('Intel Xeon Processor (Cascadelake)', 1, 8), 3],
  [intel('Intel Xeon Processor (Skylake, IBRS)', 1, 4), 3],
  [amd('AMD EPYC-Rome Processor', 1, 8, 1), 2],
  [{ vendor: 'GenuineIntel', model: 'QEMU Virtual CPU version 2.5+', sockets: 1, cores: 4, threads: 1 }, 1],
];

const SERVERS: Weighted<{ vendor: string; models: Weighted<string>; bios: string }> = [
  [{ vendor: 'Dell Inc.', models: [['PowerEdge R640', 8], ['PowerEdge R740', 6], ['PowerEdge R650', 4], ['PowerEdge R630', 4], ['PowerEdge R7525', 2]], bios: 'Dell Inc.' }, 30],
  [{ vendor: 'Supermicro', models: [['SYS-1029P-WTR', 5], ['SYS-2029U-TR4', 4], ['AS -1114S-WTRT', 3], ['Super Server', 4], ['X11DPi-N', 2]], bios: 'American Megatrends Inc.' }, 28],
  [{ vendor: 'HPE', models: [['ProLiant DL380 Gen10', 6], ['ProLiant DL360 Gen10', 5], ['ProLiant DL385 Gen10 Plus', 2], ['ProLiant DL380 Gen9', 3]], bios: 'HPE' }, 20],
  [{ vendor: 'Lenovo', models: [['ThinkSystem SR650', 5], ['ThinkSystem SR630', 4]], bios: 'Lenovo' }, 10],
  [{ vendor: 'FUJITSU', models: [['PRIMERGY RX2540 M5', 3], ['PRIMERGY RX2530 M4', 2]], bios: 'FUJITSU // American Megatrends Inc.' }, 4],
  [{ vendor: 'Huawei', models: [['2288H V5', 3], ['1288H V5', 2]], bios: 'Insyde Corp.' }, 3],
];

const MEMORY_GIB: Weighted<number> = [[32, 5], [64, 12], [128, 22], [192, 8], [256, 22], [384, 8], [512, 12], [768, 4], [1024, 3]];

interface DiskModel {
  model: string;
  vendor: string;
  sizeBucket: CollectorOutput<'disks'>['disks'][number]['sizeBucket'];
}
const SSDS: Weighted<DiskModel> = [
  [{ model: 'SAMSUNG MZ7LH960HAJR-00005', vendor: 'ATA', sizeBucket: '512GiB-1TiB' }, 8],
  [{ model: 'INTEL SSDSC2KB960G8', vendor: 'ATA', sizeBucket: '512GiB-1TiB' }, 7],
  [{ model: 'Micron 5300 MTFDDAK960TDS', vendor: 'ATA', sizeBucket: '512GiB-1TiB' }, 4],
  [{ model: 'SAMSUNG MZ7L3480HCHQ-00A07', vendor: 'ATA', sizeBucket: '256-512GiB' }, 5],
  [{ model: 'INTEL SSDSC2KG480G8', vendor: 'ATA', sizeBucket: '256-512GiB' }, 4],
  [{ model: 'KINGSTON SEDC500M960G', vendor: 'ATA', sizeBucket: '512GiB-1TiB' }, 2],
  [{ model: 'Samsung SSD 860 EVO 1TB', vendor: 'ATA', sizeBucket: '512GiB-1TiB' }, 1.5],
  [{ model: 'SAMSUNG MZ7LH1T9HMLT-00005', vendor: 'ATA', sizeBucket: '1-2TiB' }, 3],
];
const NVMES: Weighted<DiskModel> = [
  [{ model: 'SAMSUNG MZQL23T8HCLS-00A07', vendor: 'NVMe', sizeBucket: '2-4TiB' }, 5],
  [{ model: 'INTEL SSDPE2KX040T8', vendor: 'NVMe', sizeBucket: '2-4TiB' }, 4],
  [{ model: 'Micron 7450 MTFDKCC1T9TFR', vendor: 'NVMe', sizeBucket: '1-2TiB' }, 3],
  [{ model: 'Samsung SSD 980 PRO 1TB', vendor: 'NVMe', sizeBucket: '512GiB-1TiB' }, 2],
  [{ model: 'KIOXIA KCD6XLUL1T92', vendor: 'NVMe', sizeBucket: '1-2TiB' }, 2],
  [{ model: 'SAMSUNG MZQLB7T6HMLA-00007', vendor: 'NVMe', sizeBucket: '4-8TiB' }, 1],
];
const HDDS: Weighted<DiskModel> = [
  [{ model: 'ST4000NM0035-1V4107', vendor: 'ATA', sizeBucket: '2-4TiB' }, 6],
  [{ model: 'HGST HUS726T4TALA6L4', vendor: 'ATA', sizeBucket: '2-4TiB' }, 5],
  [{ model: 'TOSHIBA MG04ACA400N', vendor: 'ATA', sizeBucket: '2-4TiB' }, 4],
  [{ model: 'WDC WD4003FRYZ-01F0DB0', vendor: 'ATA', sizeBucket: '2-4TiB' }, 3],
  [{ model: 'ST8000NM000A-2KE101', vendor: 'ATA', sizeBucket: '4-8TiB' }, 3],
  [{ model: 'TOSHIBA MG08ACA16TE', vendor: 'ATA', sizeBucket: '8-16TiB' }, 2],
  [{ model: 'ST2000NM0055-1V4104', vendor: 'ATA', sizeBucket: '1-2TiB' }, 3],
];
const VIRTUAL_DISK: DiskModel = { model: 'QEMU HARDDISK', vendor: 'QEMU', sizeBucket: '64-128GiB' };

type DiskLayout = 'ssd' | 'nvme' | 'hybrid' | 'hdd';
const DISK_LAYOUTS: Weighted<DiskLayout> = [['ssd', 35], ['hybrid', 30], ['nvme', 20], ['hdd', 15]];

interface Product {
  osId: string;
  versionId: string;
  /** /etc/<product>-release line, or null for plain distributions. */
  release: string | null;
  kernel: string;
  cgroup: 'v1' | 'v2';
  virtuozzo: boolean;
}
const vz7 = (version: string, kernel: string): Product => ({
  osId: 'virtuozzo', versionId: '7', release: `Virtuozzo release ${version}`, kernel, cgroup: 'v1', virtuozzo: true,
});
/** Oldest first within a line, so an upgrade moves one step along it. */
const PRODUCT_LINES: Weighted<Product[]> = [
  [[
    vz7('7.0.14 (269)', '3.10.0-1062.12.1.vz7.131.10'),
    vz7('7.5.1 (17)', '3.10.0-1160.21.1.vz7.174.13'),
    vz7('7.5.3 (182)', '3.10.0-1160.53.1.vz7.185.3'),
    vz7('7.5.4 (24)', '3.10.0-1160.80.1.vz7.191.4'),
    vz7('7.5.4 (31)', '3.10.0-1160.90.1.vz7.200.7'),
  ], 70],
  [[
    { osId: 'virtuozzo', versionId: '9', release: 'Virtuozzo Hybrid Server release 9.0.1 (145)', kernel: '5.14.0-70.22.1.vz9.17.12', cgroup: 'v2', virtuozzo: true },
    { osId: 'virtuozzo', versionId: '9', release: 'Virtuozzo Hybrid Server release 9.1.0 (62)', kernel: '5.14.0-284.25.1.vz9.30.8', cgroup: 'v2', virtuozzo: true },
  ], 10],
  [[
    { osId: 'openvz', versionId: '7', release: 'OpenVZ release 7.0.18 (183)', kernel: '3.10.0-1160.80.1.vz7.191.4', cgroup: 'v1', virtuozzo: true },
    { osId: 'openvz', versionId: '7', release: 'OpenVZ release 7.0.19 (225)', kernel: '3.10.0-1160.90.1.vz7.200.7', cgroup: 'v1', virtuozzo: true },
  ], 14],
  [[
    { osId: 'centos', versionId: '7', release: null, kernel: '3.10.0-1160.102.1.el7.x86_64', cgroup: 'v1', virtuozzo: false },
    { osId: 'centos', versionId: '7', release: null, kernel: '3.10.0-1160.108.1.el7.x86_64', cgroup: 'v1', virtuozzo: false },
  ], 3],
  [[
    { osId: 'ubuntu', versionId: '22.04', release: null, kernel: '5.15.0-91-generic', cgroup: 'v2', virtuozzo: false },
    { osId: 'ubuntu', versionId: '22.04', release: null, kernel: '5.15.0-94-generic', cgroup: 'v2', virtuozzo: false },
  ], 3],
];

const GUEST_OS: Weighted<string> = [
  ['win-2019', 10], ['centos7', 9], ['ubuntu-22.04', 8], ['win-2022', 6], ['debian-11', 5], ['ubuntu-20.04', 5],
  ['almalinux-9', 4], ['win-2016', 4], ['rhel8', 2], ['rocky-8', 2], ['win-10', 1], ['freebsd-13', 0.5],
];
const TEMPLATES: Weighted<string> = [
  ['centos-7-x86_64', 10], ['ubuntu-20.04-x86_64', 8], ['ubuntu-22.04-x86_64', 7], ['debian-11-x86_64', 6], ['almalinux-8-x86_64', 5],
  ['vzlinux-8-x86_64', 4], ['debian-10-x86_64', 3], ['centos-6-x86_64', 2], ['almalinux-9-x86_64', 2], ['ubuntu-18.04-x86_64', 2],
];
const NIC_SPEEDS: Weighted<number> = [[1000, 30], [10000, 45], [25000, 18], [100000, 4], [40000, 3]];
const NIC_DRIVERS: Record<number, string> = { 1000: 'igb', 10000: 'ixgbe', 25000: 'mlx5_core', 40000: 'i40e', 100000: 'mlx5_core' };
const BONDING_MODES: Weighted<string> = [
  ['IEEE 802.3ad Dynamic link aggregation', 60],
  ['fault-tolerance (active-backup)', 35],
  ['load balancing (round-robin)', 5],
];
const VZ_SERVICES = ['vz', 'vzevent', 'prl-disp', 'libvirtd', 'vcmmd', 'shaman', 'readykernel', 'vzlicmonitor', 'chronyd', 'sshd', 'firewalld', 'cep-agent'];
const PLAIN_SERVICES = ['sshd', 'chronyd', 'firewalld', 'cep-agent', 'docker', 'containerd'];

/** Collector outputs by name; `null` means the collector had nothing to read on this host (not-available). */
export type HostCollectors = { [N in BuiltinCollectorName]: CollectorOutput<N> | null };

export interface Archetype {
  index: number;
  collectors: HostCollectors;
  profile: HostProfile;
  /** profileAttributes(profile), exactly as host_profile.attributes stores them (no country). */
  attributes: AttributeCounts;
  digest: string;
  fingerprint: string | null;
  /** What a crash on such a host says about its hardware itself (cpuinfo, DMI). */
  crashFacts: HardwareFacts;
  kernel: string;
  osRelease: string;
  productVersion: string;
}

/** Parses every output with the hub's schema: the bench must never measure data the hub would reject. */
export function validatedCollectors(collectors: HostCollectors): HostCollectors {
  for (const name of BUILTIN_COLLECTOR_NAMES) {
    const data = collectors[name];
    if (data === null) continue;
    const parsed = CEP_COLLECTOR_SCHEMAS[name].schema.safeParse(data);
    if (!parsed.success) throw new Error(`synthetic ${name} output is invalid: ${parsed.error.message}`);
  }
  return collectors;
}

export function latestData(collectors: HostCollectors): LatestCollectorData {
  return Object.fromEntries(Object.entries(collectors).filter(([, data]) => data !== null)) as LatestCollectorData;
}

function histogramOf(random: SeededRandom, items: Weighted<string>, total: number, kinds: number): Record<string, number> {
  const picks = Array.from({ length: Math.max(1, kinds) }, () => weighted(random, items));
  const out: Record<string, number> = {};
  for (let i = 0; i < total; i++) {
    const key = picks[random.int(picks.length)]!;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

interface HostShape {
  cpu: CpuModel;
  guest: boolean;
  server: { vendor: string; model: string; bios: string };
  memoryGiB: number;
  disks: CollectorOutput<'disks'>['disks'];
  line: Product[];
  step: number;
  readyKernel: boolean;
  vms: number;
  containers: number;
  simfs: boolean;
  cluster: boolean;
  bonds: number;
  team: boolean;
  nicSpeed: number;
  nics: number;
}

function drawDisks(random: SeededRandom, guest: boolean): CollectorOutput<'disks'>['disks'] {
  const disk = (kind: 'ssd' | 'hdd' | 'nvme' | 'unknown', m: DiskModel) => ({ kind, vendor: m.vendor, model: m.model, sizeBucket: m.sizeBucket, removable: false });
  if (guest) return Array.from({ length: 1 + random.int(2) }, () => disk('unknown', VIRTUAL_DISK));
  const layout = weighted(random, DISK_LAYOUTS);
  const ssd = weighted(random, SSDS);
  const out: CollectorOutput<'disks'>['disks'] = [];
  if (layout === 'ssd') for (let i = 0, n = 2 + 2 * random.int(4); i < n; i++) out.push(disk('ssd', ssd));
  if (layout === 'nvme') {
    const nvme = weighted(random, NVMES);
    for (let i = 0, n = 2 + random.int(3); i < n; i++) out.push(disk('nvme', nvme));
    if (random.next() < 0.5) out.push(disk('ssd', ssd), disk('ssd', ssd));
  }
  if (layout === 'hybrid' || layout === 'hdd') {
    const hdd = weighted(random, HDDS);
    if (layout === 'hybrid') out.push(disk('ssd', ssd), disk('ssd', ssd));
    for (let i = 0, n = 2 + 2 * random.int(6); i < n; i++) out.push(disk('hdd', hdd));
  }
  // A forgotten USB stick: reported, but not part of the server's profile.
  if (random.next() < 0.03) out.push({ kind: 'unknown', vendor: 'SanDisk', model: 'Ultra USB 3.0', sizeBucket: '<64GiB', removable: true });
  return out;
}

function drawShape(random: SeededRandom, cpu?: CpuModel): HostShape {
  const guest = !cpu && random.next() < 0.08;
  const line = weighted(random, PRODUCT_LINES);
  const server = weighted(random, SERVERS);
  const virtuozzo = line[0]!.virtuozzo;
  const vms = virtuozzo && random.next() < 0.45 ? 1 + Math.floor(random.next() ** 2 * 60) : 0;
  return {
    cpu: cpu ?? weighted(random, guest ? GUEST_CPUS : CPUS),
    guest,
    server: guest ? { vendor: 'QEMU', model: 'Standard PC (Q35 + ICH9, 2009)', bios: 'SeaBIOS' } : { ...server, model: weighted(random, server.models) },
    memoryGiB: guest ? weighted(random, [[16, 1], [32, 2], [64, 1]]) : weighted(random, MEMORY_GIB),
    disks: drawDisks(random, guest),
    line,
    // Most hosts run one of the newer releases of their line.
    step: Math.max(0, line.length - 1 - Math.floor(random.next() ** 1.5 * line.length)),
    readyKernel: virtuozzo && random.next() < 0.6,
    vms,
    containers: virtuozzo && (vms === 0 || random.next() < 0.5) ? 1 + Math.floor(random.next() ** 2 * 300) : 0,
    simfs: random.next() < 0.05,
    cluster: virtuozzo && !guest && random.next() < 0.15,
    bonds: guest ? 0 : random.next() < 0.45 ? (random.next() < 0.15 ? 2 : 1) : 0,
    team: !guest && random.next() < 0.03,
    nicSpeed: guest ? 10000 : weighted(random, NIC_SPEEDS),
    nics: guest ? 1 : 2 + random.int(5),
  };
}

function collectorsOf(shape: HostShape, random: SeededRandom): HostCollectors {
  const product = shape.line[shape.step]!;
  const { cpu } = shape;
  const logical = cpu.sockets * cpu.cores * cpu.threads;
  const totalMiB = Math.round(shape.memoryGiB * 1024 * 0.973);
  const usedPercent = 20 + random.int(70);
  const vz = product.virtuozzo;
  const guestOs = shape.vms ? histogramOf(random, GUEST_OS, shape.vms, 1 + random.int(5)) : {};
  const templates = shape.containers ? histogramOf(random, TEMPLATES, shape.containers, 1 + random.int(4)) : {};
  const simfsCts = shape.simfs ? Math.ceil(shape.containers / 3) : 0;
  const kernelBuild = product.kernel.replace(/^.*\.vz\d\./, '');
  const nicList = Array.from({ length: shape.nics }, (_, i) => ({
    driver: shape.guest ? 'virtio_net' : (NIC_DRIVERS[shape.nicSpeed] ?? 'ixgbe'),
    speedMbps: i < 2 || random.next() < 0.5 ? shape.nicSpeed : null,
    operState: (i < 2 ? 'up' : 'down') as 'up' | 'down',
  }));
  const bondMode = weighted(random, BONDING_MODES);
  return validatedCollectors({
    hardware: {
      systemVendor: shape.server.vendor,
      productName: shape.server.model,
      productFamily: shape.guest ? null : 'Server',
      biosVendor: shape.server.bios,
      virtualization: shape.guest
        ? { role: 'guest', system: 'kvm', virtuozzoHost: vz }
        : { role: vz ? 'host' : 'none', system: vz ? 'openvz' : 'none', virtuozzoHost: vz },
    },
    network: {
      nicCount: shape.nics,
      nics: nicList,
      bonds: Array.from({ length: shape.bonds }, () => ({ mode: bondMode, slaveCount: 2, slaveSpeedsMbps: [shape.nicSpeed, shape.nicSpeed], miiStatusUp: 2 })),
      teams: shape.team ? [{ runner: 'lacp', portCount: 2 }] : [],
      bridgeCount: vz ? 1 + random.int(3) : 0,
    },
    memory: {
      totalMiB,
      availableMiB: Math.round((totalMiB * (100 - usedPercent)) / 100),
      availableEstimated: false,
      usedPercent,
      swapTotalMiB: 8192,
      swapUsedPercent: random.int(10),
    },
    cpu: {
      vendor: cpu.vendor,
      model: cpu.model,
      logicalCpus: logical,
      sockets: cpu.sockets,
      coresPerSocket: cpu.cores,
      virtualizationFlags: cpu.vendor === 'AuthenticAMD' ? ['svm'] : ['vmx'],
      hypervisorFlag: shape.guest,
    },
    disks: { disks: shape.disks, mdRaidLevels: shape.disks.length > 2 && random.next() < 0.3 ? { raid1: 1 } : {} },
    'vm-guests': vz
      ? { total: shape.vms, byState: shape.vms ? { running: shape.vms } : {}, guestOs, guestToolsInstalled: Math.floor(shape.vms * 0.8) }
      : null,
    'vm-settings': vz
      ? { total: shape.vms, cpuCount: shape.vms ? { '3-4': shape.vms } : {}, memory: shape.vms ? { '<=8GiB': shape.vms } : {}, diskCount: shape.vms ? { '1': shape.vms } : {}, autostart: shape.vms, highAvailability: 0 }
      : null,
    'container-contents': vz
      ? {
          total: shape.containers,
          byState: shape.containers ? { running: shape.containers } : {},
          osTemplates: templates,
          layouts: shape.containers ? (simfsCts ? { ploop: shape.containers - simfsCts, simfs: simfsCts } : { ploop: shape.containers }) : {},
        }
      : null,
    'container-settings': vz
      ? { total: shape.containers, cpus: shape.containers ? { '2': shape.containers } : {}, ram: shape.containers ? { '<=4GiB': shape.containers } : {}, diskSpace: shape.containers ? { '<=64GiB': shape.containers } : {}, onBoot: shape.containers, vswap: shape.containers }
      : null,
    services: { enabled: vz ? VZ_SERVICES.filter(() => random.next() < 0.9) : PLAIN_SERVICES },
    software: {
      packageManager: product.osId === 'ubuntu' ? 'dpkg' : 'rpm',
      packages: vz
        ? [
            { name: 'glibc', version: '2.17-326.vl7' },
            { name: 'libvirt', version: '8.0.0-10.vz7' },
            { name: 'libvirt-daemon', version: '8.0.0-10.vz7' },
            { name: 'libvirt-daemon-kvm', version: '8.0.0-10.vz7' },
            { name: 'ploop', version: '7.0.272-1.vz7' },
            { name: 'prl-disp-service', version: '7.0.1398-1.vz7' },
            { name: 'prlctl', version: '7.0.248-1.vz7' },
            { name: 'qemu-kvm-vz', version: '2.12.0-18.6.vz7' },
            ...(shape.readyKernel ? [{ name: 'readykernel-scan', version: '0.13-1.vl7' }] : []),
            { name: 'shaman', version: '2.3.1-1.vz7' },
            { name: 'systemd', version: '219-78.vl7' },
            { name: 'vcmmd', version: '8.0.111-1.vz7' },
            ...(shape.cluster ? [{ name: 'vstorage-chunk-server', version: '7.12.9-1.vz7' }, { name: 'vstorage-client', version: '7.12.9-1.vz7' }] : []),
            { name: 'vzctl', version: '7.0.240-1.vz7' },
            { name: 'vzkernel', version: product.kernel.replace(/\.x86_64$/, '') },
            { name: 'vzquota', version: '3.1-1.vz7' },
          ]
        : [
            { name: product.osId === 'ubuntu' ? 'libc6' : 'glibc', version: product.osId === 'ubuntu' ? '2.35-0ubuntu3.4' : '2.17-326.el7' },
            { name: 'openssh-server', version: product.osId === 'ubuntu' ? '1:8.9p1-3ubuntu0.6' : '7.4p1-23.el7' },
            { name: 'systemd', version: product.osId === 'ubuntu' ? '249.11-0ubuntu3.11' : '219-78.el7' },
          ],
    },
    clusters: vz ? { vstorage: { configuredClusters: shape.cluster ? 1 : 0, mountedClusters: shape.cluster ? 1 : 0, mdsCount: shape.cluster ? { '3-4': 1 } : {} } } : null,
    cgroups: {
      version: product.cgroup,
      controllers: ['cpu', 'memory', 'blkio', 'pids'].map((name) => ({ name, enabled: true, cgroups: product.cgroup === 'v1' ? 40 + shape.containers : null })),
    },
    simfs: { simfsMounts: simfsCts, simfsContainers: vz ? simfsCts : null, ploopMounts: shape.containers - simfsCts },
    'static-settings': {
      kernelRelease: product.kernel,
      arch: 'x86_64',
      os: { id: product.osId, versionId: product.versionId, name: product.release?.replace(/ release.*$/, '') ?? product.osId },
      productVersion: product.release,
      readyKernelPatch: shape.readyKernel ? `${kernelBuild}-${1 + random.int(4)}` : null,
      vzConf: vz ? { VE_LAYOUT: 'ploop', VEFSTYPE: 'ext4', IPV6: 'yes' } : {},
      sysctl: { 'net.ipv4.ip_forward': '1', 'vm.swappiness': String(10 * random.int(7)) },
    },
  });
}

function archetypeOf(index: number, shape: HostShape, collectors: HostCollectors): Archetype {
  const profile = buildHostProfile(latestData(collectors));
  const product = shape.line[shape.step]!;
  return {
    index,
    collectors,
    profile,
    attributes: profileAttributes(profile),
    digest: profileDigest(profile),
    fingerprint: hardwareFingerprint(profile),
    crashFacts: {
      cpuVendor: shape.cpu.vendor,
      cpuModel: shape.cpu.model,
      cpuCount: shape.cpu.sockets * shape.cpu.cores * shape.cpu.threads,
      systemVendor: shape.server.vendor,
      systemModel: shape.server.model,
    },
    kernel: product.kernel,
    osRelease: `${product.osId} ${product.versionId}`,
    productVersion: product.release?.replace(/^.*release /, '') ?? product.versionId,
  };
}

/**
 * `count` common archetypes plus a few rare ones with RARE_CPU; `weights` give the common ones a
 * Zipf-like popularity and the rare ones together `rareShare` of the fleet.
 */
export class FleetModel {
  readonly archetypes: Archetype[] = [];
  readonly weights: number[] = [];
  readonly rare: Set<number> = new Set();
  private readonly shapes: HostShape[] = [];
  private readonly upgrades = new Map<number, Archetype>();
  private readonly cumulative: number[];

  constructor(private readonly random: SeededRandom, count: number, rareShare: number) {
    for (let i = 0; i < count; i++) this.add(drawShape(random), 1 / (i + 1) ** 0.8);
    const common = this.weights.reduce((a, b) => a + b, 0);
    // Several differing machines share the rare CPU, so it is the only thing common to all of them.
    const rareCount = 4;
    for (let i = 0; i < rareCount; i++) this.rare.add(this.add(drawShape(random, RARE_CPU), (common * rareShare) / (1 - rareShare) / rareCount).index);
    let sum = 0;
    this.cumulative = this.weights.map((w) => (sum += w));
  }

  private add(shape: HostShape, weight: number): Archetype {
    const archetype = archetypeOf(this.archetypes.length, shape, collectorsOf(shape, this.random));
    this.archetypes.push(archetype);
    this.shapes.push(shape);
    this.weights.push(weight);
    return archetype;
  }

  /** A host's archetype, drawn by popularity (binary search on cumulative weights). */
  draw(random: SeededRandom): Archetype {
    const roll = random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > roll) hi = mid;
      else lo = mid + 1;
    }
    return this.archetypes[lo]!;
  }

  /**
   * The same machine after an update: the next release of its product line, or a newer ReadyKernel
   * patch when a Virtuozzo host already runs the newest; null when neither applies. Memoized, so
   * upgraded hosts share profiles too.
   */
  upgrade(archetype: Archetype): Archetype | null {
    const known = this.upgrades.get(archetype.index);
    if (known) return known;
    const base = this.shapes[archetype.index]!;
    const next = base.step + 1 < base.line.length;
    if (!next && !base.line[0]!.virtuozzo) return null;
    const shape: HostShape = next ? { ...base, step: base.step + 1 } : { ...base, readyKernel: true };
    const collectors = structuredClone(archetype.collectors);
    const product = shape.line[shape.step]!;
    const settings = collectors['static-settings']!;
    const patch = Number(/-(\d+)$/.exec(settings.readyKernelPatch ?? '')?.[1] ?? 0);
    settings.kernelRelease = product.kernel;
    settings.productVersion = product.release;
    settings.readyKernelPatch = shape.readyKernel ? `${product.kernel.replace(/^.*\.vz\d\./, '')}-${next ? 1 : patch + 1}` : null;
    const upgraded = archetypeOf(this.archetypes.length, shape, validatedCollectors(collectors));
    this.archetypes.push(upgraded);
    this.shapes.push(shape);
    // Only existing hosts upgrade: new hosts never draw an upgrade directly.
    this.weights.push(0);
    this.upgrades.set(archetype.index, upgraded);
    if (this.rare.has(archetype.index)) this.rare.add(upgraded.index);
    return upgraded;
  }
}

export const COUNTRIES: Weighted<string | null> = [
  ['US', 18], ['DE', 14], ['RU', 9], ['NL', 7], ['FR', 6], ['GB', 5], ['PL', 4], ['CA', 3], ['CZ', 3], ['IT', 3], ['ES', 3],
  ['UA', 2], ['SG', 2], ['JP', 2], ['AU', 2], ['BR', 2], ['IN', 2], ['TR', 1.5], ['SE', 1.5], ['CH', 1.5], ['FI', 1], ['AT', 1],
  ['BG', 1], ['RO', 1], ['HK', 0.8], ['LT', 0.8], ['KZ', 0.7], ['LV', 0.6], ['IL', 0.6], ['EE', 0.5], ['ZA', 0.5], ['MX', 0.5],
  ['AR', 0.3], ['NZ', 0.3], ['IS', 0.05], [null, 1],
];

/**
 * What a host reports the day after `previous`: the same machine with the moment's usage (memory,
 * swap) and, when `vmDelta` is not 0, VMs created or deleted — which changes its profile.
 */
export function nextDayCollectors(previous: HostCollectors, random: SeededRandom, vmDelta: number): HostCollectors {
  const collectors = structuredClone(previous);
  const memory = collectors.memory!;
  memory.usedPercent = 15 + random.int(80);
  memory.availableMiB = Math.round((memory.totalMiB * (100 - memory.usedPercent)) / 100);
  memory.swapUsedPercent = random.int(20);
  const guests = collectors['vm-guests'];
  if (guests && vmDelta !== 0 && guests.total + vmDelta >= 0) {
    const os = Object.keys(guests.guestOs)[0] ?? 'centos7';
    guests.total += vmDelta;
    guests.guestOs[os] = (guests.guestOs[os] ?? 0) + vmDelta;
    if (guests.guestOs[os]! <= 0) delete guests.guestOs[os];
    guests.byState = guests.total ? { running: guests.total } : {};
    guests.guestToolsInstalled = Math.min(guests.guestToolsInstalled, guests.total);
  }
  return validatedCollectors(collectors);
}
