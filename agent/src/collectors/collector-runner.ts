import { CEP_COLLECTOR_SCHEMAS } from '../../../libs/contracts/src/cep';
import type { Scrubber } from '../privacy/scrubber';
import type { Clock } from '../schedule/clock';
import type { Collector, CollectorContext, CollectOutcome } from './collector';
import type { CollectorResult } from './collector-result';

const TIMED_OUT = Symbol('timed-out');

export interface RunOptions {
  timeoutMs: number;
  clock: Clock;
}

/**
 * Runs one built-in collector in isolation: a throw, a hang or an off-schema output only affects
 * its own result. Output is scrubbed first and validated after, so what passes is exactly what
 * the hub will parse.
 */
export async function runCollector(collector: Collector, ctx: CollectorContext, scrubber: Scrubber, opts: RunOptions): Promise<CollectorResult> {
  const { version, schema } = CEP_COLLECTOR_SCHEMAS[collector.name];
  const started = opts.clock.now();
  const base = { name: collector.name, version, collectedAt: new Date(started).toISOString() };
  let timer: NodeJS.Timeout | undefined;
  const finish = (rest: Pick<CollectorResult, 'status' | 'data' | 'reason'>): CollectorResult => ({
    ...base,
    durationMs: Math.max(0, Math.round(opts.clock.now() - started)),
    ...rest,
  });
  try {
    // A real timer, not the clock: a hung collector must be cut off even when time is simulated.
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), opts.timeoutMs)));
    const outcome: CollectOutcome<unknown> | typeof TIMED_OUT = await Promise.race([collector.collect(ctx), timeout]);
    if (outcome === TIMED_OUT) return finish({ status: 'timed-out', data: null, reason: `no result within ${opts.timeoutMs} ms` });
    if (outcome.status === 'not-available') return finish({ status: 'not-available', data: null, reason: outcome.reason });
    const parsed = schema.safeParse(scrubber.scrub(outcome.data));
    if (!parsed.success) {
      // Paths only: the offending values may be the very data that must not leave the host.
      const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].slice(0, 5);
      return finish({ status: 'rejected', data: null, reason: `output does not match schema at ${paths.join(', ')}` });
    }
    return finish({ status: 'ok', data: parsed.data });
  } catch (err) {
    const reason = err instanceof Error ? err.constructor.name : 'error';
    return finish({ status: 'failed', data: null, reason: `collector threw ${reason}` });
  } finally {
    clearTimeout(timer);
  }
}
