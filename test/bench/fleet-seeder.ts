import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { AGENT_VERSION } from '../../agent/src/report/agent-version';
import { BUILTIN_COLLECTOR_NAMES, CEP_COLLECTOR_SCHEMAS } from '../../libs/contracts/src/cep';
import {
  activityDay,
  addDays,
  contributionDelta,
  crashAttributes,
  dailyContributions,
  dayOf,
  LIVE_KEY,
  type ActivityDay,
} from '../../libs/host-profiles/src';
import { insertCandidateHosts, syncCrashHardware } from '../../libs/storage/src/crash-hardware-sql';
import { seedCandidates } from './candidate-seeder';
import { Archetype, COUNTRIES, FleetModel, RARE_CPU, weighted } from './fleet-model';
import { SeededRandom } from './synthetic-crashes';

/**
 * Loads a week of a large fleet straight into the hub's tables, as the hub would have left them:
 * hosts, profile versions, collector records, CEP report rows, activity days, the daily rollup
 * (summed from the hub's own dailyContributions/contributionDelta), candidates and crash reports
 * whose hardware_attrs come from crashAttributes over the crashing host's profile.
 */

export interface FleetSeedOptions {
  hosts: number;
  crashes: number;
  candidates: number;
  archetypes: number;
  seed: number;
  liveWindowDays: number;
}

export interface PlantedCorrelation {
  candidateId: string;
  attribute: string;
  value: string;
  crashes: number;
  hosts: number;
  fleetHosts: number;
}

export interface FleetSeedResult {
  seconds: number;
  steps: Array<{ step: string; seconds: number; rows: number }>;
  hosts: number;
  archetypes: number;
  profiles: number;
  crashes: number;
  candidates: number;
  days: string[];
  planted: PlantedCorrelation;
  candidateSizes: { largest: number; median: number; smallest: number };
  /** Values the timed searches filter on, read from the seeded fleet. */
  probes: { commonMemory: string; commonCpuModel: string; commonProductVersion: string };
}

const DAYS = 7;
const BATCH = 10_000;
/** Hosts with the planted CPU model: a few hundred in 100k, rare enough to stand out. */
const RARE_SHARE = 0.003;
/** Hosts that get a product or ReadyKernel update during the week (a second profile version). */
const UPGRADE_SHARE = 0.05;
const RIG_HOST_SHARE = 0.005;
/** Candidate sizes fall off as rank^-1.1: a few huge bugs, a long tail of small ones. */
const SIZE_EXPONENT = 1.1;
/** The planted candidate is a mid-sized one, neither dominating the crash table nor trivial. */
const PLANTED_RANK = 30;

interface PlannedHost {
  id: string;
  archetype: Archetype;
  upgrade: Archetype | null;
  /** Day index (0..6) from which `upgrade` is the profile; DAYS when there is none. */
  changeDay: number;
  country: string | null;
  /** Bit d set: reported on days[d]. */
  mask: number;
  /** Seconds after midnight UTC of its daily report. */
  offset: number;
  rig: boolean;
  p1: string;
  p2: string | null;
}

const bits = (mask: number) => Array.from({ length: DAYS }, (_, d) => d).filter((d) => mask & (1 << d));

class StepTimer {
  readonly steps: FleetSeedResult['steps'] = [];
  private last = performance.now();

  done(step: string, rows: number): void {
    const now = performance.now();
    this.steps.push({ step, seconds: (now - this.last) / 1000, rows });
    console.log(`fleet seed: ${step}: ${rows} rows in ${((now - this.last) / 1000).toFixed(1)} s`);
    this.last = now;
  }
}

/** Runs `sql` once per BATCH-sized slice of `columns` (parallel arrays); returns the rows written. */
async function inBatches(pg: Client, sql: string, columns: Array<unknown[] | Int32Array | Float64Array>): Promise<number> {
  const n = columns[0]!.length;
  // node-postgres sends plain arrays as PostgreSQL arrays, typed arrays it would not.
  const slice = (c: unknown[] | Int32Array | Float64Array, from: number) => (Array.isArray(c) ? c.slice(from, from + BATCH) : Array.from(c.subarray(from, from + BATCH)));
  let rows = 0;
  for (let at = 0; at < n; at += BATCH) rows += (await pg.query(sql, columns.map((c) => slice(c, at)))).rowCount ?? 0;
  return rows;
}

