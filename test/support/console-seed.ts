import { randomUUID } from 'node:crypto';
import { daysAgo } from './fleet-fixtures';
import { host, RIG_LABELS, sendProfile, type HostSpec } from './crash-hardware-fixtures';
import { pythonUReport } from './python-crash';
import type { TestHub } from './test-hub';

/** Stacks of the seeded candidates (innermost first), chosen so that the grouping outcome is known. */
export const STACKS = {
  /** On AMD/NVMe hosts only. */
  amd: ['amd_parse_entry', 'amd_load_config', 'amd_start_service', 'amd_apply', 'amd_main'],
  /** Two of five frames differ from `amd`'s twin: near, yet over the grouping threshold — a "similar" candidate. */
  amdTwin: ['amd_parse_entry', 'amd_load_config', 'twin_start', 'twin_apply', 'amd_main'],
  /** On Intel/SSD hosts; ten frames, the last differing in one report: grouped as near duplicates, then split. */
  intel: ['i_read', 'i_decode', 'i_check', 'i_store', 'i_flush', 'i_commit', 'i_sync', 'i_run', 'i_loop', 'i_main'],
  intelVariant: ['i_read', 'i_decode', 'i_check', 'i_store', 'i_flush', 'i_commit', 'i_sync', 'i_run', 'i_loop', 'i_other'],
  /** Frame names crafted as markup: the pages must show them as text. */
  hostile: ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>', 'x" onmouseover="alert(3)'],
} as const;

export interface SeededConsole {
  amdHosts: HostSpec[];
  intelHosts: HostSpec[];
  reports: Record<keyof typeof STACKS, string[]>;
}

async function sendCrash(hub: TestHub, hostId: string, functions: readonly string[], crashedAt: Date, labels?: Record<string, string>): Promise<string> {
  const reportId = randomUUID();
  await hub.http
    .post('/api/v1/crash-reports')
    .send({ reportId, hostId, crashedAt: crashedAt.toISOString(), ...(labels ? { labels } : {}), ureport: pythonUReport([...functions]) })
    .expect(202);
  const final = await hub.settled(reportId);
  if (final.status !== 'processed') throw new Error(`crash ${reportId}: ${final.status} ${final.reject_reason}`);
  return reportId;
}

/** A small fleet (AMD EPYC + NVMe, Intel Xeon + SSD) with crashes whose candidates the console tests know. */
export async function seedConsole(hub: TestHub): Promise<SeededConsole> {
  const amdHosts = [0, 1, 2].map((i) =>
    host(`amd-${i}`, { cpu: { vendor: 'AuthenticAMD', model: 'AMD EPYC 7302 16-Core Processor', logicalCpus: 32 }, memoryMiB: 63_000, disks: ['nvme'], cgroup: 'v2' }),
  );
  const intelHosts = [0, 1, 2, 3].map((i) =>
    host(`intel-${i}`, { cpu: { vendor: 'GenuineIntel', model: 'Intel(R) Xeon(R) Gold 6230', logicalCpus: 40 }, memoryMiB: 127_000, disks: ['ssd'], cgroup: 'v1' }),
  );
  for (const h of [...amdHosts, ...intelHosts]) await sendProfile(hub, h, daysAgo(3));
  const reports = { amd: [], amdTwin: [], intel: [], intelVariant: [], hostile: [] } as SeededConsole['reports'];
  for (const [i, h] of amdHosts.entries()) reports.amd.push(await sendCrash(hub, h.hostId, STACKS.amd, daysAgo(2 - i * 0.3)));
  reports.amdTwin.push(await sendCrash(hub, amdHosts[0].hostId, STACKS.amdTwin, daysAgo(1)));
  for (const [i, h] of intelHosts.entries()) reports.intel.push(await sendCrash(hub, h.hostId, STACKS.intel, daysAgo(2 - i * 0.2), RIG_LABELS('nightly-7')));
  reports.intelVariant.push(await sendCrash(hub, intelHosts[0].hostId, STACKS.intelVariant, daysAgo(0.5)));
  reports.hostile.push(await sendCrash(hub, intelHosts[1].hostId, STACKS.hostile, daysAgo(0.4)));
  return { amdHosts, intelHosts, reports };
}

/** The candidate a report sits in now. */
export async function candidateOf(hub: TestHub, reportId: string): Promise<string> {
  const rows: Array<{ candidate_id: string }> = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [reportId]);
  return rows[0].candidate_id;
}
