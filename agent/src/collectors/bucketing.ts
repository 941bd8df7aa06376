import { SIZE_BUCKETS, type sizeBucketSchema } from '../../../libs/contracts/src/cep';
import type { z } from 'zod';

const GIB = 1024 ** 3;
/** Upper bounds (exclusive) of SIZE_BUCKETS except the last, open-ended one. */
const SIZE_BOUNDS_GIB = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

/** Sizes are bucketed so a report never carries a size exact enough to fingerprint a host. */
export function sizeBucket(bytes: number): z.infer<typeof sizeBucketSchema> {
  const idx = SIZE_BOUNDS_GIB.findIndex((bound) => bytes < bound * GIB);
  return SIZE_BUCKETS[idx === -1 ? SIZE_BUCKETS.length - 1 : idx];
}

/** Small counts (vCPUs, disks, MDS servers): 1, 2, 3-4, 5-8, …, >64. */
export function countBucket(n: number): string {
  if (n <= 2) return String(n);
  for (let upper = 4; upper <= 64; upper *= 2) if (n <= upper) return `${upper / 2 + 1}-${upper}`;
  return '>64';
}

/** Memory sizes in MiB: <=512MiB, <=1GiB, <=2GiB … >256GiB. */
export function memoryBucket(mib: number): string {
  if (mib <= 512) return '<=512MiB';
  for (let gib = 1; gib <= 256; gib *= 2) if (mib <= gib * 1024) return `<=${gib}GiB`;
  return '>256GiB';
}

/** Disk quotas in GiB. */
export function diskBucket(gib: number): string {
  for (let upper = 8; upper <= 8192; upper *= 2) if (gib <= upper) return `<=${upper}GiB`;
  return '>8192GiB';
}

export function increment(histogram: Record<string, number>, key: string): void {
  histogram[key] = (histogram[key] ?? 0) + 1;
}
