import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { MemoryRateLimitStore, RateLimitStore, RedisRateLimitStore } from './rate-limit-store';

/** Who a request is counted against: the credential it presents, the host it speaks for, or else its (hashed) address. */
export interface RateSubject {
  credential?: string;
  hostId?: string;
  address?: string;
}

export interface RateVerdict {
  /** The bucket whose quota is spent, when refused. */
  refused?: { bucket: 'key' | 'host' | 'client'; limit: number; retryAfterSec: number };
}

/** The anonymous-bucket secret is replaced this often, so a bucket name links to an address for a day at most. */
const SECRET_LIFETIME_MS = 24 * 3600 * 1000;

/**
 * Quotas per credential, per host id and per anonymous client, in fixed windows (Redis, or memory
 * when embedded). Credentials are counted by their sha256; an address only as an HMAC under a
 * short-lived secret, in a counter that expires with its window: neither is ever stored or logged.
 */
@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly store: RateLimitStore;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    this.store = config.queue.kind === 'bull' ? new RedisRateLimitStore(config.queue.redisUrl, config.queue.prefix) : new MemoryRateLimitStore();
  }

  async check(subject: RateSubject): Promise<RateVerdict> {
    try {
      return await this.count(subject);
    } catch (error) {
      // Counters unreachable (Redis down): serve rather than refuse everyone; the queue's health is reported elsewhere.
      this.logger.warn({ msg: 'rate-limit counters unavailable; request not counted', error: (error as Error).message });
      return {};
    }
  }

  private async count(subject: RateSubject): Promise<RateVerdict> {
    const { windowMs, perKey, perHost, perClient } = this.config.rateLimits;
    const buckets: Array<{ bucket: 'key' | 'host' | 'client'; key: string; limit: number }> = [];
    if (subject.credential && perKey > 0) buckets.push({ bucket: 'key', key: `key:${sha256(subject.credential)}`, limit: perKey });
    if (!subject.credential && subject.address && perClient > 0) {
      const secret = await this.store.secret(SECRET_LIFETIME_MS);
      buckets.push({ bucket: 'client', key: `client:${createHmac('sha256', secret).update(subject.address).digest('hex')}`, limit: perClient });
    }
    if (subject.hostId && perHost > 0) buckets.push({ bucket: 'host', key: `host:${sha256(subject.hostId)}`, limit: perHost });
    for (const { bucket, key, limit } of buckets) {
      const counted = await this.store.hit(key, windowMs);
      if (counted.count > limit) {
        return { refused: { bucket, limit, retryAfterSec: Math.max(1, Math.ceil((counted.resetAt - Date.now()) / 1000)) } };
      }
    }
    return {};
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
