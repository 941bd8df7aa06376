import { compareVersions } from './rpm-version';

export interface VersionActivity {
  version: string;
  lastSeen: string;
}

/**
 * FAF's "probably fixed": the candidate stopped crashing in versions ≥ X while older versions
 * still report. X is the lowest version in use (seen recently across the fleet's crashes of the
 * package) above every version that crashed recently in this candidate. Null when nothing older
 * reports recently (a candidate gone quiet everywhere says nothing about a fix) or no newer version is in use.
 */
export function probablyFixedIn(input: {
  candidate: VersionActivity[];
  inUse: VersionActivity[];
  now: string;
  windowDays: number;
}): { version: string; stillReporting: string[] } | null {
  const since = Date.parse(input.now) - input.windowDays * 86_400_000;
  const recent = input.candidate.filter((v) => Date.parse(v.lastSeen) >= since).map((v) => v.version);
  if (!recent.length) return null;
  const newestCrashing = [...recent].sort(compareVersions).at(-1)!;
  const newer = input.inUse
    .filter((v) => Date.parse(v.lastSeen) >= since && compareVersions(v.version, newestCrashing) > 0)
    .map((v) => v.version)
    .sort(compareVersions);
  return newer.length ? { version: newer[0]!, stillReporting: [...new Set(recent)].sort(compareVersions) } : null;
}
