import { mkdirSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { systemClock } from '../schedule/clock';
import { singleFlight, watchCrashRoots } from './crash-watcher';

const until = async (probe: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!probe() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return probe();
};

describe('crash watcher', () => {
  it('reacts to a renamed `.new` directory through inotify, long before the poll', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cep-watch-'));
    let scans = 0;
    const stop = new AbortController();
    const watching = watchCrashRoots({ roots: [root], pollIntervalMs: 60_000, onChange: async () => void scans++, clock: systemClock, log: () => undefined }, stop.signal);
    expect(await until(() => scans === 1, 1000)).toBe(true);
    mkdirSync(path.join(root, 'ccpp-1.new'));
    renameSync(path.join(root, 'ccpp-1.new'), path.join(root, 'ccpp-1'));
    expect(await until(() => scans === 2, 1000)).toBe(true);
    stop.abort();
    await watching;
  });

  it('polls roots it cannot watch, and watches them once they exist', async () => {
    const root = path.join(mkdtempSync(path.join(tmpdir(), 'cep-watch-')), 'later');
    let scans = 0;
    const stop = new AbortController();
    const watching = watchCrashRoots({ roots: [root], pollIntervalMs: 50, onChange: async () => void scans++, clock: systemClock, log: () => undefined }, stop.signal);
    expect(await until(() => scans >= 3, 1000)).toBe(true);
    stop.abort();
    await watching;
  });

  it('single flight: calls during a run cause exactly one more run', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = singleFlight(async () => {
      runs++;
      if (runs === 1) await gate;
    }, () => undefined);
    void f.run();
    void f.run();
    void f.run();
    release();
    await f.idle();
    await f.idle();
    expect(runs).toBe(2);
  });
});
