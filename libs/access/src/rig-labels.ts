import { RIG_LABEL_KEYS } from '../../contracts/src/crash/crash-delivery';

/**
 * The labels a report brought by a rig key is stored with: the key's default labels (build, test run…)
 * under the report's own, and the rig's name from the key, which a report cannot claim otherwise.
 */
export function labelsWithRig(own: Record<string, string> | undefined, rig: { name: string; labels: Record<string, string> } | null): Record<string, string> | undefined {
  if (!rig) return own;
  return { ...rig.labels, ...own, [RIG_LABEL_KEYS.rig]: rig.name };
}
