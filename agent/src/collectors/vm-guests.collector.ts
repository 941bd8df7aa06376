import { increment } from './bucketing';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { listVms, normaliseState, templateName } from './sources/guest-inventory.source';

export const vmGuestsCollector: Collector<'vm-guests'> = {
  name: 'vm-guests',
  async collect(ctx) {
    const vms = await listVms(ctx);
    if (vms.status !== 'ok') return notAvailable(vms.reason);
    const byState: Record<string, number> = {};
    const guestOs: Record<string, number> = {};
    for (const vm of vms.items) {
      increment(byState, normaliseState(vm.state));
      increment(guestOs, templateName(vm.guestOs, 'guestOs'));
    }
    return ok({ total: vms.items.length, byState, guestOs, guestToolsInstalled: vms.items.filter((v) => v.toolsInstalled).length });
  },
};
