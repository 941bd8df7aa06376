import { performance } from 'node:perf_hooks';

export interface AcceptRun {
  /** performance.now() when the first request was sent and when the last answer arrived. */
  firstSentAt: number;
  lastAnsweredAt: number;
  /** Per accepted (202) request, send to fully read answer. */
  latenciesMs: number[];
  failures: Array<{ status: number; body: string }>;
}

/** POSTs pre-serialized JSON bodies with at most `concurrency` requests in flight (keep-alive). */
export async function postConcurrently(url: string, bodies: readonly string[], concurrency: number): Promise<AcceptRun> {
  const latenciesMs: number[] = [];
  const failures: AcceptRun['failures'] = [];
  let next = 0;
  const firstSentAt = performance.now();
  const lane = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i] });
      const text = await res.text();
      if (res.status === 202) latenciesMs.push(performance.now() - started);
      else failures.push({ status: res.status, body: text.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, lane));
  return { firstSentAt, lastAnsweredAt: performance.now(), latenciesMs, failures };
}
