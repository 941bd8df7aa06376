import { HARDWARE_FILTER_NAMES, HARDWARE_FILTERS, type CandidateQuery } from '../../contracts/src';

/**
 * The query's hardware filters as groups of `attribute=value` keys: a report matches when its
 * hardware attributes hold at least one key of every group. Both backends apply these groups.
 */
export function hardwareFilterGroups(q: CandidateQuery): string[][] {
  const groups = new Map<string, Set<string>>();
  const add = (attribute: string, value: string) => {
    if (!groups.has(attribute)) groups.set(attribute, new Set());
    groups.get(attribute)!.add(`${attribute}=${value}`);
  };
  for (const name of HARDWARE_FILTER_NAMES) for (const value of q[name] ?? []) add(HARDWARE_FILTERS[name], value);
  for (const key of q.attr ?? []) {
    const at = key.indexOf('=');
    add(key.slice(0, at), key.slice(at + 1));
  }
  return [...groups.values()].map((keys) => [...keys]);
}