function planHosts(model: FleetModel, random: SeededRandom, count: number, days: string[], now: number): PlannedHost[] {
  const hosts: PlannedHost[] = [];
  for (let i = 0; i < count; i++) {
    const offset = random.int(86_400);
    const roll = random.next();
    let mask: number;
    if (roll < 0.8) mask = 0b1111111;
    else if (roll < 0.88) mask = 0b1111111 & ~((1 << (1 + random.int(DAYS - 1))) - 1); // joined during the week
    else if (roll < 0.93) mask = (1 << (1 + random.int(DAYS - 1))) - 1; // went away during the week
    else mask = Array.from({ length: DAYS }, (_, d) => (random.next() < 0.6 ? 1 << d : 0)).reduce((a, b) => a | b, 0);
    // Today's report exists only once its time of day has passed.
    if (Date.parse(`${days[DAYS - 1]}T00:00:00Z`) + offset * 1000 > now) mask &= ~(1 << (DAYS - 1));
    if (mask === 0) mask = 1 << (DAYS - 2);
    const archetype = model.draw(random);
    const active = bits(mask);
    const upgrade = active.length > 1 && random.next() < UPGRADE_SHARE ? model.upgrade(archetype) : null;
    hosts.push({
      id: randomUUID(),
      archetype,
      upgrade,
      changeDay: upgrade ? active[1 + random.int(active.length - 1)]! : DAYS,
      country: weighted(random, COUNTRIES),
      mask,
      offset,
      rig: random.next() < RIG_HOST_SHARE,
      p1: randomUUID(),
      p2: upgrade ? randomUUID() : null,
    });
  }
  // Even a small fleet needs a few field hosts with the rare CPU for the planted correlation.
  const rare = [...model.rare][0]!;
  for (let i = 0, have = hosts.filter((h) => !h.rig && model.rare.has(h.archetype.index)).length; have < Math.min(5, count) && i < hosts.length; i++) {
    const h = hosts[i]!;
    if (h.rig || model.rare.has(h.archetype.index)) continue;
    Object.assign(h, { archetype: model.archetypes[rare]!, upgrade: null, changeDay: DAYS, p2: null });
    have++;
  }
  return hosts;
}

const reportAt = (days: string[], d: number, offset: number) => Date.parse(`${days[d]}T00:00:00Z`) / 1000 + offset;

/**
 * The rollup as the hub's deltas would have built it: each host's contribution over every day its
 * reports reach (last report + window), summed. A host's country never changes here, so its
 * contribution splits exactly into a profile part and a country part, each decided by its activity
 * days only; hosts alike in a part are computed once and weighted by their number.
 */
function fleetRollup(hosts: PlannedHost[], days: string[], windowDays: number): Map<string, { day: string; attribute: string; value: string; hosts: number; objects: number }> {
  const to = addDays(days[DAYS - 1]!, windowDays - 1);
  const rollup = new Map<string, { day: string; attribute: string; value: string; hosts: number; objects: number }>();
  const add = (activity: ActivityDay[], count: number, withLive: boolean) => {
    for (const delta of contributionDelta(new Map(), dailyContributions(activity, windowDays, days[0]!, to))) {
      if (!withLive && `${delta.attribute}=${delta.value}` === LIVE_KEY) continue;
      const key = `${delta.day}|${delta.attribute}=${delta.value}`;
      const row = rollup.get(key) ?? { day: delta.day, attribute: delta.attribute, value: delta.value, hosts: 0, objects: 0 };
      row.hosts += delta.hosts * count;
      row.objects += delta.objects * count;
      rollup.set(key, row);
    }
  };
  const groupBy = (key: (h: PlannedHost) => string) => {
    const groups = new Map<string, { host: PlannedHost; count: number }>();
    for (const h of hosts) {
      const k = key(h);
      const group = groups.get(k);
      if (group) group.count++;
      else groups.set(k, { host: h, count: 1 });
    }
    return groups.values();
  };
  for (const { host, count } of groupBy((h) => `${h.archetype.index}|${h.upgrade?.index ?? ''}|${h.changeDay}|${h.mask}`)) {
    const activity = bits(host.mask).map((d) =>
      activityDay({ day: days[d]!, attributes: (d >= host.changeDay ? host.upgrade! : host.archetype).attributes, country: null }),
    );
    add(activity, count, true);
  }
  for (const { host, count } of groupBy((h) => `${h.country}|${h.mask}`)) {
    if (host.country === null) continue;
    add(bits(host.mask).map((d) => activityDay({ day: days[d]!, attributes: {}, country: host.country })), count, false);
  }
  return rollup;
}

