import { z } from 'zod';

const bytes = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the hub reads; defaults select the embedded, zero-install drivers. */
export const HubEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  HUB_ROLE: z.enum(['all', 'api', 'worker']).default('all').describe('which half of the hub this process runs'),
  DATABASE_URL: z.string().url().optional().describe('PostgreSQL URL; unset = embedded PGlite under DATA_DIR'),
  REDIS_URL: z.string().url().optional().describe('Redis URL for Bull; unset = in-process queue'),
  DATA_DIR: z.string().default('var').describe('embedded database and other local state'),
  QUEUE_PREFIX: z.string().default('hub'),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  MIGRATIONS_RUN: flag(true),
  LOG_FORMAT: z.enum(['json', 'text']).default('text'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  MAX_BODY_BYTES: bytes(32 * 1024 * 1024).describe('largest accepted request body'),
  MAX_UREPORT_BYTES: bytes(4 * 1024 * 1024).describe('FAF limit for one uReport'),
  ARCHIVE_MAX_UNPACKED_BYTES: bytes(256 * 1024 * 1024),
  ARCHIVE_MAX_ENTRIES: bytes(2000),
  ARCHIVE_MAX_ENTRY_BYTES: bytes(128 * 1024 * 1024),
  UPLOAD_MAX_BYTES: bytes(4 * 1024 ** 3).describe('problem-directory uploads (PUT /upload, crash-archives): streamed body limit'),
  ARCHIVE_MAX_STREAM_BYTES: bytes(8 * 1024 ** 3).describe('problem-directory uploads: whole unpacked stream, skipped cores included'),
  ARCHIVE_MAX_RATIO: z.coerce.number().positive().default(1100).describe('an upload may unpack to at most this many times its compressed size (gzip tops out near 1032)'),
  UPLOAD_MIN_BYTES_PER_SEC: z.coerce.number().int().min(0).default(1024).describe('a streamed upload slower than this (after 10 s) is cut; 0 = off'),
  ARCHIVE_WORKERS: z.coerce.number().int().min(1).max(16).default(2).describe('worker threads that inflate uploads'),
  ARCHIVE_QUEUE_MAX: z.coerce.number().int().min(0).default(32).describe('uploads waiting for an archive worker before 503'),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(15 * 60_000).describe('receiving the whole request, body included (4 GiB uploads need minutes)'),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000).describe('a request body that stops arriving this long is cut'),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().default(60_000),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().min(0).default(6000).describe('requests per window per presented credential; 0 = unlimited'),
  RATE_LIMIT_PER_HOST: z.coerce.number().int().min(0).default(600).describe('reports per window per host id; 0 = unlimited'),
  RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(0).default(6000).describe('requests per window per anonymous client address; 0 = unlimited'),
  JOB_ATTEMPTS: z.coerce.number().int().positive().default(5),
  JOB_BACKOFF_MS: z.coerce.number().int().positive().default(2000),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(2),
  // Long enough that a backlog still waiting in Bull is not re-checked job by job every interval.
  RECOVERY_GRACE_MS: z.coerce.number().int().min(0).default(120_000).describe('age before a queued report counts as lost'),
  JOB_LOCK_MS: z.coerce.number().int().positive().default(30_000).describe('Bull lock; a dead worker\'s job is retried after it'),
  RECOVERY_INTERVAL_MS: z.coerce.number().int().positive().default(30_000).describe('how often stored but unqueued reports are re-enqueued'),
  GROUPING_THRESHOLD: z.coerce.number().min(0).max(1).default(0.3),
  HOT_WINDOW_DAYS: z.coerce.number().int().positive().default(14),
  SEARCH_BACKEND: z.enum(['postgres', 'elasticsearch']).default('postgres'),
  ELASTICSEARCH_URL: z.string().url().optional(),
  ELASTICSEARCH_INDEX: z.string().default('hub-candidates'),
  INGEST_TOKEN: z.string().min(1).optional().describe('when set, /api/v1 ingestion requires Bearer <token>'),
  ADMIN_TOKEN: z.string().min(16).optional().describe('Bearer token for host views and erasure on any host\'s behalf'),
  LIVE_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(14).describe('a server is live if it reported within this many days'),
  STATS_MIN_HOSTS: z.coerce.number().int().min(1).default(5).describe('public statistics suppress cells with fewer hosts'),
  CEP_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).default(30).describe('processed report.tar.gz are deleted after this many days'),
  RETENTION_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000).describe('how often the retention sweep runs'),
  GEOIP_DB_PATH: z.string().optional().describe('IP-to-country MMDB; default: the bundled @ip-location-db package; "off" disables'),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .describe('comma-separated addresses/CIDRs whose X-Forwarded-For is honoured; unset = none'),
});

export type HubEnv = z.infer<typeof HubEnvSchema>;

