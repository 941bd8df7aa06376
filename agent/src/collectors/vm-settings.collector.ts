import { countBucket, increment, memoryBucket } from './bucketing';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { listVms } from './sources/guest-inventory.source';

export const vmSettingsCollector: Collector<'vm-settings'> = {
  name: 'vm-settings',
  async collect(ctx) {
    const vms = await listVms(ctx);
    if (vms.status !== 'ok') return notAvailable(vms.reason);
    const cpuCount: Record<string, number> = {};
    const memory: Record<string, number> = {};
    const diskCount: Record<string, number> = {};
    for (const vm of vms.items) {
      if (vm.cpus !== null) increment(cpuCount, countBucket(vm.cpus));
      if (vm.memoryMiB !== null) increment(memory, memoryBucket(vm.memoryMiB));
      increment(diskCount, countBucket(vm.diskCount));
    }
    return ok({
      total: vms.items.length,
      cpuCount,
      memory,
      diskCount,
      autostart: vms.items.filter((v) => v.autostart).length,
      highAvailability: vms.items.filter((v) => v.highAvailability).length,
    });
  },
};
