import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
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
  DEBUGINFO_DIRS: z.string().optional().describe('colon-separated debuginfo trees (.build-id/ab/cdef….debug, as under /usr/lib/debug) to retrace core frames with; unset = off'),
  HOT_WINDOW_DAYS: z.coerce.number().int().positive().default(14),
  SEARCH_BACKEND: z.enum(['postgres', 'elasticsearch']).default('postgres'),
  ELASTICSEARCH_URL: z.string().url().optional(),
  ELASTICSEARCH_INDEX: z.string().default('hub-candidates'),
  INGEST_TOKEN: z.string().min(1).optional().describe('compatibility: a shared ingestion credential; when set, ingestion is keys-only'),
  INGEST_MODE: z.enum(['open', 'keys']).default('open').describe('open: anyone may send crashes and CEP reports; keys: only rig keys'),
  ADMIN_TOKEN: z.string().min(16).optional().describe('Bearer token that acts as an admin (bootstrap and automation)'),
  BOOTSTRAP_ADMIN: flag(true).describe('on start with no enabled admin account, create one and print its one-time password'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(60).describe('a browser session ends after this long without a request'),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12).describe('a browser session ends this long after sign-in, whatever the activity'),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto').describe('Secure cookies: auto = when the request came over HTTPS'),
  OIDC_ISSUER: z.string().url().optional().describe('OpenID Connect issuer URL; set to offer single sign-on'),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.string().url().optional().describe('this hub\'s /sign-in/oidc/callback as the provider knows it'),
  OIDC_ROLE_CLAIM: z.string().min(1).default('groups').describe('the ID-token claim whose values map to roles'),
  OIDC_ROLE_MAP: z
    .string()
    .default('{}')
    .describe('JSON: claim value -> role, e.g. {"hub-admins":"admin","qa-team":"qa"}; the highest mapped role wins'),
  OIDC_DEFAULT_ROLE: z.enum(['viewer', 'developer', 'qa', 'admin']).optional().describe('role for people with no mapped claim value; unset = refused'),
  METRICS_TOKEN: z.string().min(16).optional().describe('Bearer token that may read the metrics route (besides admins)'),
  LIVE_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(14).describe('a server is live if it reported within this many days'),
  STATS_MIN_HOSTS: z.coerce.number().int().min(1).default(5).describe('public statistics suppress cells with fewer hosts'),
  CEP_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).default(30).describe('processed report.tar.gz are deleted after this many days'),
  RETENTION_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000).describe('how often the retention sweep runs'),
  MACHINE_ID_KEY: z
    .string()
    .min(16)
    .optional()
    .describe('key of the HMAC that replaces stock clients\' machine ids before they are stored; unset = machine ids are dropped'),
  GEOIP_DB_PATH: z.string().optional().describe('IP-to-country MMDB; default: the bundled @ip-location-db package; "off" disables'),
  RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).default(30).describe('Retry-After of a 503 while the database or queue cannot take a report'),
  METRICS_PUBLISH_MS: z.coerce.number().int().positive().default(5000).describe('how often a process publishes its metrics to Redis for the API to add up'),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .describe('comma-separated addresses/CIDRs whose X-Forwarded-For is honoured; unset = none'),
  HUB_PUBLIC_URL: z.string().url().optional().describe('address people reach the hub at (links from Jira); default http://HOST:PORT'),
  JIRA_URL: z.string().url().optional().describe('Jira Server/Data Center base URL, e.g. https://bugs.openvz.org'),
  JIRA_PROJECT: z.string().regex(/^[A-Z][A-Z0-9_]+$/).default('OVZ'),
  JIRA_PROJECT_ID: z.string().regex(/^\d+$/).optional().describe('numeric project id for the prefilled create form when the hub cannot read it'),
  JIRA_ISSUE_TYPE: z.string().min(1).default('Bug'),
  JIRA_TOKEN: z.string().min(1).optional().describe('personal access token (Bearer)'),
  JIRA_USER: z.string().min(1).optional(),
  JIRA_PASSWORD: z.string().min(1).optional(),
  JIRA_REGRESSION_POLICY: z.enum(['reopen', 'new-ticket']).default('reopen'),
  JIRA_REOPEN_TRANSITION: z.string().min(1).default('Reopen Issue').describe('transition name used to reopen a regressed ticket'),
  JIRA_SYNC_INTERVAL_MS: z.coerce.number().int().positive().default(600_000),
  JIRA_WEBHOOK_SECRET: z.string().min(16).optional().describe('secret in the webhook URL; unset = webhook route off'),
  TRIAGE_VERIFY_DAYS: z.coerce.number().int().min(1).default(14).describe('days without crashes from fixed builds before verified fixed'),
  PROBABLY_FIXED_WINDOW_DAYS: z.coerce.number().int().min(1).default(14),
  AUTO_FILING: z.enum(['off', 'dry-run', 'on']).default('off').describe('automatic Jira filing for rig crash clusters'),
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
  /** null: no retracing; core frames are grouped as reported. */
  debuginfo: DebuginfoConfig | null;
  search: { backend: 'postgres' } | { backend: 'elasticsearch'; url: string; index: string };
  ingestToken?: string;
  adminToken?: string;
  access: {
    ingestMode: 'open' | 'keys';
    metricsToken?: string;
    bootstrapAdmin: boolean;
    session: { idleMs: number; maxMs: number; secureCookie: 'auto' | boolean };
    oidc?: OidcConfig;
  };
  fleet: { liveWindowDays: number; statsMinHosts: number; cepRawRetentionDays: number; retentionIntervalMs: number };
  /** Key of the machine-id HMAC; without one, machine ids are not kept at all. */
  machineIdKey: string | undefined;
  /** null: country lookup switched off. */
  geoipDbPath: string | null;
  trustedProxies: string[];
  ops: { retryAfterSeconds: number; metricsPublishMs: number };
  publicUrl: string;
  /** null: no Jira configured (tickets can still be linked by key and filed by hand). */
  jira: JiraConfig | null;
  triage: { verifyDays: number; probablyFixedWindowDays: number; autoFiling: HubEnv['AUTO_FILING'] };
}

