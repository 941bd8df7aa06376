import { z } from 'zod';

/**
 * Output schemas of the built-in collectors. Objects are strict: a field that is not listed here
 * cannot leave the host (allow-list by schema), and the hub parses with the same schemas.
 * Bump a collector's version on any incompatible change to its shape.
 */

/** Short identifier-like values (drivers, modes, template names); rejects free text. */
const token = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._+:()@/~,-]{0,79}$/);
const count = z.number().int().nonnegative();
/** Value → how many hosts objects have it (guest OS, template, state…). */
const histogram = z.record(token, count);

export const SIZE_BUCKETS = [
  '<64GiB',
  '64-128GiB',
  '128-256GiB',
  '256-512GiB',
  '512GiB-1TiB',
  '1-2TiB',
  '2-4TiB',
  '4-8TiB',
  '8-16TiB',
  '>=16TiB',
] as const;
export const sizeBucketSchema = z.enum(SIZE_BUCKETS);

const virtualizationSchema = z.strictObject({
  /** `host` = this machine runs guests (OpenVZ/Virtuozzo node, KVM host); `guest` = it is one. */
  role: z.enum(['host', 'guest', 'none']),
  system: z.enum(['openvz', 'kvm', 'vmware', 'virtualbox', 'xen', 'hyperv', 'qemu', 'lxc', 'docker', 'none', 'unknown']),
  virtuozzoHost: z.boolean(),
});

export const hardwareOutputSchema = z.strictObject({
  systemVendor: token.nullable(),
  productName: token.nullable(),
  productFamily: token.nullable(),
  biosVendor: token.nullable(),
  virtualization: virtualizationSchema,
});

export const networkOutputSchema = z.strictObject({
  nicCount: count,
  nics: z.array(
    z.strictObject({
      driver: token.nullable(),
      speedMbps: count.nullable(),
      operState: z.enum(['up', 'down', 'unknown', 'other']),
    }),
  ),
  bonds: z.array(
    z.strictObject({
      mode: token.nullable(),
      slaveCount: count,
      slaveSpeedsMbps: z.array(count),
      miiStatusUp: count,
    }),
  ),
  teams: z.array(z.strictObject({ runner: token.nullable(), portCount: count })),
  bridgeCount: count,
});

export const memoryOutputSchema = z.strictObject({
  totalMiB: count,
  availableMiB: count,
  /** True when MemAvailable is missing (old kernels) and was estimated from Free+Buffers+Cached. */
  availableEstimated: z.boolean(),
  usedPercent: z.number().min(0).max(100),
  swapTotalMiB: count,
  swapUsedPercent: z.number().min(0).max(100),
});

export const cpuOutputSchema = z.strictObject({
  vendor: token.nullable(),
  model: token.nullable(),
  logicalCpus: count,
  sockets: count.nullable(),
  coresPerSocket: count.nullable(),
  virtualizationFlags: z.array(z.enum(['vmx', 'svm'])),
  hypervisorFlag: z.boolean(),
});

export const disksOutputSchema = z.strictObject({
  disks: z.array(
    z.strictObject({
      kind: z.enum(['ssd', 'hdd', 'nvme', 'unknown']),
      vendor: token.nullable(),
      model: token.nullable(),
      sizeBucket: sizeBucketSchema,
      removable: z.boolean(),
    }),
  ),
  mdRaidLevels: histogram,
});

const stateHistogram = z.partialRecord(z.enum(['running', 'stopped', 'suspended', 'paused', 'mounted', 'other']), count);

export const vmGuestsOutputSchema = z.strictObject({
  total: count,
  byState: stateHistogram,
  guestOs: histogram,
  guestToolsInstalled: count,
});

const bucketHistogram = z.record(z.string().regex(/^[<>=0-9.-]+(GiB|MiB|TiB)?$/), count);

