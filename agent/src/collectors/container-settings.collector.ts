import { countBucket, diskBucket, increment, memoryBucket } from './bucketing';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { listContainers } from './sources/guest-inventory.source';

export const containerSettingsCollector: Collector<'container-settings'> = {
  name: 'container-settings',
  async collect(ctx) {
    const cts = await listContainers(ctx);
    if (cts.status !== 'ok') return notAvailable(cts.reason);
    const cpus: Record<string, number> = {};
    const ram: Record<string, number> = {};
    const diskSpace: Record<string, number> = {};
    for (const ct of cts.items) {
      if (ct.cpus !== null) increment(cpus, countBucket(ct.cpus));
      if (ct.ramMiB !== null) increment(ram, memoryBucket(ct.ramMiB));
      if (ct.diskGiB !== null) increment(diskSpace, diskBucket(ct.diskGiB));
    }
    return ok({
      total: cts.items.length,
      cpus,
      ram,
      diskSpace,
      onBoot: cts.items.filter((c) => c.onBoot).length,
      vswap: cts.items.filter((c) => c.vswap).length,
    });
  },
};
