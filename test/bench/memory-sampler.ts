import { readFileSync } from 'node:fs';

export interface MemoryPeak {
  /** Peak resident set (VmHWM) in MiB, as the kernel recorded it. */
  peakMiB: number;
  samples: number;
}

/** VmHWM of a live process in MiB, or undefined once it has exited. */
export function peakResidentMiB(pid: number | 'self'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Samples VmHWM of named processes. The kernel keeps the high-water mark itself; sampling only
 * makes sure the last value is kept when a process dies or is stopped before the final read.
 */
export class MemorySampler {
  private readonly peakByName = new Map<string, MemoryPeak>();
  private readonly pids = new Map<string, number | 'self'>();
  private timer?: NodeJS.Timeout;

  watch(name: string, pid: number | 'self'): void {
    this.pids.set(name, pid);
    this.sample();
  }

  start(intervalMs = 200): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Peaks so far, after a fresh sample. */
  peaks(): Record<string, MemoryPeak> {
    this.sample();
    return Object.fromEntries(this.peakByName);
  }

  private sample(): void {
    for (const [name, pid] of this.pids) {
      const mib = peakResidentMiB(pid);
      if (mib === undefined) continue;
      const previous = this.peakByName.get(name) ?? { peakMiB: 0, samples: 0 };
      this.peakByName.set(name, { peakMiB: Math.max(previous.peakMiB, mib), samples: previous.samples + 1 });
    }
  }
}
