import type { CollectorOutput } from '../../../libs/contracts/src/cep';
import { increment, sizeBucket } from './bucketing';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';

type Disk = CollectorOutput<'disks'>['disks'][number];

/** Virtual and stacked block devices are not disks (loop, ram, device-mapper, md, ploop, zram, nbd, optical). */
const NOT_A_DISK = /^(loop|ram|dm-|md|ploop|zram|nbd|sr|fd|drbd)/;
/** Model strings that reveal flash behind controllers that report rotational=1 (RAID, some HBAs). */
const SSD_MODEL_HINT = /\b(ssd|solid state|flash|nvme)\b|^(intel ssd|samsung mz|micron_\d+_mtfd|ct\d+mx)/i;
/** Paravirtual disks always claim rotational=1, so the flag says nothing about the media. */
const PARAVIRTUAL = /^(vd|xvd)/;

function diskKind(name: string, rotational: string | undefined, model: string | null): Disk['kind'] {
  if (name.startsWith('nvme')) return 'nvme';
  if (model && SSD_MODEL_HINT.test(model)) return 'ssd';
  if (PARAVIRTUAL.test(name)) return 'unknown';
  if (rotational === '0') return 'ssd';
  if (rotational === '1') return 'hdd';
  return 'unknown';
}

/** /proc/mdstat `md0 : active raid1 sda1[0] sdb1[1]` → raid level histogram. */
function mdRaidLevels(mdstat: string | undefined): Record<string, number> {
  const levels: Record<string, number> = {};
  for (const m of (mdstat ?? '').matchAll(/^md\S*\s*:\s*\S+\s+(?:\([^)]*\)\s+)?(raid\d+|linear|multipath)/gm)) increment(levels, m[1]);
  return levels;
}

export const disksCollector: Collector<'disks'> = {
  name: 'disks',
  async collect({ fs }) {
    const names = await fs.readDir('/sys/block');
    if (!names) return notAvailable('/sys/block not readable');
    const disks: Disk[] = [];
    for (const name of names.filter((n) => !NOT_A_DISK.test(n))) {
      // parseInt: tolerate trailing junk after the number (seen in procfs' ttar fixture: `3750748848EOF`).
      const sectors = parseInt((await fs.readValue(`/sys/block/${name}/size`)) ?? '', 10);
      if (!Number.isFinite(sectors) || sectors <= 0) continue;
      // NVMe keeps model/vendor on the controller; SCSI/SATA on the device. Serials/WWNs are never read.
      const model = (await fs.readValue(`/sys/block/${name}/device/model`)) ?? null;
      disks.push({
        kind: diskKind(name, await fs.readValue(`/sys/block/${name}/queue/rotational`), model),
        vendor: (await fs.readValue(`/sys/block/${name}/device/vendor`)) ?? null,
        model,
        // The kernel always counts `size` in 512-byte sectors regardless of the logical block size.
        sizeBucket: sizeBucket(sectors * 512),
        removable: (await fs.readValue(`/sys/block/${name}/removable`)) === '1',
      });
    }
    return ok({ disks, mdRaidLevels: mdRaidLevels(await fs.readText('/proc/mdstat')) });
  },
};
