import type { CollectorOutput } from '../../../libs/contracts/src/cep';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { parseMounts } from './parsers/proc-text.parser';

type Cgroups = CollectorOutput<'cgroups'>;

function cgroupVersion(fsTypes: string[]): Cgroups['version'] {
  const v1 = fsTypes.includes('cgroup');
  const v2 = fsTypes.includes('cgroup2');
  if (v1 && v2) return 'hybrid';
  return v1 ? 'v1' : v2 ? 'v2' : 'unknown';
}

export const cgroupsCollector: Collector<'cgroups'> = {
  name: 'cgroups',
  async collect({ fs }) {
    const table = await fs.readText('/proc/cgroups');
    const mounts = await fs.readText('/proc/mounts');
    const v2Controllers = await fs.readValue('/sys/fs/cgroup/cgroup.controllers');
    if (table === undefined && v2Controllers === undefined) return notAvailable('/proc/cgroups missing');
    const controllers: Cgroups['controllers'] = [];
    // `#subsys_name hierarchy num_cgroups enabled`; num_cgroups is meaningful for v1 hierarchies.
    for (const line of (table ?? '').split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[0].startsWith('#')) continue;
      controllers.push({ name: cols[0], enabled: cols[3] === '1', cgroups: Number.isInteger(Number(cols[2])) ? Number(cols[2]) : null });
    }
    for (const name of (v2Controllers ?? '').split(/\s+/).filter(Boolean)) {
      if (!controllers.some((c) => c.name === name)) controllers.push({ name, enabled: true, cgroups: null });
    }
    let version = cgroupVersion(parseMounts(mounts ?? '').map((m) => m.fsType));
    if (version === 'unknown' && v2Controllers !== undefined) version = 'v2';
    return ok({ version, controllers });
  },
};
