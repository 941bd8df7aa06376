import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-write';

const FILE = 'report-sequence.json';

/** Reports built under `hostId`; a count kept for another id (before a reset) does not carry over. */
interface SequenceState {
  hostId: string;
  built: number;
}

/** Reports built so far under `hostId`. */
export async function readReportSequence(stateDir: string, hostId: string): Promise<number> {
  try {
    const state = JSON.parse(await fsp.readFile(path.join(stateDir, FILE), 'utf8')) as Partial<SequenceState>;
    const built = state.hostId === hostId ? state.built : undefined;
    return typeof built === 'number' && Number.isSafeInteger(built) && built > 0 ? built : 0;
  } catch {
    return 0;
  }
}

/**
 * Counts one more report and returns its number. Persisted before the report exists, so a crash
 * leaves a gap rather than a repeated number (which the hub would take for a cloned host). Keyed by
 * host id so that a new id starts at 1 and its numbers do not link it to the id it replaced.
 */
export async function nextReportSequence(stateDir: string, hostId: string): Promise<number> {
  const built = (await readReportSequence(stateDir, hostId)) + 1;
  await writeFileAtomic(path.join(stateDir, FILE), JSON.stringify({ hostId, built } satisfies SequenceState), 0o644);
  return built;
}
