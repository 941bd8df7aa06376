import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { CollectorResult } from '../../agent/src/collectors/collector-result';
import { buildReport } from '../../agent/src/report/report-builder';
import { BUILTIN_COLLECTOR_NAMES, CEP_COLLECTOR_SCHEMAS, CEP_REPORTS_PATH } from '../../libs/contracts/src/cep';
import { addDays, dayOf } from '../../libs/host-profiles/src';
import { FleetModel, HostCollectors, nextDayCollectors } from './fleet-model';
import { drained, failIfRefused, IntakeThroughput, measureIntake, postConcurrently, Upload } from './http-load';
import { SeededRandom } from './synthetic-crashes';

export interface CepThroughputResult extends IntakeThroughput {
  reports: number;
  hosts: number;
  buildSeconds: number;
  meanReportBytes: number;
  rawStatuses: Record<string, number>;
  rejectReasons: string[];
  /** What the worker made of the sample: rows for the sample's hosts only. */
  cepReportRows: number;
  profileVersions: number;
  invalidCollectorRecords: number;
  cloneSignals: number;
  countries: number;
}

interface SampleReport {
  hostId: string;
  createdAt: Date;
  ip: string;
  tarball: Buffer;
}

const DAY_MS = 86_400_000;

/** A public unicast IPv4 address, so the hub's bundled GeoIP database gives hosts real, varied countries. */
function publicAddress(random: SeededRandom): string {
  for (;;) {
    const [a, b] = [1 + random.int(223), random.int(256)];
    const reserved = a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
    if (!reserved) return `${a}.${b}.${random.int(256)}.${1 + random.int(254)}`;
  }
}

function results(collectors: HostCollectors, at: Date, random: SeededRandom): CollectorResult[] {
  return BUILTIN_COLLECTOR_NAMES.map((name) => {
    const data = collectors[name];
    const base = { name, version: CEP_COLLECTOR_SCHEMAS[name].version, durationMs: 1 + random.int(400), collectedAt: at.toISOString() };
    return data === null ? { ...base, status: 'not-available' as const, reason: 'prlctl not found', data: null } : { ...base, status: 'ok' as const, data };
  });
}

/**
 * Hosts with one to seven daily reports over the last week, built by the agent's own report
 * builder. Between reports a host's usage changes, now and then a VM comes or goes (a new profile
 * version) and a few hosts upgrade their product (another one).
 */
export async function buildCepSample(count: number, seed: number, archetypes: number, now = new Date()): Promise<{ reports: SampleReport[]; hosts: string[]; seconds: number }> {
  const started = performance.now();
  const random = new SeededRandom(seed);
  const model = new FleetModel(random, archetypes, 0.003);
  const today = dayOf(now);
  const specs: Array<{ hostId: string; key: string; sequence: number; createdAt: Date; ip: string; collectors: HostCollectors }> = [];
  const hosts: string[] = [];
  while (specs.length < count) {
    const hostId = randomUUID();
    hosts.push(hostId);
    const ip = publicAddress(random);
    const reports = Math.min(count - specs.length, 1 + Math.floor(random.next() ** 1.3 * 7));
    const dayOffsets = [...new Set(Array.from({ length: reports * 3 }, () => random.int(7)))].slice(0, reports).sort((a, b) => b - a);
    let archetype = model.draw(random);
    let collectors = archetype.collectors;
    const offset = random.int(DAY_MS);
    dayOffsets.forEach((back, i) => {
      if (i > 0 && random.next() < 0.05) {
        archetype = model.upgrade(archetype) ?? archetype;
        collectors = archetype.collectors;
      }
      const vmDelta = random.next() < 0.15 ? (random.next() < 0.6 ? 1 : -1) : 0;
      collectors = nextDayCollectors(collectors, random, vmDelta);
      // Today's report cannot be later than now.
      const createdAt = new Date(Math.min(Date.parse(`${addDays(today, -back)}T00:00:00Z`) + offset, now.getTime() - random.int(3_600_000)));
      specs.push({ hostId, key: `bench-key-${hostId}`, sequence: i + 1, createdAt, ip, collectors });
    });
  }
  // Fleets send roughly in time order: a host's reports never overtake each other.
  specs.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const reports: SampleReport[] = [];
  for (let at = 0; at < specs.length; at += 16) {
    reports.push(
      ...(await Promise.all(
        specs.slice(at, at + 16).map(async (s) => {
          const built = await buildReport(
            results(s.collectors, s.createdAt, random),
            { hostId: s.hostId, sequence: s.sequence, erasureKeyHash: createHash('sha256').update(s.key).digest('hex') },
            s.createdAt,
          );
          return { hostId: s.hostId, createdAt: s.createdAt, ip: s.ip, tarball: built.tarball };
        }),
      )),
    );
  }
  return { reports, hosts, seconds: (performance.now() - started) / 1000 };
}

