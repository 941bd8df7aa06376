/**
 * Candidate search parameters that filter by the crashing host's hardware, and the profile
 * attribute each one reads. Values within one parameter are alternatives; parameters combine.
 */
export const HARDWARE_FILTERS = {
  cpuVendor: 'cpu.vendor',
  cpuModel: 'cpu.model',
  diskKind: 'disk.kind',
  memory: 'memory.size',
  bonding: 'bonding',
  bondingMode: 'bonding.mode',
  product: 'product',
  productVersion: 'product.version',
  hostKernel: 'kernel',
  country: 'country',
  origin: 'origin',
} as const;

export type HardwareFilterName = keyof typeof HARDWARE_FILTERS;
export const HARDWARE_FILTER_NAMES = Object.keys(HARDWARE_FILTERS) as HardwareFilterName[];
