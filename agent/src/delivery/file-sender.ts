import type { Spool } from './spool';
import { writeFileAtomic } from '../state/atomic-write';

/**
 * FILE protocol (as the original's `/var/cache/cep/report.tar.gz`): the newest spooled report is
 * written to one path for an operator or another tool to pick up; older ones are superseded.
 * Crashes need a hub and are never spooled under this protocol.
 */
export async function deliverToFile(spool: Spool, target: string): Promise<{ sent: string[]; remaining: number }> {
  const entries = await spool.list('cep');
  const newest = entries.at(-1);
  if (!newest) return { sent: [], remaining: 0 };
  const body = await spool.read(newest);
  if (body) await writeFileAtomic(target, body, 0o644);
  for (const e of entries) await spool.remove(e.reportId);
  return { sent: entries.map((e) => e.reportId), remaining: 0 };
}
