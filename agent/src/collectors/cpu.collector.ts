import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { parseColonBlocks } from './parsers/proc-text.parser';

/** arm64 cpuinfo names the implementer by code instead of a vendor string. */
const ARM_IMPLEMENTERS: Record<string, string> = { '0x41': 'ARM', '0x42': 'Broadcom', '0x43': 'Cavium', '0x4e': 'NVIDIA', '0x48': 'HiSilicon', '0x50': 'Ampere', '0x51': 'Qualcomm', '0x61': 'Apple', '0xc0': 'Ampere' };

export const cpuCollector: Collector<'cpu'> = {
  name: 'cpu',
  async collect({ fs }) {
    const text = await fs.readText('/proc/cpuinfo');
    const processors = text ? parseColonBlocks(text).filter((b) => b.has('processor')) : [];
    if (processors.length === 0) return notAvailable('/proc/cpuinfo missing or without processors');
    const first = processors[0];
    const flags = new Set((first.get('flags') ?? first.get('Features') ?? '').split(/\s+/));
    // VMs often omit `physical id`; sockets are then unknown rather than guessed.
    const physicalIds = new Set(processors.map((p) => p.get('physical id')).filter((v) => v !== undefined));
    const cores = Number(first.get('cpu cores'));
    const implementer = first.get('CPU implementer');
    return ok({
      vendor: first.get('vendor_id') ?? (implementer ? (ARM_IMPLEMENTERS[implementer] ?? implementer) : null),
      model: first.get('model name')?.replace(/\s+/g, ' ') ?? null,
      logicalCpus: processors.length,
      sockets: physicalIds.size > 0 ? physicalIds.size : null,
      coresPerSocket: Number.isInteger(cores) && cores > 0 ? cores : null,
      virtualizationFlags: (['vmx', 'svm'] as const).filter((f) => flags.has(f)),
      hypervisorFlag: flags.has('hypervisor'),
    });
  },
};
