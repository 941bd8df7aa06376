import type { HardwareFacts } from './crash-input';

/**
 * CPU facts from ABRT's `cpuinfo` element: `lscpu` output on current ABRT, a /proc/cpuinfo copy on
 * older hosts. Both spellings of each field are read.
 */
export function cpuFromCpuinfo(text: string): Pick<HardwareFacts, 'cpuVendor' | 'cpuModel' | 'cpuCount'> {
  const field = (...names: string[]) => {
    for (const name of names) {
      const value = text.match(new RegExp(`^${name}\\s*:\\s*(.+)$`, 'mi'))?.[1].trim();
      if (value) return value;
    }
    return undefined;
  };
  const processors = text.match(/^processor\s*:/gm)?.length;
  const lscpuCount = Number.parseInt(field('CPU\\(s\\)') ?? '', 10);
  return {
    cpuVendor: field('vendor_id', 'Vendor ID', 'CPU implementer'),
    cpuModel: field('model name', 'Model name')?.replace(/\s+/g, ' '),
    cpuCount: processors || (Number.isFinite(lscpuCount) ? lscpuCount : undefined),
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
