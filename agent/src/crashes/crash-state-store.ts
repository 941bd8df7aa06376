import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/atomic-write';

export interface SentProblem {
  /** ABRT `count` covered by what was spooled so far. */
  count: number;
  lastOccurrence?: number;
  reportIds: string[];
}

interface CrashState {
  problems: Record<string, SentProblem>;
}

/**
 * Report id of a problem's occurrences up to `count`: derived, not random, so a crash rebuilt after
 * the agent died between spooling and recording it gets the same id, and the hub (idempotent by
 * id) stores it once. UUID version 8 (RFC 9562, custom) over SHA-256.
 */
export function crashReportId(hostId: string, problemKey: string, count: number): string {
  const h = createHash('sha256').update(`${hostId}\n${problemKey}\n${count}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Which problems were already spooled, persisted in the state dir across restarts. */
export class CrashStateStore {
  private readonly file: string;

  constructor(stateDir: string, fileName: string) {
    this.file = path.join(stateDir, fileName);
  }

  async read(): Promise<Record<string, SentProblem>> {
    try {
      return (JSON.parse(await fsp.readFile(this.file, 'utf8')) as CrashState).problems ?? {};
    } catch {
      return {};
    }
  }

  async record(key: string, sent: SentProblem): Promise<void> {
    const problems = await this.read();
    problems[key] = sent;
    await writeFileAtomic(this.file, JSON.stringify({ problems } satisfies CrashState, null, 1), 0o600);
  }
}
