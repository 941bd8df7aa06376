import { createHash } from 'node:crypto';
import { CEP_COLLECTOR_SCHEMAS, type BuiltinCollectorName, type CollectorOutput } from '../../contracts/src/cep';
import vocabularyJson from './data/profile-vocabulary.json';

/** Ordered buckets; a value falls into the first whose `upTo` (inclusive) it does not exceed, else the open-ended last. */
interface Bucket {
  upTo?: number;
  name: string;
}
interface ProfileVocabulary {
  memoryBucketsMiB: Bucket[];
  cpuCountBuckets: Bucket[];
  diskCountBuckets: Bucket[];
  nicSpeedNamesByMbps: Record<string, string>;
  cpuVendorAliases: Record<string, string>;
  bondingModeAliases: Record<string, string>;
  productsByOsId: Record<string, string>;
}
export const PROFILE_VOCABULARY: ProfileVocabulary = vocabularyJson;

/** The normalized current hardware/software profile of a host; a section exists only when its collector reported. */
export interface HostProfile {
  cpu?: { vendor: string | null; model: string | null; sockets: number | null; coresPerSocket: number | null; logicalCpus: number };
  memory?: { sizeBucket: string };
  /** Removable disks (USB sticks, card readers) are excluded: they say nothing about the server. */
  disks?: { count: number; kinds: Record<string, number>; models: Record<string, number>; sizeBuckets: Record<string, number> };
  network?: { nicCount: number; nicSpeeds: Record<string, number>; bondingModes: Record<string, number>; teamingRunners: Record<string, number> };
  system?: { vendor: string | null; product: string | null; virtualizationRole: string; virtualizationSystem: string; virtuozzoHost: boolean };
  software?: { product: string; productVersion: string | null; os: string | null; kernel: string | null; arch: string | null; readyKernelPatch: string | null };
  vms?: { total: number; guestOs: Record<string, number> };
  containers?: { total: number; templates: Record<string, number>; layouts: Record<string, number> };
  clusters?: { configured: number; mounted: number };
  cgroups?: { version: string };
  simfs?: { mounts: number; containers: number | null };
  services?: { enabled: string[] };
}

/** The newest valid output of each built-in collector. */
export type LatestCollectorData = Partial<{ [N in BuiltinCollectorName]: CollectorOutput<N> }>;

/** Bonds and teams whose mode the agent could not read are still bonds. */
const UNKNOWN = 'unknown';

/** Trimmed, inner whitespace collapsed; null when nothing is left. */
export function cleanValue(raw: string | null | undefined): string | null {
  const value = raw?.replace(/\s+/g, ' ').trim();
  return value ? value : null;
}

function bucketOf(value: number, buckets: Bucket[]): string {
  return (buckets.find((b) => b.upTo === undefined || value <= b.upTo) ?? buckets[buckets.length - 1]).name;
}

/** MemTotal sits a little below the installed size, so bucket upper bounds are inclusive: 62.8 GiB reads as 32-64GiB. */
export function memorySizeBucket(totalMiB: number): string {
  return bucketOf(totalMiB, PROFILE_VOCABULARY.memoryBucketsMiB);
}

export function cpuCountBucket(logicalCpus: number): string {
  return bucketOf(logicalCpus, PROFILE_VOCABULARY.cpuCountBuckets);
}

export function diskCountBucket(disks: number): string {
  return bucketOf(disks, PROFILE_VOCABULARY.diskCountBuckets);
}

/** `1G`, `25G`, `100M`…; speeds the vocabulary does not name stay in Mbps. */
export function nicSpeedName(mbps: number): string {
  return PROFILE_VOCABULARY.nicSpeedNamesByMbps[String(mbps)] ?? `${mbps}M`;
}

const lowerKeys = (map: Record<string, string>) => new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
const CPU_VENDORS = lowerKeys(PROFILE_VOCABULARY.cpuVendorAliases);
const BONDING_MODES = lowerKeys(PROFILE_VOCABULARY.bondingModeAliases);
const PRODUCTS = lowerKeys(PROFILE_VOCABULARY.productsByOsId);

/**
 * `GenuineIntel` from cpuinfo and `Intel` from elsewhere must count as one vendor, for CEP profiles and crash
 * facts alike; case-insensitive, unknown vendors pass through cleaned.
 */
export function normalizeCpuVendor(raw: string | null | undefined): string | null {
  const vendor = cleanValue(raw);
  return vendor === null ? null : (CPU_VENDORS.get(vendor.toLowerCase()) ?? vendor);
}

/** /proc/net/bonding spells modes out, sysfs uses the short names; both count as the short name. */
function normalizeBondingMode(raw: string | null): string {
  const mode = cleanValue(raw);
  return mode === null ? UNKNOWN : (BONDING_MODES.get(mode.toLowerCase()) ?? mode);
}

function add(histogram: Record<string, number>, key: string, n = 1): void {
  if (n > 0) histogram[key] = (histogram[key] ?? 0) + n;
}

/** Collector histograms with cleaned keys and without empty buckets. */
function cleanHistogram(source: Record<string, number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(source)) {
    const clean = cleanValue(key);
    if (clean !== null && n !== undefined) add(out, clean, n);
  }
  return out;
}

