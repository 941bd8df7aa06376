import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CollectorResult } from '../../agent/src/collectors/collector-result';
import { buildReport } from '../../agent/src/report/report-builder';
import {
  CEP_COLLECTOR_SCHEMAS,
  type BuiltinCollectorName,
  type CollectorOutput,
  type CollectorStatus,
} from '../../libs/contracts/src/cep';

/**
 * Synthetic collector outputs and hosts for fleet tests. Every builder checks its output against the
 * collector's schema, so a slip in a fixture fails here instead of turning into an 'invalid' record.
 */
function checked<N extends BuiltinCollectorName>(name: N, data: CollectorOutput<N>): CollectorOutput<N> {
  return CEP_COLLECTOR_SCHEMAS[name].schema.parse(data) as CollectorOutput<N>;
}

export const DAY_MS = 86_400_000;
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
export const daysAgo = (n: number, from = Date.now()): Date => new Date(from - n * DAY_MS);

export const cpuData = (o: Partial<CollectorOutput<'cpu'>> = {}) =>
  checked('cpu', {
    vendor: 'GenuineIntel',
    model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
    logicalCpus: 40,
    sockets: 2,
    coresPerSocket: 10,
    virtualizationFlags: ['vmx'],
    hypervisorFlag: false,
    ...o,
  });

export const memoryData = (totalMiB: number) =>
  checked('memory', {
    totalMiB,
    availableMiB: Math.floor(totalMiB / 2),
    availableEstimated: false,
    usedPercent: 50,
    swapTotalMiB: 4096,
    swapUsedPercent: 0,
  });

export const hardwareData = (o: { vendor?: string; product?: string; virtuozzoHost?: boolean } = {}) =>
  checked('hardware', {
    systemVendor: o.vendor ?? 'Supermicro',
    productName: o.product ?? 'SYS-2029U-TR4',
    productFamily: null,
    biosVendor: 'American Megatrends Inc.',
    virtualization: o.virtuozzoHost === false ? { role: 'none', system: 'none', virtuozzoHost: false } : { role: 'host', system: 'openvz', virtuozzoHost: true },
  });

export const networkData = (nicSpeedsMbps: number[] = [10_000, 10_000]) =>
  checked('network', {
    nicCount: nicSpeedsMbps.length,
    nics: nicSpeedsMbps.map((speedMbps) => ({ driver: 'ixgbe', speedMbps, operState: 'up' as const })),
    bonds: [],
    teams: [],
    bridgeCount: 1,
  });

export type DiskKind = 'ssd' | 'hdd' | 'nvme' | 'unknown';
export const disksData = (disks: Array<{ kind: DiskKind; model?: string; sizeBucket?: CollectorOutput<'disks'>['disks'][number]['sizeBucket'] }>) =>
  checked('disks', {
    disks: disks.map((d) => ({ kind: d.kind, vendor: null, model: d.model ?? `${d.kind.toUpperCase()}-MODEL-1`, sizeBucket: d.sizeBucket ?? '1-2TiB', removable: false })),
    mdRaidLevels: {},
  });

export const vmGuestsData = (guestOs: Record<string, number>) => {
  const total = Object.values(guestOs).reduce((a, b) => a + b, 0);
  return checked('vm-guests', { total, byState: { running: total }, guestOs, guestToolsInstalled: total });
};

export const staticSettingsData = (o: { osId: string; versionId: string | null; productVersion?: string | null; kernel?: string }) =>
  checked('static-settings', {
    kernelRelease: o.kernel ?? '3.10.0-1160.80.1.vz7.191.4',
    arch: 'x86_64',
    os: { id: o.osId, versionId: o.versionId, name: o.osId },
    productVersion: o.productVersion ?? null,
    readyKernelPatch: null,
    vzConf: {},
    sysctl: {},
  });

export const servicesData = (enabled: string[] = ['sshd', 'vz']) => checked('services', { enabled });

/** One collector run as the agent would list it; `data` only with status ok. */
export interface CollectorRun {
  name: string;
  status?: CollectorStatus;
  version?: number;
  reason?: string;
  data?: unknown;
}

/**
 * An agent installation as the hub sees it: a host id, an erasure key and a report sequence. Reports
 * are made by the agent's own report builder, so they are byte-for-byte what a real agent sends.
 */
export class SyntheticAgent {
  readonly hostId = randomUUID();
  readonly erasureKey = randomBytes(32).toString('hex');
  private sequence = 0;

  /** `collectors`: name → data (status ok), or explicit runs with any status. */
  async report(
    createdAt: Date,
    collectors: Record<string, unknown> | CollectorRun[],
    opts: { sequence?: number } = {},
  ): Promise<{ reportId: string; tarball: Buffer; sequence: number }> {
    const runs: CollectorRun[] = Array.isArray(collectors) ? collectors : Object.entries(collectors).map(([name, data]) => ({ name, data }));
    const collectedAt = createdAt.toISOString();
    const results: CollectorResult[] = runs.map((run) => {
      const status = run.status ?? 'ok';
      return {
        name: run.name,
        version: run.version ?? CEP_COLLECTOR_SCHEMAS[run.name as BuiltinCollectorName]?.version ?? 0,
        status,
        durationMs: 1,
        collectedAt,
        ...(run.reason ? { reason: run.reason } : {}),
        data: status === 'ok' ? run.data : null,
      };
    });
    const sequence = opts.sequence ?? ++this.sequence;
    const built = await buildReport(
      results,
      { hostId: this.hostId, sequence, erasureKeyHash: createHash('sha256').update(this.erasureKey).digest('hex') },
      createdAt,
    );
    return { reportId: built.reportId, tarball: built.tarball, sequence };
  }
}
