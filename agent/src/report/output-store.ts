import * as path from 'node:path';
import type { CollectorResult } from '../collectors/collector-result';
import { writeFileAtomic } from '../state/atomic-write';
import { collectorFile, collectorFileName } from './report-builder';

/**
 * Latest output per collector, readable by the admin (like the original /vz/tmp/cep/output/).
 * The files hold exactly what a report carries for that collector.
 */
export async function storeLatestOutputs(outputDir: string, results: CollectorResult[]): Promise<void> {
  for (const result of results) {
    await writeFileAtomic(path.join(outputDir, collectorFileName(result.name)), `${JSON.stringify(collectorFile(result), null, 2)}\n`, 0o644);
  }
}
