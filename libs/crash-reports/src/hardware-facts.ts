import type { HardwareFacts } from './crash-input';

/** CPU facts from a /proc/cpuinfo snapshot (ABRT's `cpuinfo` element). */
export function cpuFromCpuinfo(text: string): Pick<HardwareFacts, 'cpuVendor' | 'cpuModel' | 'cpuCount'> {
  const field = (name: string) => text.match(new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm'))?.[1].trim();
  const processors = text.match(/^processor\s*:/gm)?.length;
  return {
    cpuVendor: field('vendor_id') ?? field('CPU implementer'),
    cpuModel: field('model name')?.replace(/\s+/g, ' ') ?? field('cpu'),
    cpuCount: processors || undefined,
  };
}

/** `Hardware name: LENOVO 7505/..., BIOS ...` from a kernel oops. */
export function systemFromHardwareName(name: string): Pick<HardwareFacts, 'systemVendor' | 'systemModel' | 'biosVersion'> {
  const [system, bios] = name.split(/,\s*BIOS\s+/);
  const [vendor, ...model] = system.trim().split(/\s+/);
  return { systemVendor: vendor || undefined, systemModel: model.join(' ') || undefined, biosVersion: bios?.trim() || undefined };
}

/** Disk models from `lsblk` output with a MODEL column (anaconda's `lsblk_output`). */
export function diskModelsFromLsblk(text: string): string[] {
  const lines = text.split('\n').filter((l) => l.trim());
  const header = lines.shift();
  const at = header?.indexOf('MODEL') ?? -1;
  if (!header || at < 0) return [];
  const models = lines
    .map((l) => l.slice(at).trim().split(/\s{2,}/)[0])
    .filter((m) => m && !/^[0-9a-f-]{8,}$/i.test(m));
  return [...new Set(models)];
}