/**
 * Recounts one day of the rollup from its definition, independently of the delta arithmetic: every
 * host whose latest report within the window falls on or before `day` counts with that report's
 * profile attributes, its country and live=all. Returns the rollup rows that disagree.
 */
export async function rollupMismatches(pg: Client, day: string, windowDays: number): Promise<{ keys: number; mismatches: string[] }> {
  const { rows } = await pg.query<{ key: string; recount: string | null; rollup: string | null }>(
    `WITH latest AS (
       SELECT DISTINCT ON (host_id) host_id, profile_id, country FROM host_activity_day
        WHERE day BETWEEN $1::date - ($2::int - 1) AND $1::date ORDER BY host_id, day DESC),
     keyed AS (
       SELECT e.key, e.value::bigint AS objects FROM latest l JOIN host_profile p ON p.id = l.profile_id, jsonb_each_text(p.attributes) e
       UNION ALL SELECT 'country=' || country, 1 FROM latest WHERE country IS NOT NULL
       UNION ALL SELECT 'live=all', 1 FROM latest),
     recount AS (SELECT key, count(*)::int AS hosts, sum(objects)::bigint AS objects FROM keyed GROUP BY key),
     rollup AS (SELECT attribute || '=' || value AS key, hosts, objects FROM fleet_daily_rollup WHERE day = $1::date)
     SELECT key, recount.hosts || '/' || recount.objects AS recount, rollup.hosts || '/' || rollup.objects AS rollup
       FROM recount FULL JOIN rollup USING (key)`,
    [day, windowDays],
  );
  return {
    keys: rows.length,
    mismatches: rows.filter((r) => r.recount !== r.rollup).map((r) => `${r.key}: recount ${r.recount ?? '-'} rollup ${r.rollup ?? '-'}`),
  };
}

/** Power-law candidate sizes summing exactly to `total`, largest first, at least one crash each. */
function candidateSizes(candidates: number, total: number): number[] {
  const raw = Array.from({ length: candidates }, (_, r) => 1 / (r + 1) ** SIZE_EXPONENT);
  const sum = raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  for (let r = 0; left !== 0; r = (r + 1) % candidates) {
    if (left > 0) {
      sizes[r]!++;
      left--;
    } else if (sizes[r]! > 1) {
      sizes[r]!--;
      left++;
    }
  }
  return sizes;
}

function sample<T>(random: SeededRandom, items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  const picked = new Set<number>();
  while (picked.size < n) picked.add(random.int(items.length));
  return [...picked].map((i) => items[i]!);
}

