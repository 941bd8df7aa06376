import { z } from 'zod';
import { safeText } from '../bounds/input-bounds';

/** Bumped when the manifest or the tarball layout changes incompatibly; the hub dispatches on it. */
export const CEP_REPORT_SCHEMA_VERSION = 1;

/** Ingestion endpoint and headers shared by the agent (sender) and the hub (receiver). */
export const CEP_REPORTS_PATH = '/api/v1/cep-reports';
export const CEP_REPORT_ID_HEADER = 'x-report-id';
export const CEP_HOST_ID_HEADER = 'x-host-id';
export const CEP_MANIFEST_FILE = 'manifest.json';
/** Erasure of everything the hub holds about a host: DELETE with `Authorization: Bearer <erasure key>`. */
export const HOSTS_PATH = '/api/v1/hosts';

export const collectorStatusSchema = z.enum([
  'ok',
  'not-available',
  'timed-out',
  'rejected',
  'failed',
]);
export type CollectorStatus = z.infer<typeof collectorStatusSchema>;

/** Built-in names, or `script.<name>` for external collector scripts. */
export const collectorNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);

export const manifestCollectorEntrySchema = z.strictObject({
  name: collectorNameSchema,
  version: z.number().int().nonnegative(),
  status: collectorStatusSchema,
  durationMs: z.number().int().nonnegative(),
  collectedAt: z.iso.datetime(),
  /** Tarball member holding the output; present for every entry so absence is explicit. */
  file: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.json$/),
  /** Why the status is not `ok` (no host data, fixed vocabulary from the agent). */
  reason: safeText(200).optional(),
});
export type ManifestCollectorEntry = z.infer<typeof manifestCollectorEntrySchema>;

export const reportManifestSchema = z.strictObject({
  schemaVersion: z.literal(CEP_REPORT_SCHEMA_VERSION),
  agentVersion: safeText(40).min(1),
  hostId: z.uuid(),
  reportId: z.uuid(),
  createdAt: z.iso.datetime(),
  /** Reports built by this installation so far; two reports with one number reveal a cloned host. */
  sequence: z.number().int().positive().optional(),
  /** sha256 (hex) of the secret the agent keeps to ask for its host's erasure. */
  erasureKeyHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  collectors: z.array(manifestCollectorEntrySchema),
});
export type ReportManifest = z.infer<typeof reportManifestSchema>;

/** One JSON member per collector: `data` is null unless the status is `ok`. */
export const collectorFileSchema = z.strictObject({
  name: collectorNameSchema,
  version: z.number().int().nonnegative(),
  status: collectorStatusSchema,
  data: z.unknown(),
});
export type CollectorFile = z.infer<typeof collectorFileSchema>;
