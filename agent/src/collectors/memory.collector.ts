import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { parseMeminfo } from './parsers/proc-text.parser';

const MIB = 1024 * 1024;
const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

export const memoryCollector: Collector<'memory'> = {
  name: 'memory',
  async collect({ fs }) {
    const text = await fs.readText('/proc/meminfo');
    const mem = text ? parseMeminfo(text) : undefined;
    const total = mem?.get('MemTotal');
    if (!mem || !total) return notAvailable('/proc/meminfo missing or without MemTotal');
    const reported = mem.get('MemAvailable');
    // Kernels before 3.14 lack MemAvailable; Free+Buffers+Cached is the customary estimate.
    const available = reported ?? (mem.get('MemFree') ?? 0) + (mem.get('Buffers') ?? 0) + (mem.get('Cached') ?? 0);
    const swapTotal = mem.get('SwapTotal') ?? 0;
    const swapFree = mem.get('SwapFree') ?? 0;
    return ok({
      totalMiB: Math.round(total / MIB),
      availableMiB: Math.round(Math.min(available, total) / MIB),
      availableEstimated: reported === undefined,
      usedPercent: percent(Math.max(total - available, 0), total),
      swapTotalMiB: Math.round(swapTotal / MIB),
      swapUsedPercent: percent(Math.max(swapTotal - swapFree, 0), swapTotal),
    });
  },
};