/** `Virtuozzo release 7.5.1 (17)` → `7.5.1 (17)`: the product is named separately. */
function versionOnly(release: string | null): string | null {
  return cleanValue(release?.replace(/^.*?\brelease\s+/i, ''));
}

function softwareSection(settings: CollectorOutput<'static-settings'>, hardware: CollectorOutput<'hardware'> | undefined): HostProfile['software'] {
  const osId = cleanValue(settings.os.id);
  const versionId = cleanValue(settings.os.versionId);
  const product = (osId && PRODUCTS.get(osId.toLowerCase())) ?? (hardware?.virtualization.virtuozzoHost ? 'Virtuozzo' : OTHER_PRODUCT);
  return {
    product,
    productVersion: versionOnly(settings.productVersion) ?? versionId,
    os: osId === null ? null : versionId === null ? osId : `${osId} ${versionId}`,
    kernel: cleanValue(settings.kernelRelease),
    arch: cleanValue(settings.arch),
    readyKernelPatch: cleanValue(settings.readyKernelPatch),
  };
}

/** Hosts running none of the vendor's products. */
export const OTHER_PRODUCT = 'other';

/** Only records that passed their collector's schema, at the version the hub knows, shape a profile. */
export function latestValidData(records: Array<{ collector: string; version: number; outcome: string; data: unknown }>): LatestCollectorData {
  const latest: Record<string, unknown> = {};
  for (const r of records) {
    const known = Object.hasOwn(CEP_COLLECTOR_SCHEMAS, r.collector) ? CEP_COLLECTOR_SCHEMAS[r.collector as BuiltinCollectorName] : undefined;
    if (r.outcome === 'valid' && known?.version === r.version) latest[r.collector] = r.data;
  }
  return latest as LatestCollectorData;
}

export function buildHostProfile(latest: LatestCollectorData): HostProfile {
  const profile: HostProfile = {};
  const { cpu, memory, disks, network, hardware } = latest;
  if (cpu) {
    profile.cpu = {
      vendor: normalizeCpuVendor(cpu.vendor),
      model: cleanValue(cpu.model),
      sockets: cpu.sockets,
      coresPerSocket: cpu.coresPerSocket,
      logicalCpus: cpu.logicalCpus,
    };
  }
  if (memory) profile.memory = { sizeBucket: memorySizeBucket(memory.totalMiB) };
  if (disks) {
    const fixed = disks.disks.filter((d) => !d.removable);
    const section: NonNullable<HostProfile['disks']> = { count: fixed.length, kinds: {}, models: {}, sizeBuckets: {} };
    for (const disk of fixed) {
      add(section.kinds, disk.kind);
      const model = cleanValue(disk.model);
      if (model !== null) add(section.models, model);
      add(section.sizeBuckets, disk.sizeBucket);
    }
    profile.disks = section;
  }
  if (network) {
    const section: NonNullable<HostProfile['network']> = { nicCount: network.nicCount, nicSpeeds: {}, bondingModes: {}, teamingRunners: {} };
    for (const nic of network.nics) if (nic.speedMbps !== null && nic.speedMbps > 0) add(section.nicSpeeds, nicSpeedName(nic.speedMbps));
    for (const bond of network.bonds) add(section.bondingModes, normalizeBondingMode(bond.mode));
    for (const team of network.teams) add(section.teamingRunners, cleanValue(team.runner) ?? UNKNOWN);
    profile.network = section;
  }
  if (hardware) {
    profile.system = {
      vendor: cleanValue(hardware.systemVendor),
      product: cleanValue(hardware.productName),
      virtualizationRole: hardware.virtualization.role,
      virtualizationSystem: hardware.virtualization.system,
      virtuozzoHost: hardware.virtualization.virtuozzoHost,
    };
  }
  if (latest['static-settings']) profile.software = softwareSection(latest['static-settings'], hardware);
  const guests = latest['vm-guests'];
  if (guests) profile.vms = { total: guests.total, guestOs: cleanHistogram(guests.guestOs) };
  const contents = latest['container-contents'];
  if (contents) {
    profile.containers = { total: contents.total, templates: cleanHistogram(contents.osTemplates), layouts: cleanHistogram(contents.layouts) };
  }
  if (latest.clusters) {
    profile.clusters = { configured: latest.clusters.vstorage.configuredClusters, mounted: latest.clusters.vstorage.mountedClusters };
  }
  if (latest.cgroups) profile.cgroups = { version: latest.cgroups.version };
  if (latest.simfs) profile.simfs = { mounts: latest.simfs.simfsMounts, containers: latest.simfs.simfsContainers };
  if (latest.services) {
    const enabled = latest.services.enabled.map(cleanValue).filter((s): s is string => s !== null);
    profile.services = { enabled: [...new Set(enabled)].sort() };
  }
  return profile;
}

/** JSON with object keys sorted at every depth, so equal values serialize identically whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Equal profiles give equal digests, so an unchanged host needs no new profile version. */
export function profileDigest(profile: HostProfile): string {
  return sha256Hex(canonicalJson(profile));
}