export interface DebuginfoConfig {
  /** Trees holding `.build-id/ab/cdef….debug`, searched in order. */
  dirs: string[];
  /** Absolute path of binutils `addr2line`, resolved once at start. */
  addr2line: string;
}

export interface JiraConfig {
  url: string;
  project: string;
  projectId?: string;
  issueType: string;
  /** null: no credentials; the hub offers a prefilled create form instead. */
  auth: { kind: 'token'; token: string } | { kind: 'basic'; user: string; password: string } | null;
  regressionPolicy: HubEnv['JIRA_REGRESSION_POLICY'];
  reopenTransition: string;
  syncIntervalMs: number;
  webhookSecret?: string;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  roleClaim: string;
  roleMap: Record<string, 'viewer' | 'developer' | 'qa' | 'admin'>;
  defaultRole?: 'viewer' | 'developer' | 'qa' | 'admin';
}

const RoleMapSchema = z.record(z.string(), z.enum(['viewer', 'developer', 'qa', 'admin']));

function oidcConfig(e: HubEnv): OidcConfig | undefined {
  if (!e.OIDC_ISSUER) return undefined;
  for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const) {
    if (!e[name]) throw new ConfigError(`invalid hub configuration: ${name}: required when OIDC_ISSUER is set`);
  }
  let map: unknown;
  try {
    map = JSON.parse(e.OIDC_ROLE_MAP);
  } catch {
    throw new ConfigError('invalid hub configuration: OIDC_ROLE_MAP: not JSON');
  }
  const roleMap = RoleMapSchema.safeParse(map);
  if (!roleMap.success) throw new ConfigError('invalid hub configuration: OIDC_ROLE_MAP: an object of claim value -> viewer|developer|qa|admin');
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    redirectUrl: e.OIDC_REDIRECT_URL!,
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMap: roleMap.data,
    defaultRole: e.OIDC_DEFAULT_ROLE,
  };
}