export const vmSettingsOutputSchema = z.strictObject({
  total: count,
  cpuCount: bucketHistogram,
  memory: bucketHistogram,
  diskCount: bucketHistogram,
  autostart: count,
  highAvailability: count,
});

export const containerContentsOutputSchema = z.strictObject({
  total: count,
  byState: stateHistogram,
  osTemplates: histogram,
  layouts: z.partialRecord(z.enum(['ploop', 'simfs', 'other']), count),
});

export const containerSettingsOutputSchema = z.strictObject({
  total: count,
  cpus: bucketHistogram,
  ram: bucketHistogram,
  diskSpace: bucketHistogram,
  onBoot: count,
  vswap: count,
});

export const servicesOutputSchema = z.strictObject({
  enabled: z.array(token),
});

export const softwareOutputSchema = z.strictObject({
  packageManager: z.enum(['rpm', 'dpkg']),
  packages: z.array(z.strictObject({ name: token, version: token })),
});

export const clustersOutputSchema = z.strictObject({
  vstorage: z.strictObject({
    configuredClusters: count,
    mountedClusters: count,
    /** Metadata-server count bucket per configured cluster, a proxy for cluster size. */
    mdsCount: bucketHistogram,
  }),
});

export const cgroupsOutputSchema = z.strictObject({
  version: z.enum(['v1', 'v2', 'hybrid', 'unknown']),
  controllers: z.array(z.strictObject({ name: token, enabled: z.boolean(), cgroups: count.nullable() })),
});

export const simfsOutputSchema = z.strictObject({
  simfsMounts: count,
  simfsContainers: count.nullable(),
  ploopMounts: count,
});

export const staticSettingsOutputSchema = z.strictObject({
  kernelRelease: token.nullable(),
  arch: token.nullable(),
  os: z.strictObject({ id: token.nullable(), versionId: token.nullable(), name: token.nullable() }),
  productVersion: token.nullable(),
  readyKernelPatch: token.nullable(),
  vzConf: z.record(token, token),
  sysctl: z.record(token, token),
});

export const CEP_COLLECTOR_SCHEMAS = {
  hardware: { version: 1, schema: hardwareOutputSchema },
  network: { version: 1, schema: networkOutputSchema },
  memory: { version: 1, schema: memoryOutputSchema },
  cpu: { version: 1, schema: cpuOutputSchema },
  disks: { version: 1, schema: disksOutputSchema },
  'vm-guests': { version: 1, schema: vmGuestsOutputSchema },
  'vm-settings': { version: 1, schema: vmSettingsOutputSchema },
  'container-contents': { version: 1, schema: containerContentsOutputSchema },
  'container-settings': { version: 1, schema: containerSettingsOutputSchema },
  services: { version: 1, schema: servicesOutputSchema },
  software: { version: 1, schema: softwareOutputSchema },
  clusters: { version: 1, schema: clustersOutputSchema },
  cgroups: { version: 1, schema: cgroupsOutputSchema },
  simfs: { version: 1, schema: simfsOutputSchema },
  'static-settings': { version: 1, schema: staticSettingsOutputSchema },
} as const;

export type BuiltinCollectorName = keyof typeof CEP_COLLECTOR_SCHEMAS;
export const BUILTIN_COLLECTOR_NAMES = Object.keys(CEP_COLLECTOR_SCHEMAS) as BuiltinCollectorName[];
export type CollectorOutput<N extends BuiltinCollectorName> = z.infer<(typeof CEP_COLLECTOR_SCHEMAS)[N]['schema']>;

/**
 * External scripts appear in reports as `script.<collector>`, the name their manifest declares (never
 * their file name), or `script.undeclared-<n>` (rejected, not run) without one; version 0 (the agent
 * cannot know theirs); their data is a JSON object of declared fields, size-capped and scrubbed by the agent.
 */
export const EXTERNAL_SCRIPT_PREFIX = 'script.';
export const EXTERNAL_SCRIPT_VERSION = 0;
