import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cepReport, sendCepReport } from './cep-report';
import type { TestHub } from './test-hub';

export const FIXTURES = join(__dirname, '..', 'fixtures');

/** Sender addresses the bundled GeoIP database places in these countries. */
export const SENDERS = { US: '8.8.8.8', NL: '193.0.6.139', AU: '202.12.29.140' } as const;
export type Country = keyof typeof SENDERS;

/** cpuinfo vendor ids and the vendor names QA filters by. */
export const CPU_VENDOR_NAMES: Readonly<Record<string, string>> = { GenuineIntel: 'Intel', AuthenticAMD: 'AMD' };

export type DiskKind = 'ssd' | 'hdd' | 'nvme';

export interface HostSpec {
  name: string;
  hostId: string;
  cpu: { vendor: keyof typeof CPU_VENDOR_NAMES; model: string; logicalCpus: number };
  /** MemTotal as the kernel reports it (a little below the installed size). */
  memoryMiB: number;
  disks: DiskKind[];
  cgroup: 'v1' | 'v2';
  /** Where the host's CEP reports come from. */
  country?: Country;
}

export function host(name: string, spec: Omit<HostSpec, 'name' | 'hostId'>): HostSpec {
  return { name, hostId: randomUUID(), ...spec };
}

/** Collector outputs as the agent's cpu, memory, disks and cgroups collectors shape them. */
export function collectorsOf(h: HostSpec): Record<string, unknown> {
  return {
    cpu: {
      vendor: h.cpu.vendor,
      model: h.cpu.model,
      logicalCpus: h.cpu.logicalCpus,
      sockets: 2,
      coresPerSocket: Math.max(1, Math.floor(h.cpu.logicalCpus / 4)),
      virtualizationFlags: [h.cpu.vendor === 'AuthenticAMD' ? 'svm' : 'vmx'],
      hypervisorFlag: false,
    },
    memory: {
      totalMiB: h.memoryMiB,
      availableMiB: Math.floor(h.memoryMiB / 2),
      availableEstimated: false,
      usedPercent: 50,
      swapTotalMiB: 0,
      swapUsedPercent: 0,
    },
    disks: {
      disks: h.disks.map((kind) => ({ kind, vendor: null, model: `${kind.toUpperCase()} model 1`, sizeBucket: '1-2TiB', removable: false })),
      mdRaidLevels: {},
    },
    cgroups: { version: h.cgroup, controllers: [] },
  };
}

/** Sends a CEP report for the host as of `createdAt` (from the host's country) and waits for it. */
export async function sendProfile(hub: TestHub, h: HostSpec, createdAt: Date, sequence = 1): Promise<void> {
  const report = await cepReport({ hostId: h.hostId, createdAt, sequence, collectors: collectorsOf(h) });
  const headers: Record<string, string> = h.country ? { 'x-forwarded-for': SENDERS[h.country] } : {};
  const final = await sendCepReport(hub, report, headers);
  if (final.status !== 'processed') throw new Error(`CEP report of ${h.name}: ${final.status} ${final.reject_reason}`);
}

/**
 * Memory buckets are powers of two in GiB with the upper bound inclusive, so MemTotal a little
 * below 64 GiB is "32-64GiB". Valid between 4 and 512 GiB.
 */
export function memoryBucket(totalMiB: number): string {
  const hi = 2 ** Math.ceil(Math.log2(totalMiB / 1024));
  if (hi <= 4 || hi > 512) throw new RangeError(`memoryBucket: ${totalMiB} MiB is outside the range this helper names`);
  return `${hi / 2}-${hi}GiB`;
}

const UREPORT_PYTHON = JSON.parse(readFileSync(join(FIXTURES, 'upstream/faf/tests/sample_reports/ureport_python'), 'utf8')) as {
  problem: { stacktrace: Array<{ function_name: string }> };
};

/**
 * FAF's Python uReport sample with every function renamed after `tag`: reports with one tag group
 * together, reports with different tags share no frame and stay apart.
 */
export function pythonUReport(tag: string): Record<string, unknown> {
  const ureport = structuredClone(UREPORT_PYTHON);
  for (const frame of ureport.problem.stacktrace) frame.function_name = `${tag}_${frame.function_name}`;
  return ureport;
}

export const RIG_LABELS = (run: string) => ({ rig: 'rig-vz9-03', test_run: run, build: '9.0.1-42', test_name: 'vzctl/migrate' });

export interface AgentCrash {
  hostId: string;
  tag: string;
  crashedAt: Date;
  labels?: Record<string, string>;
  /** The crash's own sender country (X-Forwarded-For), when sent through a trusted proxy. */
  from?: Country;
}

/** POST /api/v1/crash-reports as the hub's agent sends it; returns the report id once processed. */
export async function sendAgentCrash(hub: TestHub, crash: AgentCrash): Promise<string> {
  const reportId = randomUUID();
  const req = hub.http.post('/api/v1/crash-reports');
  if (crash.from) req.set('x-forwarded-for', SENDERS[crash.from]);
  await req
    .send({
      reportId,
      hostId: crash.hostId,
      crashedAt: crash.crashedAt.toISOString(),
      ...(crash.labels ? { labels: crash.labels } : {}),
      ureport: pythonUReport(crash.tag),
    })
    .expect(202);
  const final = await hub.settled(reportId);
  if (final.status !== 'processed') throw new Error(`crash ${reportId}: ${final.status} ${final.reject_reason}`);
  return reportId;
}

/** Every non-empty file of an upstream problem directory, as element name → text. */
export function problemDirElements(relDir: string): Record<string, string> {
  const dir = join(FIXTURES, 'upstream', relDir);
  const elements: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (statSync(join(dir, name)).size > 0) elements[name] = readFileSync(join(dir, name), 'utf8');
  }
  return elements;
}

export interface CrashRow {
  id: string;
  candidate_id: string;
  host_id: string | null;
  host_profile_id: string | null;
  hardware_attrs: string[];
}

export async function crashRows(hub: TestHub, ids: string[]): Promise<Map<string, CrashRow>> {
  const rows: CrashRow[] = await hub.db.query(
    'SELECT id, candidate_id, host_id, host_profile_id, hardware_attrs FROM crash_report WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** attribute → values, from `attribute=value` keys. */
export function attributeMap(keys: string[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const key of keys) {
    const at = key.indexOf('=');
    const [attribute, value] = [key.slice(0, at), key.slice(at + 1)];
    map.set(attribute, (map.get(attribute) ?? new Set()).add(value));
  }
  return map;
}
