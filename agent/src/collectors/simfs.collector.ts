import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { parseMounts } from './parsers/proc-text.parser';
import { listContainers } from './sources/guest-inventory.source';

export const simfsCollector: Collector<'simfs'> = {
  name: 'simfs',
  async collect(ctx) {
    const mounts = await ctx.fs.readText('/proc/mounts');
    if (mounts === undefined) return notAvailable('/proc/mounts missing');
    const types = parseMounts(mounts).map((m) => m.fsType);
    // Stopped simfs containers are not mounted; vzlist (when present) counts them too.
    const cts = await listContainers(ctx);
    return ok({
      simfsMounts: types.filter((t) => t === 'simfs').length,
      simfsContainers: cts.status === 'ok' ? cts.items.filter((c) => c.layout === 'simfs').length : null,
      ploopMounts: types.filter((t) => t === 'ploop').length,
    });
  },
};
