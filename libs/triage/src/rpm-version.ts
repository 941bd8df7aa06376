/**
 * RPM version ordering (rpmvercmp): alternate runs of digits and letters compared segment by
 * segment, digits numerically and above letters, `~` sorts before everything (pre-releases),
 * `^` after the base version but before a longer one; other characters only separate.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !/[A-Za-z0-9~^]/.test(a[i]!)) i++;
    while (j < b.length && !/[A-Za-z0-9~^]/.test(b[j]!)) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = /[0-9]/.test(a[i]!);
    const run = numeric ? /^[0-9]+/ : /^[A-Za-z]+/;
    const sa = run.exec(a.slice(i))?.[0] ?? '';
    const sb = run.exec(b.slice(j))?.[0] ?? '';
    // A numeric segment is newer than an alphabetic one.
    if (!sb) return numeric ? 1 : -1;
    i += sa.length;
    j += sb.length;
    if (numeric) {
      const na = sa.replace(/^0+/, '');
      const nb = sb.replace(/^0+/, '');
      if (na.length !== nb.length) return na.length > nb.length ? 1 : -1;
      if (na !== nb) return na > nb ? 1 : -1;
    } else if (sa !== sb) {
      return sa > sb ? 1 : -1;
    }
  }
  const restA = i < a.length;
  const restB = j < b.length;
  return restA === restB ? 0 : restA ? 1 : -1;
}

export interface Evr {
  epoch: number;
  version: string;
  release: string | null;
}

/** `[epoch:]version[-release]`; a missing epoch is 0, a missing release matches any. */
export function parseEvr(text: string): Evr {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(trimmed.slice(0, colon)) ? Number(trimmed.slice(0, colon)) : 0;
  const rest = colon > 0 && /^\d+$/.test(trimmed.slice(0, colon)) ? trimmed.slice(colon + 1) : trimmed;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) } : { epoch, version: rest, release: null };
}

/**
 * Compares two package versions as RPM does for `epoch:version-release`; when either side has no
 * release (a Jira fixVersion like `7.0.12`), only epoch and version count.
 */
export function compareVersions(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return x.epoch > y.epoch ? 1 : -1;
  const byVersion = rpmvercmp(x.version, y.version);
  if (byVersion !== 0 || x.release === null || y.release === null) return byVersion;
  return rpmvercmp(x.release, y.release);
}

export function sortVersions(versions: Iterable<string>): string[] {
  return [...versions].sort(compareVersions);
}
