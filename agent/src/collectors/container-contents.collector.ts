import { increment } from './bucketing';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { listContainers, normaliseState, templateName } from './sources/guest-inventory.source';

/** Templates and layouts only: container files and names are never read. */
export const containerContentsCollector: Collector<'container-contents'> = {
  name: 'container-contents',
  async collect(ctx) {
    const cts = await listContainers(ctx);
    if (cts.status !== 'ok') return notAvailable(cts.reason);
    const byState: Record<string, number> = {};
    const osTemplates: Record<string, number> = {};
    const layouts: Record<string, number> = {};
    for (const ct of cts.items) {
      increment(byState, normaliseState(ct.state));
      increment(osTemplates, templateName(ct.osTemplate, 'osTemplate'));
      increment(layouts, ct.layout === 'ploop' || ct.layout === 'simfs' ? ct.layout : 'other');
    }
    return ok({ total: cts.items.length, byState, osTemplates, layouts });
  },
};
