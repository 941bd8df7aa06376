import { RIG_LABEL_KEYS } from '../../contracts/src/crash/crash-delivery';
import type { HardwareFacts } from '../../crash-reports/src/crash-input';
import { cleanValue, cpuCountBucket, diskCountBucket, normalizeCpuVendor, OTHER_PRODUCT, type HostProfile } from './host-profile';

/** `attribute=value` → how many objects (VMs, disks, NICs…) stand behind it on one host. */
export type AttributeCounts = Record<string, number>;

/**
 * Every attribute, with what its value and its objects are. Yes/no attributes count the host as their
 * one object unless said otherwise.
 */
export const ATTRIBUTE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  product: 'Virtuozzo, OpenVZ or other, from os-release ID (or a Virtuozzo node seen by the hardware collector)',
  'product.version': 'product and its version, e.g. "Virtuozzo 7.5.1 (17)"',
  os: 'os-release ID and VERSION_ID',
  kernel: 'running kernel release',
  arch: 'machine architecture',
  readykernel: 'yes/no: a ReadyKernel patch is loaded',
  'readykernel.patch': 'loaded ReadyKernel patch version',
  'uses.vms': 'yes/no: the host runs VMs; objects are its VMs (the host itself when no)',
  'uses.containers': 'yes/no: the host runs containers; objects are its containers (the host itself when no)',
  'guest.os': 'guest OS of VMs; objects are VMs',
  'container.template': 'OS template of containers; objects are containers',
  'container.layout': 'ploop, simfs or other; objects are containers',
  'cpu.vendor': 'CPU vendor, aliases folded (GenuineIntel → Intel)',
  'cpu.model': 'CPU model name',
  'cpu.sockets': 'CPU sockets',
  'cpu.count': 'logical CPUs, bucketed',
  'memory.size': 'installed memory, bucketed',
  'disk.kind': 'ssd, hdd, nvme or unknown; objects are disks',
  'disk.model': 'disk model; objects are disks',
  'disk.size': 'disk size bucket; objects are disks',
  'disk.count': 'non-removable disks, bucketed',
  'nic.speed': 'NIC link speed (1G, 10G…); objects are NICs with a link',
  bonding: 'yes/no: the host has bonded interfaces',
  'bonding.mode': 'bonding mode; objects are bonds',
  teaming: 'yes/no: the host has teamd interfaces',
  'teaming.runner': 'teamd runner; objects are teams',
  cluster: 'yes/no: a Virtuozzo Storage cluster is configured',
  'cgroup.version': 'v1, v2, hybrid or unknown',
  simfs: 'yes/no: simfs is in use (mounts or containers)',
  'system.vendor': 'DMI system vendor',
  'system.model': 'DMI product name',
  'virt.system': 'hypervisor the host itself runs under (only for hosts that are guests)',
  country: 'country the host reports from',
  origin: 'crashes only: rig (a test rig label is present) or field',
  'kernel.taint': 'crashes only: kernel taint flag at the crash (P, O, E…), one value per flag',
};
export const ATTRIBUTES: readonly string[] = Object.keys(ATTRIBUTE_DESCRIPTIONS);

export function attributeKey(attribute: string, value: string): string {
  return `${attribute}=${value}`;
}

/** Attribute names never hold `=`, values may. */
export function splitAttributeKey(key: string): { attribute: string; value: string } {
  const at = key.indexOf('=');
  return at < 0 ? { attribute: key, value: '' } : { attribute: key.slice(0, at), value: key.slice(at + 1) };
}

class AttributeCollector {
  readonly counts: AttributeCounts = {};

  put(attribute: string, value: string | number | null | undefined, objects = 1): void {
    const clean = value === null || value === undefined ? null : cleanValue(String(value));
    if (clean === null || objects <= 0) return;
    const key = attributeKey(attribute, clean);
    this.counts[key] = (this.counts[key] ?? 0) + objects;
  }

  yesNo(attribute: string, yes: boolean, objects = 1): void {
    this.put(attribute, yes ? 'yes' : 'no', yes ? objects : 1);
  }

  histogram(attribute: string, histogram: Record<string, number>): void {
    for (const [value, objects] of Object.entries(histogram)) this.put(attribute, value, objects);
  }
}

