import { gunzipSync } from 'node:zlib';
import { AgentCrashReportSchema, describeZodError, UReportV2Schema } from '../../../../libs/contracts/src';
import { CrashInput, CrashInputError } from '../../../../libs/crash-reports/src/crash-input';
import { crashFromProblemDir } from '../../../../libs/crash-reports/src/problem-dir-to-crash';
import { crashFromUReport } from '../../../../libs/crash-reports/src/ureport-to-crash';
import { type ArchiveLimits, readArchive, toProblemDirectory } from '../../../../libs/storage/src/archive';
import type { RawReportEntity } from '../../../../libs/storage/src/entities';

export interface DecodedCrash {
  input: CrashInput;
  hostKey: string | null;
  crashedAt: Date;
  labels: Record<string, string>;
}

/** A stored raw crash report (uReport JSON or problem-directory archive) as the hub's CrashInput. */
export async function decodeRawCrash(raw: Pick<RawReportEntity, 'kind' | 'payload' | 'hostId' | 'labels' | 'receivedAt' | 'occurrences'>, limits: ArchiveLimits): Promise<DecodedCrash> {
  const hostKey = raw.hostId ? `host:${raw.hostId}` : null;
  if (raw.kind === 'ureport') {
    const json: unknown = JSON.parse(gunzipSync(raw.payload).toString());
    const agent = AgentCrashReportSchema.safeParse(json);
    if (agent.success) {
      const input = crashFromUReport(agent.data.ureport);
      return {
        input: { ...input, occurrences: agent.data.occurrences },
        hostKey: hostKey ?? input.hostKey ?? null,
        crashedAt: agent.data.crashedAt ? new Date(agent.data.crashedAt) : raw.receivedAt,
        labels: raw.labels,
      };
    }
    const ureport = UReportV2Schema.safeParse(json);
    if (!ureport.success) throw new CrashInputError(`invalid uReport: ${describeZodError(ureport.error)}`);
    const input = crashFromUReport(ureport.data);
    return { input, hostKey: hostKey ?? input.hostKey ?? null, crashedAt: raw.receivedAt, labels: raw.labels };
  }
  const dir = toProblemDirectory(await readArchive(raw.payload, limits));
  const input = crashFromProblemDir(dir);
  return {
    input: { ...input, occurrences: raw.occurrences },
    hostKey: hostKey ?? input.hostKey ?? null,
    crashedAt: input.crashedAt ?? raw.receivedAt,
    labels: raw.labels,
  };
}
