import { createHmac } from 'node:crypto';
import type { UReportV2 } from '../../contracts/src';
import retention from './problem-dir-retention.json';

const DROP = new Set(retention.drop);
const DROP_PATTERNS = retention.dropPatterns.map((p) => new RegExp(p));
const KEYED = /^hmac:[0-9a-f]{64}$/;

/**
 * A stock client's machine id as the hub keeps it: an HMAC under the hub's key, so the same host
 * still links its crashes while the id itself, which other systems know, is never stored.
 */
export function keyedMachineId(key: string, machineId: string): string {
  const id = machineId.trim();
  return KEYED.test(id) ? id : `hmac:${createHmac('sha256', key).update(id).digest('hex')}`;
}

/**
 * A uReport's `auth` keeps only the keyed machine id: `hostname` and every other AuthDataItem
 * (reporter-ureport sends what its config lists) go before the report is stored.
 */
export function minimiseUReport<T extends Pick<UReportV2, 'auth'>>(report: T, key: string | undefined): T {
  if (!report.auth) return report;
  const { auth, ...rest } = report;
  const machineId = auth.machineid ?? auth.machine_id;
  return (machineId && key ? { ...rest, auth: { machineid: keyedMachineId(key, machineId) } } : rest) as T;
}

/** Whether a processed problem directory keeps the element. */
export function keepsElement(name: string): boolean {
  return !DROP.has(name) && !DROP_PATTERNS.some((p) => p.test(name));
}

/** The elements a stored problem directory keeps, `machineid` keyed (or gone without a key). */
export function minimiseProblemElements(elements: ReadonlyMap<string, Buffer>, key: string | undefined): Map<string, Buffer> {
  const kept = new Map<string, Buffer>();
  for (const [name, body] of elements) {
    if (name === 'machineid') {
      if (key) kept.set(name, Buffer.from(keyedMachineId(key, body.toString('utf8'))));
    } else if (keepsElement(name)) kept.set(name, body);
  }
  return kept;
}
