import { createHash } from 'node:crypto';
import type { ProblemDirectory } from '../../storage/src/archive';
import { problemOccurrences } from './problem-dir-to-crash';

/**
 * Who a problem directory is, whichever client sends it: ABRT's own identity of the crash
 * (`uuid`, else `duphash`), on which host (the sender's host id, else the dir's `hostname` or
 * `machineid`), first seen when (`time`). Lacking any of these, the archive's content hash:
 * the same bytes twice are still one crash. Host names only enter the hash, never storage.
 */
export interface CrashIdentity {
  key: string;
  /** ABRT's `count`: occurrences this directory stands for in total. */
  count: number;
  /** The uReports `reporter-ureport` already sent for this directory (read from `reported_to`). */
  reportedAs: { reportIds: string[]; bthashes: string[] };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function element(dir: ProblemDirectory, name: string): string | undefined {
  const value = dir.text(name)?.trim();
  return value ? value : undefined;
}

export function problemDirIdentity(dir: ProblemDirectory, archiveSha256: string, hostId?: string | null): CrashIdentity {
  const crash = element(dir, 'uuid') ?? element(dir, 'duphash');
  const host = hostId ?? element(dir, 'hostname') ?? element(dir, 'machineid');
  const time = element(dir, 'time');
  const key = crash && host && time ? `dir:${sha256(`${crash}\n${host}\n${time}`)}` : `sha256:${archiveSha256}`;
  return { key, count: problemOccurrences(dir), reportedAs: reportedToAbrtServer(dir.text('reported_to') ?? '') };
}

const UUID = /\/reports\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi;

/**
 * What libreport records in `reported_to` after reporter-ureport (see the abrt fixture
 * `ureport-attachments/ex_crash_dir/reported_to`): `uReport: BTHASH=<hash>`,
 * `ABRT Server: URL=<server>/reports/bthash/<hash>` and `ABRT Server: URL=<server>/reports/<id>`.
 */
export function reportedToAbrtServer(reportedTo: string): { reportIds: string[]; bthashes: string[] } {
  const reportIds = new Set<string>();
  const bthashes = new Set<string>();
  for (const line of reportedTo.split('\n')) {
    if (!line.startsWith('ABRT Server:') && !line.startsWith('uReport:')) continue;
    for (const m of line.matchAll(/\bBTHASH=([0-9a-f]{1,256})\b/gi)) bthashes.add(m[1].toLowerCase());
    for (const m of line.matchAll(/\/reports\/bthash\/([0-9a-f]{1,256})\b/gi)) bthashes.add(m[1].toLowerCase());
    for (const m of line.matchAll(UUID)) reportIds.add(m[1].toLowerCase());
  }
  return { reportIds: [...reportIds], bthashes: [...bthashes] };
}