export interface HubConfig {
  http: { port: number; host: string; maxBodyBytes: number };
  role: HubEnv['HUB_ROLE'];
  database: { kind: 'postgres'; url: string; poolSize: number } | { kind: 'embedded'; dataDir: string };
  queue: { kind: 'bull'; redisUrl: string; prefix: string } | { kind: 'inline' };
  migrationsRun: boolean;
  log: { format: HubEnv['LOG_FORMAT']; level: HubEnv['LOG_LEVEL'] };
  limits: {
    maxUReportBytes: number;
    archive: { maxCompressedBytes: number; maxUnpackedBytes: number; maxEntries: number; maxEntryBytes: number };
    /** Problem-directory doors: streamed to disk, cores skipped while inflating. */
    upload: { maxBytes: number; maxStreamBytes: number; minBytesPerSec: number };
    /** Decompression ratio bound, applied to every archive door. */
    maxRatio: number;
    archivePool: { workers: number; queueMax: number };
  };
  timeouts: { requestMs: number; headersMs: number; idleMs: number };
  rateLimits: { windowMs: number; perKey: number; perHost: number; perClient: number };
  jobs: { attempts: number; backoffMs: number; concurrency: number; lockMs: number; recoveryIntervalMs: number; recoveryGraceMs: number };
  grouping: { threshold: number; hotWindowDays: number };
  search: { backend: 'postgres' } | { backend: 'elasticsearch'; url: string; index: string };
  ingestToken?: string;
  adminToken?: string;
  fleet: { liveWindowDays: number; statsMinHosts: number; cepRawRetentionDays: number; retentionIntervalMs: number };
  /** null: country lookup switched off. */
  geoipDbPath: string | null;
  trustedProxies: string[];
}

/** The IP-to-country database shipped as an npm package (CC0, RIR whois + ASN data). */
function bundledGeoipDb(): string {
  return require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

export class ConfigError extends Error {}

/** Parses the environment once; the message names every bad variable. */
export function loadHubConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = HubEnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid hub configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (e.SEARCH_BACKEND === 'elasticsearch' && !e.ELASTICSEARCH_URL) {
    throw new ConfigError('invalid hub configuration: ELASTICSEARCH_URL: required when SEARCH_BACKEND=elasticsearch');
  }
  return {
    http: { port: e.PORT, host: e.HOST, maxBodyBytes: e.MAX_BODY_BYTES },
    role: e.HUB_ROLE,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE }
      : { kind: 'embedded', dataDir: e.DATA_DIR },
    queue: e.REDIS_URL ? { kind: 'bull', redisUrl: e.REDIS_URL, prefix: e.QUEUE_PREFIX } : { kind: 'inline' },
    migrationsRun: e.MIGRATIONS_RUN,
    log: { format: e.LOG_FORMAT, level: e.LOG_LEVEL },
    limits: {
      maxUReportBytes: e.MAX_UREPORT_BYTES,
      archive: {
        maxCompressedBytes: e.MAX_BODY_BYTES,
        maxUnpackedBytes: e.ARCHIVE_MAX_UNPACKED_BYTES,
        maxEntries: e.ARCHIVE_MAX_ENTRIES,
        maxEntryBytes: e.ARCHIVE_MAX_ENTRY_BYTES,
      },
      maxRatio: e.ARCHIVE_MAX_RATIO,
      upload: { maxBytes: e.UPLOAD_MAX_BYTES, maxStreamBytes: e.ARCHIVE_MAX_STREAM_BYTES, minBytesPerSec: e.UPLOAD_MIN_BYTES_PER_SEC },
      archivePool: { workers: e.ARCHIVE_WORKERS, queueMax: e.ARCHIVE_QUEUE_MAX },
    },
    timeouts: { requestMs: e.HTTP_REQUEST_TIMEOUT_MS, headersMs: e.HTTP_HEADERS_TIMEOUT_MS, idleMs: e.HTTP_IDLE_TIMEOUT_MS },
    rateLimits: { windowMs: e.RATE_LIMIT_WINDOW_MS, perKey: e.RATE_LIMIT_PER_KEY, perHost: e.RATE_LIMIT_PER_HOST, perClient: e.RATE_LIMIT_PER_CLIENT },
    jobs: {
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      concurrency: e.WORKER_CONCURRENCY,
      lockMs: e.JOB_LOCK_MS,
      recoveryIntervalMs: e.RECOVERY_INTERVAL_MS,
      recoveryGraceMs: e.RECOVERY_GRACE_MS,
    },
    grouping: { threshold: e.GROUPING_THRESHOLD, hotWindowDays: e.HOT_WINDOW_DAYS },
    search:
      e.SEARCH_BACKEND === 'elasticsearch'
        ? { backend: 'elasticsearch', url: e.ELASTICSEARCH_URL!, index: e.ELASTICSEARCH_INDEX }
        : { backend: 'postgres' },
    ingestToken: e.INGEST_TOKEN,
    adminToken: e.ADMIN_TOKEN,
    fleet: {
      liveWindowDays: e.LIVE_WINDOW_DAYS,
      statsMinHosts: e.STATS_MIN_HOSTS,
      cepRawRetentionDays: e.CEP_RAW_RETENTION_DAYS,
      retentionIntervalMs: e.RETENTION_INTERVAL_MS,
    },
    geoipDbPath: e.GEOIP_DB_PATH === 'off' ? null : (e.GEOIP_DB_PATH ?? bundledGeoipDb()),
    trustedProxies: (e.TRUSTED_PROXIES ?? '').split(',').map((v) => v.trim()).filter(Boolean),
  };
}
