import { gunzipSync } from 'node:zlib';
import { AgentCrashReportSchema, describeZodError, UReportV2Schema } from '../../../../libs/contracts/src';
import { CrashInput, CrashInputError } from '../../../../libs/crash-reports/src/crash-input';
import { minimiseProblemElements } from '../../../../libs/crash-reports/src/crash-minimisation';
import { crashFromProblemDir } from '../../../../libs/crash-reports/src/problem-dir-to-crash';
import { crashFromUReport } from '../../../../libs/crash-reports/src/ureport-to-crash';
import { type ArchiveLimits, packProblemDirectory, readArchive, toProblemDirectory } from '../../../../libs/storage/src/archive';
import type { RawReportEntity } from '../../../../libs/storage/src/entities';

export interface DecodedCrash {
  input: CrashInput;
  /** A problem directory as it is kept once processed. */
  minimised?: Buffer;
  hostKey: string | null;
  crashedAt: Date;
  labels: Record<string, string>;
}

/**
 * A stored raw crash report (uReport JSON or problem-directory archive) as the hub's CrashInput.
 * `machineIdKey` keys a problem dir's machine id as a uReport's is keyed at intake.
 */
export async function decodeRawCrash(
  raw: Pick<RawReportEntity, 'kind' | 'payload' | 'hostId' | 'labels' | 'receivedAt' | 'occurrences'>,
  limits: ArchiveLimits,
  machineIdKey?: string,
): Promise<DecodedCrash> {
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
  // Keyed as a uReport's is at intake, so one host's crashes link by either door.
  const kept = minimiseProblemElements(dir.elements, machineIdKey);
  const input = crashFromProblemDir({ ...dir, text: (e) => (e === 'machineid' ? kept.get(e)?.toString('utf8') : dir.text(e)) });
  return {
    input: { ...input, occurrences: raw.occurrences },
    hostKey: hostKey ?? input.hostKey ?? null,
    crashedAt: input.crashedAt ?? raw.receivedAt,
    labels: raw.labels,
    minimised: packProblemDirectory(kept),
  };
}
