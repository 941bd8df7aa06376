import type { CollectorStatus } from '../../../libs/contracts/src/cep';

/** One collector run as it goes into the output directory and the report. */
export interface CollectorResult {
  name: string;
  version: number;
  status: CollectorStatus;
  durationMs: number;
  collectedAt: string;
  reason?: string;
  /** Scrubbed and schema-checked output; null unless status is `ok`. */
  data: unknown;
}
