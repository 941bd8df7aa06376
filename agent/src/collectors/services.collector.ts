import { isAllowed } from '../privacy/allow-lists';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';

/** Only vendor units from the allow-list are reported; the rest of the host's services stay private. */
export const servicesCollector: Collector<'services'> = {
  name: 'services',
  async collect(ctx) {
    const result = await ctx.runner.run(
      'systemctl',
      ['list-unit-files', '--state=enabled', '--type=service', '--no-legend', '--no-pager', '--plain'],
      { timeoutMs: ctx.commandTimeoutMs },
    );
    if (result.status !== 'ok') return notAvailable(`systemctl ${result.status}`);
    const enabled = result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0]?.replace(/\.service$/, ''))
      .filter((unit): unit is string => !!unit && isAllowed(ctx.allowLists.services, unit));
    return ok({ enabled: [...new Set(enabled)].sort() });
  },
};
