import {
  CEP_COLLECTOR_SCHEMAS,
  EXTERNAL_SCRIPT_PREFIX,
  collectorFileSchema,
  type BuiltinCollectorName,
  type CollectorStatus,
  type ManifestCollectorEntry,
  type ReportManifest,
} from '../../contracts/src/cep';
import { describeZodError } from '../../contracts/src/zod-error-message';

/**
 * valid: a built-in collector whose data the hub's schema accepts; invalid: the file or data is wrong;
 * untrusted: data the hub has no schema for (newer agent, unknown name, external script), kept as sent;
 * not-collected: the agent itself reported no data.
 */
export type RecordOutcome = 'valid' | 'invalid' | 'untrusted' | 'not-collected';

export interface CollectorRecord {
  /** Manifest collector name. */
  name: string;
  version: number;
  agentStatus: CollectorStatus;
  /** ISO time, from the manifest entry. */
  collectedAt: string;
  outcome: RecordOutcome;
  /** Why the record is invalid, untrusted or not collected; names the offending field. */
  reason?: string;
  /** Parsed data when valid; the data as sent when invalid or untrusted; null when not collected or unreadable. */
  data: unknown;
}

/** One record per manifest entry; a broken collector file spoils only its own record. */
export function readCollectorRecords(manifest: ReportManifest, files: Map<string, Buffer>): CollectorRecord[] {
  return manifest.collectors.map((entry) => readRecord(entry, files.get(entry.file)));
}

function readRecord(entry: ManifestCollectorEntry, content: Buffer | undefined): CollectorRecord {
  const record = (outcome: RecordOutcome, data: unknown, reason?: string): CollectorRecord => ({
    name: entry.name,
    version: entry.version,
    agentStatus: entry.status,
    collectedAt: entry.collectedAt,
    outcome,
    ...(reason === undefined ? {} : { reason }),
    data,
  });
  if (content === undefined) return record('invalid', null, `file ${entry.file} missing`);

  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (err) {
    return record('invalid', null, `file ${entry.file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = collectorFileSchema.safeParse(json);
  if (!parsed.success) {
    const sent = typeof json === 'object' && json !== null && 'data' in json ? json.data : null;
    return record('invalid', sent ?? null, `file ${entry.file}: ${describeZodError(parsed.error)}`);
  }
  const file = parsed.data;
  for (const field of ['name', 'version', 'status'] as const) {
    if (file[field] !== entry[field]) {
      return record('invalid', file.data, `file ${entry.file}: ${field} ${JSON.stringify(file[field])} disagrees with the manifest's ${JSON.stringify(entry[field])}`);
    }
  }

  if (entry.status !== 'ok') return record('not-collected', null, entry.reason ?? entry.status);
  if (entry.name.startsWith(EXTERNAL_SCRIPT_PREFIX)) return record('untrusted', file.data, 'external script');
  // hasOwn: names like `constructor` must not reach Object.prototype.
  if (!Object.hasOwn(CEP_COLLECTOR_SCHEMAS, entry.name)) return record('untrusted', file.data, 'unknown collector');

  const builtin = CEP_COLLECTOR_SCHEMAS[entry.name as BuiltinCollectorName];
  if (builtin.version !== entry.version) {
    return record('untrusted', file.data, `version ${entry.version} not known (hub knows ${builtin.version})`);
  }
  const data = builtin.schema.safeParse(file.data);
  if (!data.success) return record('invalid', file.data, `${entry.name} v${entry.version}: ${describeZodError(data.error)}`);
  return record('valid', data.data);
}
