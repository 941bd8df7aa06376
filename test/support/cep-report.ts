import { createHash, randomUUID } from 'node:crypto';
import { buildReport } from '../../agent/src/report/report-builder';
import type { CollectorResult } from '../../agent/src/collectors/collector-result';
import { CEP_COLLECTOR_SCHEMAS, type BuiltinCollectorName } from '../../libs/contracts/src/cep';
import type { TestHub } from './test-hub';

export interface CepReportSpec {
  hostId: string;
  createdAt: Date;
  /** Collector name → data; each becomes an `ok` result at the collector's version. */
  collectors: Partial<Record<BuiltinCollectorName, unknown>> & Record<string, unknown>;
  sequence?: number;
  erasureKey?: string;
}

/** A report.tar.gz made by the agent's own report builder, from hand-picked collector outputs. */
export async function cepReport(spec: CepReportSpec): Promise<{ reportId: string; tarball: Buffer }> {
  const collectedAt = spec.createdAt.toISOString();
  const results: CollectorResult[] = Object.entries(spec.collectors).map(([name, data]) => ({
    name,
    version: CEP_COLLECTOR_SCHEMAS[name as BuiltinCollectorName]?.version ?? 0,
    status: 'ok',
    durationMs: 1,
    collectedAt,
    data,
  }));
  const built = await buildReport(
    results,
    {
      hostId: spec.hostId,
      sequence: spec.sequence ?? 1,
      erasureKeyHash: createHash('sha256').update(spec.erasureKey ?? `key-${spec.hostId}`).digest('hex'),
    },
    spec.createdAt,
  );
  return { reportId: built.reportId, tarball: built.tarball };
}

/** Posts a report and waits until the worker has processed it; returns the final raw status. */
export async function sendCepReport(
  hub: TestHub,
  report: { reportId: string; tarball: Buffer },
  headers: Record<string, string> = {},
): Promise<{ status: string; reject_reason: string | null }> {
  const req = hub.http.post('/api/v1/cep-reports').set('content-type', 'application/gzip');
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  await req.send(report.tarball).expect(202);
  return hub.settled(report.reportId);
}

export const newHostId = (): string => randomUUID();
