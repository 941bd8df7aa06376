import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadHubConfig } from '../../libs/config/src';
import { startHub, RunningHub } from '../../apps/hub/src/hub-application';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from './test-database';
import { waitFor } from './wait-for';

export interface TestHub {
  url: string;
  http: ReturnType<typeof request>;
  db: DataSource;
  database: TestDatabase;
  hub: RunningHub;
  /** Waits until the raw report has left the queue; returns its final status row. */
  settled(reportId: string, timeoutMs?: number): Promise<{ status: string; reject_reason: string | null }>;
  /** Row counts of every hub table: "unchanged" assertions compare two of these. */
  snapshot(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * The whole hub (API + worker) in this process, on a fresh PostgreSQL database and real Bull
 * queues in Redis under a private prefix.
 */
export async function startTestHub(label: string, env: Record<string, string> = {}): Promise<TestHub> {
  const database = await createTestDatabase(label);
  const prefix = `hub-test-${label}-${process.pid}`;
  const config = loadHubConfig({
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: '0',
    JOB_BACKOFF_MS: '50',
    JOB_ATTEMPTS: '3',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const hub = await startHub(config, { api: true, worker: true });
  const db = hub.app.get(DataSource);
  const url = hub.url!;
  return {
    url,
    http: request(url),
    db,
    database,
    hub,
    async settled(reportId, timeoutMs = 20_000) {
      return waitFor(async () => {
        const rows = await db.query('SELECT status, reject_reason FROM raw_report WHERE id = $1', [reportId]);
        return rows[0] && rows[0].status !== 'queued' ? rows[0] : undefined;
      }, timeoutMs, `report ${reportId} to be processed`);
    },
    async snapshot() {
      const tables = [
        'raw_report', 'crash_report', 'bug_candidate', 'candidate_signature', 'candidate_bucket', 'candidate_host',
        'grouping_rule', 'report_attachment', 'core_symbol',
        'host', 'host_profile', 'host_collector_record', 'cep_report', 'host_activity_day', 'fleet_daily_rollup',
        'crash_hardware', 'hardware_attribute',
      ];
      const counts: Record<string, number> = {};
      for (const t of tables) counts[t] = (await db.query(`SELECT count(*)::int AS n FROM ${t}`))[0].n;
      return counts;
    },
    async close() {
      await hub.close();
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await database.drop();
    },
  };
}
