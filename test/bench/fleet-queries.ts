import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { CandidateQuerySchema } from '../../libs/contracts/src';
import { STATS_BREAKDOWNS } from '../../libs/host-profiles/src';
import { PostgresCandidateSearch } from '../../libs/search/src';
import { percentile } from './latency-stats';

export interface EndpointTiming {
  group: 'stats' | 'search' | 'over-representation' | 'console';
  name: string;
  path: string;
  status: number;
  requests: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  bytes: number;
  /** What the answer said (matched candidates, rows…), to show the request did real work. */
  note: string;
}

export interface PlanEvidence {
  name: string;
  topNode: string;
  /** Scan nodes, e.g. "Bitmap Index Scan on crash_hardware_attr_ids_idx". */
  scans: string[];
  usesGinIndex: boolean;
  /** Rows the plan read from the searched table: candidate_host_hardware groups (hardware filters alone) or crash_hardware reports. */
  rowsRead: number;
  /** rowsRead over all crash reports: a planner picks a sequential scan over the GIN index when it is large. */
  matchedShare: number;
  executionMs: number;
  plan: string;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** GIN indexes hardware filters can use: the per-(candidate, host, attribute set) groups' and the per-report copy's. */
export const GIN_INDEXES = ['candidate_host_hardware_attr_ids_idx', 'crash_hardware_attr_ids_idx'];

/** The bench's hub runs with this ADMIN_TOKEN; QA views need a role, public ones ignore it. */
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const BENCH_AUTH = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };

/** Sequential requests (one client, as a person clicking): warm-up first, then `requests` timed ones. */
export async function timeEndpoint(
  baseUrl: string,
  group: EndpointTiming['group'],
  name: string,
  path: string,
  requests: number,
  describe: (body: any) => string = () => '',
): Promise<EndpointTiming> {
  const get = async () => {
    const started = performance.now();
    const res = await fetch(`${baseUrl}${path}`, { headers: BENCH_AUTH });
    const text = await res.text();
    return { ms: performance.now() - started, status: res.status, text, json: (res.headers.get('content-type') ?? '').includes('json') };
  };
  for (let i = 0; i < 3; i++) await get();
  const samples: number[] = [];
  let last = await get();
  samples.push(last.ms);
  while (samples.length < requests) {
    last = await get();
    samples.push(last.ms);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  let note: string;
  if (last.status === 200) {
    try {
      note = describe(last.json ? JSON.parse(last.text) : last.text);
    } catch (error) {
      note = `unreadable answer: ${String(error)}`;
    }
  } else {
    note = last.text.slice(0, 120);
  }
  return {
    group,
    name,
    path,
    status: last.status,
    requests: samples.length,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted[sorted.length - 1]!,
    bytes: Buffer.byteLength(last.text),
    note,
  };
}

/** The SQL PostgresCandidateSearch sends for an HTTP query string, captured instead of run. */
export async function searchSql(query: Record<string, string | string[]>, hotWindowDays: number): Promise<Array<{ sql: string; params: unknown[] }>> {
  const captured: Array<{ sql: string; params: unknown[] }> = [];
  const capturing = {
    query: async (sql: string, params: unknown[]) => {
      captured.push({ sql, params });
      return [];
    },
  } as unknown as DataSource;
  await new PostgresCandidateSearch(capturing).search(CandidateQuerySchema.parse(query), new Date(Date.now() - hotWindowDays * 86_400_000));
  return captured;
}

/** Rows the scan of `relation` returned, summed over its loops (parallel workers included). */
function rowsFrom(node: PlanNode, relation: string): number {
  const own = node['Relation Name'] === relation ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsFrom(child, relation), 0);
}