export function profileAttributes(profile: HostProfile, country?: string | null): AttributeCounts {
  const out = new AttributeCollector();
  const { software, vms, containers, cpu, disks, network, system } = profile;
  if (software) {
    out.put('product', software.product);
    // An unrecognised product's version is its OS release, already under `os`.
    if (software.productVersion && software.product !== OTHER_PRODUCT) {
      out.put('product.version', `${software.product} ${software.productVersion}`);
    }
    out.put('os', software.os);
    out.put('kernel', software.kernel);
    out.put('arch', software.arch);
    out.yesNo('readykernel', software.readyKernelPatch !== null);
    out.put('readykernel.patch', software.readyKernelPatch);
  }
  if (vms) {
    out.yesNo('uses.vms', vms.total > 0, vms.total);
    out.histogram('guest.os', vms.guestOs);
  }
  if (containers) {
    out.yesNo('uses.containers', containers.total > 0, containers.total);
    out.histogram('container.template', containers.templates);
    out.histogram('container.layout', containers.layouts);
  }
  if (cpu) {
    out.put('cpu.vendor', cpu.vendor);
    out.put('cpu.model', cpu.model);
    out.put('cpu.sockets', cpu.sockets);
    if (cpu.logicalCpus > 0) out.put('cpu.count', cpuCountBucket(cpu.logicalCpus));
  }
  if (profile.memory) out.put('memory.size', profile.memory.sizeBucket);
  if (disks) {
    out.histogram('disk.kind', disks.kinds);
    out.histogram('disk.model', disks.models);
    out.histogram('disk.size', disks.sizeBuckets);
    out.put('disk.count', diskCountBucket(disks.count));
  }
  if (network) {
    out.histogram('nic.speed', network.nicSpeeds);
    const bonds = Object.values(network.bondingModes).reduce((a, b) => a + b, 0);
    out.yesNo('bonding', bonds > 0);
    out.histogram('bonding.mode', network.bondingModes);
    const teams = Object.values(network.teamingRunners).reduce((a, b) => a + b, 0);
    out.yesNo('teaming', teams > 0);
    out.histogram('teaming.runner', network.teamingRunners);
  }
  if (profile.clusters) out.yesNo('cluster', profile.clusters.configured > 0);
  if (profile.cgroups) out.put('cgroup.version', profile.cgroups.version);
  if (profile.simfs || containers) {
    const simfsContainers = profile.simfs?.containers ?? 0;
    out.yesNo('simfs', (profile.simfs?.mounts ?? 0) > 0 || simfsContainers > 0 || (containers?.layouts.simfs ?? 0) > 0);
  }
  if (system) {
    out.put('system.vendor', system.vendor);
    out.put('system.model', system.product);
    if (system.virtualizationRole === 'guest') out.put('virt.system', system.virtualizationSystem);
  }
  out.put('country', country);
  return out.counts;
}

export interface CrashAttributeInput {
  hardware: HardwareFacts;
  kernel?: string | null;
  labels: Record<string, string>;
  country?: string | null;
  /** The host's profile attributes valid at crash time, when the host sends CEP reports. */
  profile?: AttributeCounts | null;
}

const RIG_LABELS: readonly string[] = Object.values(RIG_LABEL_KEYS);

/**
 * The host's profile, overlaid with what the crash itself says (it describes the machine at crash time);
 * a host that never sent CEP data still gets the attributes its crash carries.
 */
export function crashAttributes(input: CrashAttributeInput): string[] {
  const { hardware } = input;
  const crash = new AttributeCollector();
  crash.put('cpu.vendor', normalizeCpuVendor(hardware.cpuVendor));
  crash.put('cpu.model', hardware.cpuModel);
  if (hardware.cpuCount !== undefined && hardware.cpuCount > 0) crash.put('cpu.count', cpuCountBucket(hardware.cpuCount));
  // A kernel's "Hardware name:" line is split at its first space ("Gigabyte Technology Co., Ltd."
  // loses words), so the profile's DMI values win where the host sent them.
  const profileHas = (attribute: string) => Object.keys(input.profile ?? {}).some((key) => splitAttributeKey(key).attribute === attribute);
  if (!profileHas('system.vendor')) crash.put('system.vendor', hardware.systemVendor);
  if (!profileHas('system.model')) crash.put('system.model', hardware.systemModel);
  crash.put('kernel', input.kernel);
  for (const flag of hardware.taintFlags ?? []) crash.put('kernel.taint', flag);
  // lsblk inside an installer crash names disks of a host that may never report CEP data.
  if (!profileHas('disk.model')) for (const model of hardware.diskModels ?? []) crash.put('disk.model', model);
  crash.put('country', input.country);
  crash.put('origin', RIG_LABELS.some((key) => Object.hasOwn(input.labels, key)) ? 'rig' : 'field');

  const overlaid = Object.keys(crash.counts);
  const replaced = new Set(overlaid.map((key) => splitAttributeKey(key).attribute));
  const kept = Object.keys(input.profile ?? {}).filter((key) => !replaced.has(splitAttributeKey(key).attribute));
  return [...new Set([...kept, ...overlaid])].sort();
}
