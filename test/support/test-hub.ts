import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadHubConfig } from '../../libs/config/src';
import type { Role } from '../../apps/hub/src/access/access-policy';
import { ROLES } from '../../apps/hub/src/access/access-policy';
import { AccountsService } from '../../apps/hub/src/access/accounts.service';
import { ApiTokensService } from '../../apps/hub/src/access/api-tokens.service';
import { startHub, RunningHub } from '../../apps/hub/src/hub-application';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from './test-database';
import { waitFor } from './wait-for';

/** The ADMIN_TOKEN every test hub starts with. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestPerson {
  id: string;
  username: string;
  password: string;
  /** An API token scoped to the person's role. */
  token: string;
}

export interface TestHub {
  url: string;
  /** Anonymous requests. */
  http: ReturnType<typeof request>;
  /** Requests as a person of that role (their API token), or with ADMIN_TOKEN. */
  as(role: Role | 'admin-token'): ReturnType<typeof request.agent>;
  /** One person per role, made at start (username `test-<role>`). */
  people: Record<Role, TestPerson>;
  db: DataSource;
  database: TestDatabase;
  /** The Nest application, for services a test drives directly. */
  app(): RunningHub['app'];
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
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    BOOTSTRAP_ADMIN: 'false',
    ...env,
  });
  const hub = await startHub(config, { api: true, worker: true });
  const db = hub.app.get(DataSource);
  const url = hub.url!;
  const people = await makePeople(hub);
  return {
    url,
    http: request(url),
    people,
    app: () => hub.app,
    as(role) {
      const secret = role === 'admin-token' ? config.adminToken! : people[role].token;
      return request.agent(url).set('Authorization', `Bearer ${secret}`);
    },
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
        'user_account', 'user_session', 'api_token', 'rig_key', 'audit_event',
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

/** A person per role with a known password and an API token of that role. */
async function makePeople(hub: RunningHub): Promise<Record<Role, TestPerson>> {
  const accounts = hub.app.get(AccountsService);
  const tokens = hub.app.get(ApiTokensService);
  const system = { kind: 'system', name: 'test setup' } as const;
  const people = {} as Record<Role, TestPerson>;
  for (const role of ROLES) {
    const username = `test-${role}`;
    const password = `${role}-password-for-tests`;
    const { account } = await accounts.add(system, { username, role, password });
    const { token } = await tokens.issue(system, { id: account.id, role }, { name: 'tests', scope: role, expiresInDays: 1 });
    people[role] = { id: account.id, username, password, token };
  }
  return people;
}