function mostCommon(hosts: PlannedHost[], pick: (h: PlannedHost) => string | null | undefined): string {
  const counts = new Map<string, number>();
  for (const h of hosts) {
    const v = pick(h);
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

const attributeValue = (a: Archetype, attribute: string) =>
  Object.keys(a.attributes).find((k) => k.startsWith(`${attribute}=`))?.slice(attribute.length + 1);

export async function seedFleet(pg: Client, db: DataSource, options: FleetSeedOptions, now = new Date()): Promise<FleetSeedResult> {
  const started = performance.now();
  const timer = new StepTimer();
  const random = new SeededRandom(options.seed);
  const today = dayOf(now);
  const days = Array.from({ length: DAYS }, (_, d) => addDays(today, d - (DAYS - 1)));
  await pg.query(`SET TimeZone = 'UTC'`);
  await pg.query(`SET maintenance_work_mem = '512MB'`);
  // A scratch database: losing the last commits on a crash costs nothing, waiting for each flush does.
  await pg.query('SET synchronous_commit = off');

  const model = new FleetModel(random, options.archetypes, RARE_SHARE);
  const hosts = planHosts(model, random, options.hosts, days, now.getTime());
  timer.done(`planned hosts from ${model.archetypes.length} profile archetypes`, hosts.length);

  await pg.query(`CREATE TEMP TABLE bench_arch (idx int PRIMARY KEY, digest text, fingerprint text, profile jsonb, attributes jsonb, outcomes jsonb)`);
  await pg.query(`CREATE TEMP TABLE bench_arch_record (arch int, collector text, data jsonb)`);
  const archetypes = model.archetypes;
  await pg.query(
    `INSERT INTO bench_arch SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS x(idx int, digest text, fingerprint text, profile jsonb, attributes jsonb, outcomes jsonb)`,
    [
      JSON.stringify(
        archetypes.map((a) => ({
          idx: a.index,
          digest: a.digest,
          fingerprint: a.fingerprint,
          profile: a.profile,
          attributes: a.attributes,
          // cep_report.collectors as the hub writes it: one outcome per manifest entry.
          outcomes: BUILTIN_COLLECTOR_NAMES.map((name) =>
            a.collectors[name] === null
              ? { name, version: CEP_COLLECTOR_SCHEMAS[name].version, agentStatus: 'not-available', outcome: 'not-collected', reason: 'agent: prlctl not found' }
              : { name, version: CEP_COLLECTOR_SCHEMAS[name].version, agentStatus: 'ok', outcome: 'valid' },
          ),
        })),
      ),
    ],
  );
  await pg.query(`INSERT INTO bench_arch_record SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(arch int, collector text, data jsonb)`, [
    JSON.stringify(
      archetypes.flatMap((a) =>
        BUILTIN_COLLECTOR_NAMES.filter((name) => a.collectors[name] !== null).map((name) => ({ arch: a.index, collector: name, data: a.collectors[name] })),
      ),
    ),
  ]);
  await pg.query(`CREATE TEMP TABLE bench_host (idx int PRIMARY KEY, id uuid, country text, arch1 int, arch2 int, change_day int, mask int,
                    offset_s int, p1 uuid, p2 uuid, first_at timestamptz, change_at timestamptz, last_at timestamptz, reports int)`);
  const times = hosts.map((h) => {
    const active = bits(h.mask);
    return {
      first: reportAt(days, active[0]!, h.offset),
      change: h.upgrade ? reportAt(days, h.changeDay, h.offset) : null,
      last: reportAt(days, active[active.length - 1]!, h.offset),
      reports: active.length,
    };
  });
  await inBatches(
    pg,
    `INSERT INTO bench_host
     SELECT idx, id, country, arch1, arch2, change_day, mask, offset_s, p1, p2, to_timestamp(first_at), to_timestamp(change_at), to_timestamp(last_at), reports
       FROM unnest($1::int[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::uuid[], $10::uuid[],
                   $11::float8[], $12::float8[], $13::float8[], $14::int[])
         AS u(idx, id, country, arch1, arch2, change_day, mask, offset_s, p1, p2, first_at, change_at, last_at, reports)`,
    [
      hosts.map((_, i) => i),
      hosts.map((h) => h.id),
      hosts.map((h) => h.country),
      hosts.map((h) => h.archetype.index),
      hosts.map((h) => h.upgrade?.index ?? null),
      hosts.map((h) => h.changeDay),
      hosts.map((h) => h.mask),
      hosts.map((h) => h.offset),
      hosts.map((h) => h.p1),
      hosts.map((h) => h.p2),
      times.map((t) => t.first),
      times.map((t) => t.change),
      times.map((t) => t.last),
      times.map((t) => t.reports),
    ],
  );
  timer.done('staged archetypes and host plan', hosts.length);

  const profiles =
    (
      await pg.query(
        `INSERT INTO host_profile (id, host_id, valid_from, valid_to, digest, hardware_fingerprint, profile, attributes)
         SELECT h.p1, h.id, h.first_at, h.change_at, a.digest, a.fingerprint, a.profile, a.attributes FROM bench_host h JOIN bench_arch a ON a.idx = h.arch1
         UNION ALL
         SELECT h.p2, h.id, h.change_at, NULL, a.digest, a.fingerprint, a.profile, a.attributes FROM bench_host h JOIN bench_arch a ON a.idx = h.arch2`,
      )
    ).rowCount ?? 0;
  timer.done('host_profile', profiles);

  const dayOfReport = `($1::date + d)`;
  const profileOn = `CASE WHEN h.arch2 IS NOT NULL AND d >= h.change_day THEN h.p2 ELSE h.p1 END`;
  const activity =
    (
      await pg.query(
        `INSERT INTO host_activity_day (host_id, day, profile_id, country)
         SELECT h.id, ${dayOfReport}, ${profileOn}, h.country
           FROM bench_host h CROSS JOIN generate_series(0, ${DAYS - 1}) d WHERE h.mask & (1 << d) <> 0`,
        [days[0]],
      )
    ).rowCount ?? 0;
  timer.done('host_activity_day', activity);

  const cepReports =
    (
      await pg.query(
        `INSERT INTO cep_report (id, host_id, created_at, received_at, processed_at, agent_version, sequence, country, profile_id, collectors)
         SELECT gen_random_uuid(), h.id, t.at, t.at + interval '2 seconds', t.at + interval '3 seconds', $2,
                row_number() OVER (PARTITION BY h.id ORDER BY d)::int, h.country, ${profileOn}, a.outcomes
           FROM bench_host h CROSS JOIN generate_series(0, ${DAYS - 1}) d
           CROSS JOIN LATERAL (SELECT ${dayOfReport}::timestamptz + make_interval(secs => h.offset_s) AS at) t
           JOIN bench_arch a ON a.idx = CASE WHEN h.arch2 IS NOT NULL AND d >= h.change_day THEN h.arch2 ELSE h.arch1 END
          WHERE h.mask & (1 << d) <> 0`,
        [days[0], AGENT_VERSION],
      )
    ).rowCount ?? 0;
  timer.done('cep_report', cepReports);

  const hostRows =
    (
      await pg.query(
        `INSERT INTO host (id, first_report_at, last_report_at, report_count, country, agent_version, erasure_key_hash, current_profile_id, clone_signals)
         SELECT h.id, h.first_at, h.last_at, h.reports, h.country, $1, encode(sha256(convert_to('bench-key-' || h.id, 'UTF8')), 'hex'),
                COALESCE(h.p2, h.p1),
                -- A few golden-image clones, as the hub flags them.
                CASE WHEN h.idx % 500 = 7 THEN jsonb_build_array(jsonb_build_object('reason', 'report sequence 2 seen twice',
                       'reportId', gen_random_uuid(), 'detectedAt', h.last_at)) ELSE '[]'::jsonb END
           FROM bench_host h`,
        [AGENT_VERSION],
      )
    ).rowCount ?? 0;
  timer.done('host', hostRows);

  const records =
    (
      await pg.query(
        `INSERT INTO host_collector_record (host_id, collector, version, collected_at, report_id, outcome, reason, data)
         SELECT h.id, r.collector, 1, h.last_at, last.id, 'valid', NULL, r.data
           FROM bench_host h
           JOIN bench_arch_record r ON r.arch = COALESCE(h.arch2, h.arch1)
           JOIN LATERAL (SELECT c.id FROM cep_report c WHERE c.host_id = h.id ORDER BY c.created_at DESC LIMIT 1) last ON true`,
      )
    ).rowCount ?? 0;
  timer.done('host_collector_record', records);

  const rollup = [...fleetRollup(hosts, days, options.liveWindowDays).values()];
  const rollupRows = await inBatches(
    pg,
    `INSERT INTO fleet_daily_rollup (day, attribute, value, hosts, objects)
     SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::int[], $5::int8[])`,
    [rollup.map((r) => r.day), rollup.map((r) => r.attribute), rollup.map((r) => r.value), rollup.map((r) => r.hosts), rollup.map((r) => r.objects)],
  );
  // The window the rollup was built with, recorded as the worker records it; without it the worker would rebuild at start.
  await pg.query('INSERT INTO fleet_rollup_state (id, window_days, rebuilt_at) VALUES (1, $1, NULL)', [options.liveWindowDays]);
  timer.done('fleet_daily_rollup (dailyContributions per host group)', rollupRows);

  await seedCandidates(db, options.candidates, random.next() * 2 - 1);
  await pg.query(
    `CREATE TEMP TABLE bench_candidate AS
     SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id, family, component, exact_hash, signature_text, representative_frames
       FROM bug_candidate`,
  );
  await pg.query('ALTER TABLE bench_candidate ADD PRIMARY KEY (idx)');
  const candidateIds: string[] = (await pg.query<{ id: string }>('SELECT id FROM bench_candidate ORDER BY idx')).rows.map((r) => r.id);
  timer.done('bug_candidate, candidate_signature, candidate_bucket (candidate-seeder)', candidateIds.length);

  const crashes = planCrashes(random, hosts, model, candidateIds.length, options.crashes, days, now);
  const combos = crashes.combos;
  await pg.query(`CREATE TEMP TABLE bench_combo (id int PRIMARY KEY, attrs text[], hardware jsonb, kernel text, os_release text, labels jsonb, package_version text)`);
  await pg.query(
    `INSERT INTO bench_combo
     SELECT x.id, ARRAY(SELECT jsonb_array_elements_text(x.attrs)), x.hardware, x.kernel, x.os_release, x.labels, x.package_version
       FROM jsonb_to_recordset($1::jsonb) AS x(id int, attrs jsonb, hardware jsonb, kernel text, os_release text, labels jsonb, package_version text)`,
    [JSON.stringify(combos)],
  );
  timer.done(`planned crashes (${combos.length} distinct hardware_attrs sets from crashAttributes)`, crashes.count);

  // Indexes are built once after the load, far cheaper than maintaining them row by row.
  const indexes = (
    await pg.query<{ name: string; def: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid IN ('crash_report'::regclass, 'crash_hardware'::regclass) AND NOT x.indisprimary`,
    )
  ).rows;
  for (const index of indexes) await pg.query(`DROP INDEX "${index.name}"`);
  const inserted = await inBatches(
    pg,
    `INSERT INTO crash_report (id, candidate_id, family, problem_type, component, executable, reason, crashed_at, host_key, host_id,
                               host_profile_id, country, hardware_attrs, package_name, package_version, os_release, kernel, architecture,
                               exact_hash, signature_text, normalized_frames, duphash, bthash, labels, occurrences, grouping, hardware)
     SELECT gen_random_uuid(), c.id, c.family, 'core', c.component, '/usr/sbin/' || c.component, c.component || ' killed by SIGSEGV',
            to_timestamp(u.t), 'host:' || h.id, h.id, CASE WHEN u.v = 2 THEN h.p2 ELSE h.p1 END, h.country, k.attrs,
            c.component, k.package_version, k.os_release, k.kernel, 'x86_64', c.exact_hash, c.signature_text, c.representative_frames,
            md5(c.exact_hash), md5(c.exact_hash || 'bt'), k.labels, 1,
            jsonb_build_object('method', 'exact-signature', 'normalizationVersion', 1), k.hardware
       FROM unnest($1::int[], $2::int[], $3::float8[], $4::int[], $5::int[]) AS u(cand, host, t, combo, v)
       JOIN bench_candidate c ON c.idx = u.cand
       JOIN bench_host h ON h.idx = u.host
       JOIN bench_combo k ON k.id = u.combo`,
    [crashes.candidate, crashes.host, crashes.time, crashes.combo, crashes.version],
  );
  timer.done('crash_report', inserted);
  await syncCrashHardware(pg);
  timer.done('hardware_attribute, crash_hardware (syncCrashHardware from crash_report)', inserted);
  for (const index of indexes) await pg.query(index.def);
  timer.done('crash_report, crash_hardware secondary indexes built after the load', indexes.length);

  await pg.query(
    `UPDATE bug_candidate c SET report_count = s.n, occurrence_count = s.n, host_count = s.hosts, first_seen = s.first, last_seen = s.last
       FROM (SELECT candidate_id, count(*)::int AS n, count(DISTINCT host_key)::int AS hosts, min(crashed_at) AS first, max(crashed_at) AS last
               FROM crash_report GROUP BY candidate_id) s
      WHERE s.candidate_id = c.id`,
  );
  const candidateHosts = await insertCandidateHosts(pg);
  timer.done('bug_candidate counters and candidate_host', candidateHosts);

  for (const table of ['bench_combo', 'bench_candidate', 'bench_host', 'bench_arch_record', 'bench_arch']) await pg.query(`DROP TABLE ${table}`);
  // As autovacuum would leave a table this size: statistics gathered and the visibility map set.
  await pg.query('VACUUM ANALYZE');
  timer.done('VACUUM ANALYZE', 0);

  const planted = crashes.planted;
  const rareHosts = hosts.filter((h) => model.rare.has(h.archetype.index)).length;
  const sizes = crashes.sizes;
  return {
    seconds: (performance.now() - started) / 1000,
    steps: timer.steps,
    hosts: hosts.length,
    archetypes: model.archetypes.length,
    profiles,
    crashes: inserted,
    candidates: candidateIds.length,
    days,
    planted: {
      candidateId: candidateIds[planted.candidate]!,
      attribute: 'cpu.model',
      value: planted.value,
      crashes: sizes[PLANTED_RANK]!,
      hosts: planted.hosts,
      fleetHosts: rareHosts,
    },
    candidateSizes: { largest: sizes[0]!, median: sizes[Math.floor(sizes.length / 2)]!, smallest: sizes[sizes.length - 1]! },
    probes: {
      commonMemory: mostCommon(hosts, (h) => attributeValue(h.archetype, 'memory.size')),
      commonCpuModel: mostCommon(hosts, (h) => attributeValue(h.archetype, 'cpu.model')),
      commonProductVersion: mostCommon(hosts, (h) => attributeValue(h.archetype, 'product.version')),
    },
  };
}

interface CrashPlan {
  count: number;
  candidate: Int32Array;
  host: Int32Array;
  time: Float64Array;
  combo: Int32Array;
  version: Int32Array;
  combos: Array<{ id: number; attrs: string[]; hardware: object; kernel: string; os_release: string; labels: object; package_version: string }>;
  sizes: number[];
  /** Candidate index holding the planted correlation, its CPU model and its distinct hosts. */
  planted: { candidate: number; value: string; hosts: number };
}

/**
 * Crashes for power-law sized candidates. Each candidate crashes on a pool of hosts (larger pools
 * for larger candidates, some hosts crashing often): 10% are test-rig bugs on rig hosts, 30% are
 * tied to a few profile archetypes, the rest spread over the field. One candidate crashes only on
 * hosts with RARE_CPU. Rows come ordered by crash time, like a table filled as crashes arrive.
 */
function planCrashes(
  random: SeededRandom,
  hosts: PlannedHost[],
  model: FleetModel,
  candidates: number,
  total: number,
  days: string[],
  now: Date,
): CrashPlan {
  const sizes = candidateSizes(candidates, total);
  // Ranks are dealt to candidates at random, so a candidate's size says nothing about its id.
  const rankOf = Array.from({ length: candidates }, (_, i) => i);
  for (let i = candidates - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [rankOf[i], rankOf[j]] = [rankOf[j]!, rankOf[i]!];
  }
  const field: number[] = [];
  const rig: number[] = [];
  const rare: number[] = [];
  const byArchetype = new Map<number, number[]>();
  hosts.forEach((h, i) => {
    (h.rig ? rig : field).push(i);
    if (!h.rig && model.rare.has(h.archetype.index)) rare.push(i);
    if (h.rig) return;
    const same = byArchetype.get(h.archetype.index);
    if (same) same.push(i);
    else byArchetype.set(h.archetype.index, [i]);
  });
  if (!rig.length) rig.push(field[0]!);
  const weekStart = Date.parse(`${days[0]}T00:00:00Z`) / 1000;
  const end = now.getTime() / 1000;

  const candidate = new Int32Array(total);
  const host = new Int32Array(total);
  const time = new Float64Array(total);
  const combo = new Int32Array(total);
  const version = new Int32Array(total);
  const comboIds = new Map<string, number>();
  const combos: CrashPlan['combos'] = [];
  let planted = { candidate: -1, value: '', hosts: 0 };
  let at = 0;
  for (let c = 0; c < candidates; c++) {
    const rank = rankOf[c]!;
    const n = sizes[rank]!;
    const poolSize = Math.min(n, Math.max(1, Math.round(1.5 * n ** 0.75)));
    let pool: number[];
    let origin: 'rig' | 'field' = 'field';
    if (rank === PLANTED_RANK) {
      pool = rare;
    } else if (random.next() < 0.1) {
      origin = 'rig';
      pool = sample(random, rig, poolSize);
    } else if (random.next() < 0.33) {
      const tied: number[] = [];
      for (let k = 0; k < 3 && tied.length < poolSize; k++) tied.push(...(byArchetype.get(model.draw(random).index) ?? []));
      pool = sample(random, tied.length ? tied : field, poolSize);
    } else {
      pool = sample(random, field, poolSize);
    }
    const start = weekStart + random.next() * (end - 3600 - weekStart);
    const crashedHosts = new Set<number>();
    for (let i = 0; i < n; i++, at++) {
      const hi = pool[Math.floor(random.next() ** 2 * pool.length)]!;
      const h = hosts[hi]!;
      const t = start + random.next() * (end - start);
      const upgraded = h.upgrade !== null && t >= reportAt(days, h.changeDay, h.offset);
      const archetype = upgraded ? h.upgrade! : h.archetype;
      const key = `${archetype.index}|${h.country}|${origin}`;
      let id = comboIds.get(key);
      if (id === undefined) {
        id = combos.length;
        comboIds.set(key, id);
        const labels: Record<string, string> = origin === 'rig' ? { rig: `rig-${String(archetype.index % 12).padStart(2, '0')}`, build: `vz-${archetype.productVersion}` } : {};
        combos.push({
          id,
          // The hub's own overlay: the host's profile at crash time plus the crash's own facts.
          attrs: crashAttributes({ hardware: archetype.crashFacts, kernel: archetype.kernel, labels, country: h.country, profile: archetype.attributes }),
          hardware: archetype.crashFacts,
          kernel: archetype.kernel,
          os_release: archetype.osRelease,
          labels,
          package_version: archetype.productVersion,
        });
      }
      candidate[at] = c;
      host[at] = hi;
      time[at] = t;
      combo[at] = id;
      version[at] = upgraded ? 2 : 1;
      crashedHosts.add(hi);
    }
    if (rank === PLANTED_RANK) {
      planted = { candidate: c, value: RARE_CPU.model, hosts: crashedHosts.size };
    }
  }
  // Rows in arrival order, as a live hub appends them.
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => time[a]! - time[b]!);
  const permute = <T extends Int32Array | Float64Array>(src: T): T => {
    const out = new (src.constructor as new (n: number) => T)(total);
    order.forEach((from, to) => (out[to] = src[from]!));
    return out;
  };
  return {
    count: total,
    candidate: permute(candidate),
    host: permute(host),
    time: permute(time),
    combo: permute(combo),
    version: permute(version),
    combos,
    sizes,
    planted,
  };
}
