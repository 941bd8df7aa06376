import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';

/** Fixed-window counters and the short-lived secret that anonymous clients' buckets are keyed with. */
export interface RateLimitStore {
  /** Adds one to `key` in the window ending at `resetAt` (ms); returns the window's count. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  /** A random secret shared by the hub's API processes, replaced every `lifetimeMs`. */
  secret(lifetimeMs: number): Promise<Buffer>;
  close(): Promise<void>;
}

const windowOf = (windowMs: number) => {
  const index = Math.floor(Date.now() / windowMs);
  return { index, resetAt: (index + 1) * windowMs };
};

/** Redis: counters shared by every API process, expiring with their window. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const { index, resetAt } = windowOf(windowMs);
    const name = `${this.prefix}:rl:${key}:${index}`;
    const result = await this.redis.multi().incr(name).pexpire(name, windowMs).exec();
    return { count: Number(result?.[0]?.[1] ?? 0), resetAt };
  }

  async secret(lifetimeMs: number): Promise<Buffer> {
    const name = `${this.prefix}:rl:secret`;
    await this.redis.set(name, randomBytes(32).toString('base64'), 'PX', lifetimeMs, 'NX');
    const value = await this.redis.get(name);
    return Buffer.from(value ?? randomBytes(32).toString('base64'), 'base64');
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Embedded mode: one process, counters in memory. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private current?: { value: Buffer; until: number };

  async hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const { index, resetAt } = windowOf(windowMs);
    const name = `${key}:${index}`;
    const entry = this.counters.get(name) ?? { count: 0, resetAt };
    entry.count++;
    this.counters.set(name, entry);
    if (this.counters.size > 10_000) this.purge();
    return entry;
  }

  private purge(): void {
    const now = Date.now();
    for (const [name, entry] of this.counters) if (entry.resetAt <= now) this.counters.delete(name);
  }

  async secret(lifetimeMs: number): Promise<Buffer> {
    if (!this.current || this.current.until <= Date.now()) this.current = { value: randomBytes(32), until: Date.now() + lifetimeMs };
    return this.current.value;
  }

  async close(): Promise<void> {
    this.counters.clear();
  }
}
