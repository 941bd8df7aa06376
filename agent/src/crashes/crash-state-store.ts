import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/atomic-write';

/** A report spooled for a problem that the hub has not acknowledged yet. */
export interface PendingReport {
  reportId: string;
  /** Occurrences it adds at the hub. */
  occurrences: number;
}

export interface SentProblem {
  /** ABRT `count` covered by what was spooled so far. */
  count: number;
  lastOccurrence?: number;
  reportIds: string[];
  /**
   * Spooled but not acknowledged by a 2xx; absent in state written by earlier agent versions.
   * A pending report that left the spool without being acknowledged (evicted) is rebuilt.
   */
  pending?: PendingReport[];
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

const WRITES = new Map<string, Promise<void>>();

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

  record(key: string, sent: SentProblem): Promise<void> {
    return this.update((problems) => {
      problems[key] = sent;
      return true;
    });
  }

  /** The hub answered 2xx for the report (or refused it for good): it is no longer pending. */
  settle(reportId: string): Promise<void> {
    return this.update((problems) => {
      let changed = false;
      for (const problem of Object.values(problems)) {
        const before = problem.pending?.length ?? 0;
        problem.pending = problem.pending?.filter((p) => p.reportId !== reportId);
        changed ||= (problem.pending?.length ?? 0) !== before;
      }
      return changed;
    });
  }

  /** Read-modify-write, one at a time per file: the crash watcher and the sender share it. */
  private update(change: (problems: Record<string, SentProblem>) => boolean): Promise<void> {
    const run = async () => {
      const problems = await this.read();
      if (change(problems)) await writeFileAtomic(this.file, JSON.stringify({ problems } satisfies CrashState, null, 1), 0o600);
    };
    const next = (WRITES.get(this.file) ?? Promise.resolve()).then(run, run);
    WRITES.set(this.file, next.catch(() => undefined));
    return next;
  }
}
