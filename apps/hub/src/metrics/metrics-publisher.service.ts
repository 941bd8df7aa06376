import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { HubConfig } from '../../../../libs/config/src';
import { describeError } from '../../../../libs/observability/src/error-description';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { HubMetrics } from './hub-metrics.service';

export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/**
 * API and worker are separate processes: each publishes its counters to Redis every
 * METRICS_PUBLISH_MS, and the API's `/metrics` adds up every live process's snapshot. A process
 * gone for longer than the snapshot's lifetime drops out (Prometheus sees a counter reset).
 * Embedded mode has one process and no Redis: nothing to publish.
 */
@Injectable()
export class MetricsPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsPublisher.name);
  private readonly instance = `${process.pid}-${randomUUID()}`;
  private redis?: Redis;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly metrics: HubMetrics,
  ) {}

  private get prefix(): string {
    return this.config.queue.kind === 'bull' ? `${this.config.queue.prefix}:metrics` : '';
  }

  private get ttlMs(): number {
    return Math.max(60_000, this.config.ops.metricsPublishMs * 12);
  }

  onApplicationBootstrap(): void {
    if (this.config.queue.kind !== 'bull') return;
    this.redis = new Redis(this.config.queue.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    this.redis.on('error', () => undefined);
    this.timer = setInterval(() => void this.publish(), this.config.ops.metricsPublishMs);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.publish();
    this.redis?.disconnect();
  }

  async publish(): Promise<void> {
    if (!this.redis) return;
    try {
      const snapshot = JSON.stringify(await this.metrics.registry.getMetricsAsJSON());
      await this.redis.multi().set(`${this.prefix}:${this.instance}`, snapshot, 'PX', this.ttlMs).sadd(`${this.prefix}:instances`, this.instance).exec();
    } catch (error) {
      this.logger.warn({ msg: 'metrics not published', error: describeError(error) });
    }
  }

  /** Snapshots of the other live processes (this one's is read directly). */
  async peers(): Promise<MetricsSnapshot[]> {
    if (!this.redis) return [];
    const instances = (await this.redis.smembers(`${this.prefix}:instances`)).filter((i) => i !== this.instance);
    if (!instances.length) return [];
    const values = await this.redis.mget(...instances.map((i) => `${this.prefix}:${i}`));
    const gone = instances.filter((_, i) => values[i] === null);
    if (gone.length) await this.redis.srem(`${this.prefix}:instances`, ...gone);
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as MetricsSnapshot);
  }
}