/** The hub trusts X-Forwarded-For from 127.0.0.1 (TRUSTED_PROXIES), as behind a reverse proxy. */
const upload = (r: SampleReport): Upload => ({
  body: new Uint8Array(r.tarball),
  headers: { 'content-type': 'application/gzip', 'x-host-id': r.hostId, 'x-forwarded-for': r.ip },
});

export interface CepThroughputOptions {
  reports: number;
  warmup: number;
  concurrency: number;
  seed: number;
  archetypes: number;
  drainTimeoutMs: number;
}

/**
 * Posts real report.tar.gz to POST /api/v1/cep-reports of a running hub (API and worker
 * processes) and waits until the worker has processed them all: accepted/s and processed/s.
 */
export async function measureCepThroughput(baseUrl: string, pg: Client, options: CepThroughputOptions): Promise<CepThroughputResult> {
  const url = `${baseUrl}${CEP_REPORTS_PATH}`;

  if (options.warmup > 0) {
    const warm = await buildCepSample(options.warmup, options.seed + 11, options.archetypes);
    failIfRefused(await postConcurrently(url, warm.reports.map(upload), options.concurrency), 'warm-up CEP reports');
    await drained(pg, options.drainTimeoutMs);
  }

  const sample = await buildCepSample(options.reports, options.seed, options.archetypes);
  const intake = await measureIntake(url, sample.reports.map(upload), options.concurrency, pg, options.drainTimeoutMs);
  const hostIds = sample.hosts;
  const one = async (sql: string) => (await pg.query<{ n: number }>(sql, [hostIds])).rows[0]!.n;
  return {
    reports: sample.reports.length,
    hosts: hostIds.length,
    buildSeconds: sample.seconds,
    meanReportBytes: sample.reports.reduce((sum, r) => sum + r.tarball.length, 0) / sample.reports.length,
    ...intake,
    rawStatuses: Object.fromEntries(
      (await pg.query<{ k: string; n: number }>(`SELECT status AS k, count(*)::int AS n FROM raw_report WHERE kind = 'cep' AND host_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`, [hostIds])).rows.map((r) => [r.k, r.n]),
    ),
    rejectReasons: (await pg.query<{ r: string }>(`SELECT DISTINCT reject_reason AS r FROM raw_report WHERE status = 'rejected' LIMIT 5`)).rows.map((r) => r.r),
    cepReportRows: await one('SELECT count(*)::int AS n FROM cep_report WHERE host_id = ANY($1::uuid[])'),
    profileVersions: await one('SELECT count(*)::int AS n FROM host_profile WHERE host_id = ANY($1::uuid[])'),
    invalidCollectorRecords: await one(
      `SELECT count(*)::int AS n FROM cep_report c, jsonb_array_elements(c.collectors) e WHERE c.host_id = ANY($1::uuid[]) AND e->>'outcome' = 'invalid'`,
    ),
    cloneSignals: await one('SELECT coalesce(sum(jsonb_array_length(clone_signals)), 0)::int AS n FROM host WHERE id = ANY($1::uuid[])'),
    countries: await one('SELECT count(DISTINCT country)::int AS n FROM host WHERE id = ANY($1::uuid[])'),
  };
}