/** Where `name` runs from on `PATH`, or undefined. */
function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Retracing needs the trees and binutils addr2line; a missing one stops the start, not every crash later.
 * binutils, not elfutils: eu-addr2line 0.188 prints no inline chain for LTO builds, exactly the frames retracing is for.
 */
function debuginfoConfig(e: HubEnv, path: string | undefined): DebuginfoConfig | null {
  const dirs = (e.DEBUGINFO_DIRS ?? '').split(':').map((d) => d.trim()).filter(Boolean);
  if (!dirs.length) return null;
  for (const dir of dirs) {
    if (!isAbsolute(dir) || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(`invalid hub configuration: DEBUGINFO_DIRS: ${dir} is not an absolute path to a directory`);
  }
  const addr2line = onPath('addr2line', path);
  if (!addr2line) throw new ConfigError('invalid hub configuration: DEBUGINFO_DIRS: retracing needs addr2line (binutils) on PATH');
  return { dirs, addr2line };
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
  if (Boolean(e.JIRA_USER) !== Boolean(e.JIRA_PASSWORD)) {
    throw new ConfigError('invalid hub configuration: JIRA_PASSWORD: JIRA_USER and JIRA_PASSWORD go together');
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
    // PATH is no setting of the hub: the process's own unless the caller hands one in.
    debuginfo: debuginfoConfig(e, env.PATH ?? process.env.PATH),
    search:
      e.SEARCH_BACKEND === 'elasticsearch'
        ? { backend: 'elasticsearch', url: e.ELASTICSEARCH_URL!, index: e.ELASTICSEARCH_INDEX }
        : { backend: 'postgres' },
    ingestToken: e.INGEST_TOKEN,
    adminToken: e.ADMIN_TOKEN,
    access: {
      ingestMode: e.INGEST_TOKEN ? 'keys' : e.INGEST_MODE,
      metricsToken: e.METRICS_TOKEN,
      bootstrapAdmin: e.BOOTSTRAP_ADMIN,
      session: {
        idleMs: e.SESSION_IDLE_MINUTES * 60_000,
        maxMs: e.SESSION_MAX_HOURS * 3_600_000,
        secureCookie: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
      },
      oidc: oidcConfig(e),
    },
    fleet: {
      liveWindowDays: e.LIVE_WINDOW_DAYS,
      statsMinHosts: e.STATS_MIN_HOSTS,
      cepRawRetentionDays: e.CEP_RAW_RETENTION_DAYS,
      retentionIntervalMs: e.RETENTION_INTERVAL_MS,
    },
    machineIdKey: e.MACHINE_ID_KEY,
    geoipDbPath: e.GEOIP_DB_PATH === 'off' ? null : (e.GEOIP_DB_PATH ?? bundledGeoipDb()),
    trustedProxies: (e.TRUSTED_PROXIES ?? '').split(',').map((v) => v.trim()).filter(Boolean),
    ops: { retryAfterSeconds: e.RETRY_AFTER_SECONDS, metricsPublishMs: e.METRICS_PUBLISH_MS },
    publicUrl: (e.HUB_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    jira: e.JIRA_URL
      ? {
          url: e.JIRA_URL.replace(/\/+$/, ''),
          project: e.JIRA_PROJECT,
          projectId: e.JIRA_PROJECT_ID,
          issueType: e.JIRA_ISSUE_TYPE,
          auth: e.JIRA_TOKEN
            ? { kind: 'token', token: e.JIRA_TOKEN }
            : e.JIRA_USER && e.JIRA_PASSWORD
              ? { kind: 'basic', user: e.JIRA_USER, password: e.JIRA_PASSWORD }
              : null,
          regressionPolicy: e.JIRA_REGRESSION_POLICY,
          reopenTransition: e.JIRA_REOPEN_TRANSITION,
          syncIntervalMs: e.JIRA_SYNC_INTERVAL_MS,
          webhookSecret: e.JIRA_WEBHOOK_SECRET,
        }
      : null,
    triage: { verifyDays: e.TRIAGE_VERIFY_DAYS, probablyFixedWindowDays: e.PROBABLY_FIXED_WINDOW_DAYS, autoFiling: e.AUTO_FILING },
  };
}
