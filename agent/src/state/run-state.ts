import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CollectorStatus } from '../../../libs/contracts/src/cep';
import { writeFileAtomic } from './atomic-write';

export interface CollectorRunRecord {
  status: CollectorStatus;
  collectedAt: string;
  durationMs: number;
  reason?: string;
}

/** What `status` shows and what the daemon needs to resume its timetable after a restart. */
export interface RunState {
  collectors: Record<string, CollectorRunRecord>;
  /** Start (ms) of the last timetable slot that was run; slots at or before it are not repeated. */
  lastSlotAt?: number;
}

const FILE = 'run-state.json';

export async function readRunState(stateDir: string): Promise<RunState> {
  try {
    const parsed = JSON.parse(await fsp.readFile(path.join(stateDir, FILE), 'utf8')) as Partial<RunState>;
    return { collectors: parsed.collectors ?? {}, lastSlotAt: parsed.lastSlotAt };
  } catch {
    return { collectors: {} };
  }
}

export async function writeRunState(stateDir: string, state: RunState): Promise<void> {
  await writeFileAtomic(path.join(stateDir, FILE), JSON.stringify(state, null, 2), 0o644);
}
