import { countBucket, increment } from './bucketing';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { parseMounts } from './parsers/proc-text.parser';

const CLUSTERS_DIR = '/etc/vstorage/clusters';

/** Membership and size only: cluster names (directory names) are counted, never reported. */
export const clustersCollector: Collector<'clusters'> = {
  name: 'clusters',
  async collect({ fs }) {
    const clusters = await fs.readDir(CLUSTERS_DIR);
    const mounts = await fs.readText('/proc/mounts');
    if (!clusters && mounts === undefined) return notAvailable(`${CLUSTERS_DIR} and /proc/mounts missing`);
    const mdsCount: Record<string, number> = {};
    for (const cluster of clusters ?? []) {
      // bs.list holds one metadata-server address per line (the bootstrap list).
      const bs = (await fs.readText(`${CLUSTERS_DIR}/${cluster}/bs.list`)) ?? '';
      increment(mdsCount, countBucket(bs.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length));
    }
    return ok({
      vstorage: {
        configuredClusters: clusters?.length ?? 0,
        mountedClusters: parseMounts(mounts ?? '').filter((m) => m.fsType === 'fuse.vstorage').length,
        mdsCount,
      },
    });
  },
};
