import type { Clock } from '../src/schedule/clock';

/** Sleeping advances simulated time instantly; `sleeps` records every requested wait. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (!signal?.aborted) this.current += ms;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
