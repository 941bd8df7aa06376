import defaults from './allow-lists.json';

/** What collectors may report by name: vendor units/packages and selected config keys. */
export interface AllowLists {
  services: string[];
  packages: string[];
  vzConfKeys: string[];
  sysctlKeys: string[];
  osReleaseKeys: string[];
}

export const DEFAULT_ALLOW_LISTS: AllowLists = defaults;

/** Entries may end in `*` (prefix match); everything else must match exactly. */
export function isAllowed(list: readonly string[], name: string): boolean {
  return list.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
}
