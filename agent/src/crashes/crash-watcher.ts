import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { Clock } from '../schedule/clock';

export interface CrashWatcherOptions {
  roots: readonly string[];
  pollIntervalMs: number;
  /** Scans and spools; never runs twice at once. */
  onChange: () => Promise<void>;
  clock: Clock;
  log: (message: string) => void;
}

/** ABRT writes `<dir>.new` and renames it: one burst of events, one scan. */
const DEBOUNCE_MS = 50;

/** Runs `task` now, or once more after the current run when called during one. */
export function singleFlight(task: () => Promise<void>, log: (message: string) => void): { run: () => Promise<void>; idle: () => Promise<void> } {
  let current: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> => {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      do {
        again = false;
        await task().catch((e: unknown) => log(`cep-agent: ${e instanceof Error ? e.message : String(e)}`));
      } while (again);
      current = undefined;
    })();
    return current;
  };
  return { run, idle: async () => void (await current) };
}

/**
 * Watches the dump roots with inotify (fs.watch) and polls as well: inotify misses changes on some
 * file systems (NFS, overlay), inside kdump's per-crash directories, and in roots created later.
 */
export async function watchCrashRoots(opts: CrashWatcherOptions, signal: AbortSignal): Promise<void> {
  const scan = singleFlight(opts.onChange, opts.log);
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  const onEvent = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void scan.run(), DEBOUNCE_MS);
  };
  const watchRoots = () => {
    for (const root of opts.roots) {
      if (watchers.has(root) || !existsSync(root)) continue;
      try {
        const w = watch(root, { persistent: false }, onEvent);
        // A root deleted or unmounted: forget it, the poll re-watches it when it is back.
        w.on('error', () => {
          w.close();
          watchers.delete(root);
        });
        watchers.set(root, w);
      } catch (e) {
        opts.log(`cep-agent: cannot watch ${root} (${(e as NodeJS.ErrnoException).code ?? 'error'}); polling it`);
      }
    }
  };
  try {
    while (!signal.aborted) {
      watchRoots();
      await scan.run();
      await opts.clock.sleep(opts.pollIntervalMs, signal);
    }
  } finally {
    clearTimeout(timer);
    watchers.forEach((w) => w.close());
    await scan.idle();
  }
}
