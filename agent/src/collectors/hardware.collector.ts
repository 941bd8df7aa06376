import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { detectVirtualization } from './sources/virtualization.source';

/** DMI fields that describe a model, never an instance (no serials, UUIDs or asset tags). */
const DMI_DIR = '/sys/class/dmi/id';

export const hardwareCollector: Collector<'hardware'> = {
  name: 'hardware',
  async collect({ fs }) {
    const dmiPresent = await fs.exists(DMI_DIR);
    if (!dmiPresent && !(await fs.exists('/proc/cpuinfo'))) return notAvailable('no DMI data and no /proc/cpuinfo');
    const dmi = async (field: string) => (dmiPresent ? ((await fs.readValue(`${DMI_DIR}/${field}`)) ?? null) : null);
    return ok({
      systemVendor: await dmi('sys_vendor'),
      productName: await dmi('product_name'),
      productFamily: await dmi('product_family'),
      biosVendor: await dmi('bios_vendor'),
      virtualization: await detectVirtualization(fs),
    });
  },
};