function scans(node: PlanNode): string[] {
  const own = node['Relation Name'] || node['Index Name'] ? [`${node['Node Type']} on ${node['Index Name'] ?? node['Relation Name']}`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

/** EXPLAIN (ANALYZE, BUFFERS) of the page query (the first statement) the search backend runs for `query`. */
export async function explainSearch(
  pg: Client,
  name: string,
  query: Record<string, string | string[]>,
  hotWindowDays: number,
  crashReports: number,
): Promise<PlanEvidence> {
  const statements = await searchSql(query, hotWindowDays);
  const page = statements[0]!;
  const json = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${page.sql}`, page.params)).rows[0]['QUERY PLAN'][0] as {
    Plan: PlanNode;
    'Execution Time': number;
  };
  const text = (await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${page.sql}`, page.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
  const found = [...new Set(scans(json.Plan))];
  const rowsRead = rowsFrom(json.Plan, 'candidate_host_hardware') + rowsFrom(json.Plan, 'crash_hardware');
  return {
    name,
    topNode: json.Plan['Node Type'],
    scans: found,
    usesGinIndex: found.some((s) => GIN_INDEXES.some((index) => s.endsWith(` on ${index}`))),
    rowsRead,
    matchedShare: rowsRead / crashReports,
    executionMs: json['Execution Time'],
    plan: text,
  };
}

export interface SearchProbe {
  name: string;
  query: Record<string, string | string[]>;
}

export function searchPath(query: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return `/api/v1/candidates?${params.toString()}`;
}

/** Every public stats endpoint: the summary, the 90-day trend, all breakdowns, the public page and each breakdown. */
export async function timeStats(baseUrl: string, requests: number): Promise<EndpointTiming[]> {
  const out: EndpointTiming[] = [];
  out.push(await timeEndpoint(baseUrl, 'stats', 'summary', '/api/v1/stats', requests, (b) => `liveServers ${b.liveServers}`));
  out.push(
    await timeEndpoint(baseUrl, 'stats', 'live-servers?days=90', '/api/v1/stats/live-servers?days=90', requests, (b) =>
      `${b.trend.filter((t: { liveServers: number | null }) => t.liveServers !== null).length} days with a count`,
    ),
  );
  out.push(
    await timeEndpoint(baseUrl, 'stats', 'breakdowns (all)', '/api/v1/stats/breakdowns', requests, (b) =>
      `${b.breakdowns.length} breakdowns, ${b.breakdowns.reduce((n: number, d: any) => n + d.attributes.reduce((m: number, a: any) => m + a.cells.length, 0), 0)} cells`,
    ),
  );
  out.push(
    await timeEndpoint(baseUrl, 'stats', 'public page /stats', '/stats', requests, (html: string) =>
      `${Math.round(html.length / 1024)} KiB of HTML, ${(html.match(/<tr data-value=/g) ?? []).length} value rows`,
    ),
  );
  for (const b of STATS_BREAKDOWNS) {
    out.push(
      await timeEndpoint(baseUrl, 'stats', `breakdowns/${b.name}`, `/api/v1/stats/breakdowns/${b.name}`, requests, (body) =>
        body.attributes.map((a: any) => `${a.attribute} ${a.cells.length} cells, ${a.suppressed.cells} suppressed`).join('; '),
      ),
    );
  }
  return out;
}

export interface TableSize {
  table: string;
  rows: number;
  totalBytes: number;
  indexBytes: number;
}

export async function tableSizes(pg: Client, tables: string[]): Promise<TableSize[]> {
  const out: TableSize[] = [];
  for (const table of tables) {
    const { rows } = await pg.query<{ rows: string; total: string; indexes: string }>(
      `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_total_relation_size($1::regclass) AS total, pg_indexes_size($1::regclass) AS indexes`,
      [table],
    );
    out.push({ table, rows: Number(rows[0]!.rows), totalBytes: Number(rows[0]!.total), indexBytes: Number(rows[0]!.indexes) });
  }
  return out;
}

/** What the fleet offers the console pages: the largest candidate, a stored report, broad hardware values. */
export interface ConsoleTargets {
  largestCandidateId: string;
  medianCandidateId: string;
  /** A crash report with its raw report stored (posted through the hub); the seeded ones have none. */
  reportId?: string;
  productVersion: string;
  commonMemory: string;
  commonCpuModel: string;
}

const rowsIn = (html: string) => (html.match(/<tr[\s>]/g) ?? []).length;

/** Every console page a person reads, server-rendered, on the seeded fleet (signed in by Bearer token). */
export async function timeConsolePages(baseUrl: string, requests: number, t: ConsoleTargets): Promise<EndpointTiming[]> {
  const pages: Array<[string, string]> = [
    ['/candidates (no filter)', '/candidates'],
    ['/candidates?sort=hot', '/candidates?sort=hot'],
    ['/candidates?sort=hosts', '/candidates?sort=hosts'],
    ['/candidates?state=new (queue tab)', '/candidates?state=new'],
    ['/candidates?cpuVendor=AMD&sort=hot', '/candidates?cpuVendor=AMD&sort=hot'],
    ['/candidates?cpuVendor=AMD', '/candidates?cpuVendor=AMD'],
    [`/candidates?productVersion=${t.productVersion}&cpuVendor=AMD`, `/candidates?${new URLSearchParams({ productVersion: t.productVersion, cpuVendor: 'AMD' })}`],
    [`/candidates?diskKind=nvme&memory=${t.commonMemory}`, `/candidates?${new URLSearchParams({ diskKind: 'nvme', memory: t.commonMemory })}`],
    ['/candidates?country=DE&origin=field', '/candidates?country=DE&origin=field'],
    ['/candidates/:id (largest)', `/candidates/${t.largestCandidateId}`],
    ['/candidates/:id?reports=100 (largest, 5th report page)', `/candidates/${t.largestCandidateId}?reports=100`],
    ['/candidates/:id (median)', `/candidates/${t.medianCandidateId}`],
    ['/hardware (empty form)', '/hardware'],
    ['/hardware?cpuVendor=AMD&diskKind=nvme', '/hardware?cpuVendor=AMD&diskKind=nvme'],
    ['/hardware?cpuModel=<most common model>', `/hardware?${new URLSearchParams({ cpuModel: t.commonCpuModel })}`],
    ['/rigs', '/rigs'],
    ['/stats', '/stats'],
    ['/admin', '/admin'],
  ];
  if (t.reportId) pages.push(['/reports/:id', `/reports/${t.reportId}`]);
  const out: EndpointTiming[] = [];
  for (const [name, path] of pages) {
    out.push(await timeEndpoint(baseUrl, 'console', name, path, requests, (html: string) => `${Math.round(html.length / 1024)} KiB of HTML, ${rowsIn(html)} table rows`));
  }
  return out;
}
