import { Gauge, Registry } from 'prom-client';
import type { QueueDepth } from '../../../../libs/queue/src';

export interface LiveState {
  queues: Array<{ queue: string; depth: QueueDepth }>;
  /** Stored reports not yet processed, per the database (the source of truth). */
  stored: { queued: number; oldestReceivedAt: Date | null };
}

/** Gauges read at scrape time, once, by the process serving `/metrics`. */
export function liveGauges(state: LiveState, now: number): Registry {
  const registry = new Registry();
  const jobs = new Gauge({ name: 'hub_queue_jobs', help: 'Jobs in the queue by state', labelNames: ['queue', 'state'], registers: [registry] });
  const oldest = new Gauge({ name: 'hub_queue_oldest_waiting_seconds', help: 'Age of the oldest job waiting for a worker (0 when none)', labelNames: ['queue'], registers: [registry] });
  for (const { queue, depth } of state.queues) {
    jobs.set({ queue, state: 'waiting' }, depth.waiting);
    jobs.set({ queue, state: 'delayed' }, depth.delayed);
    jobs.set({ queue, state: 'active' }, depth.active);
    oldest.set({ queue }, depth.oldestWaitingAt === null ? 0 : Math.max(0, (now - depth.oldestWaitingAt) / 1000));
  }
  new Gauge({ name: 'hub_reports_unprocessed', help: 'Stored reports not yet processed or rejected', registers: [registry] }).set(state.stored.queued);
  new Gauge({ name: 'hub_reports_oldest_unprocessed_seconds', help: 'Age of the oldest stored report not yet processed (0 when none)', registers: [registry] }).set(
    state.stored.oldestReceivedAt ? Math.max(0, (now - state.stored.oldestReceivedAt.getTime()) / 1000) : 0,
  );
  return registry;
}
