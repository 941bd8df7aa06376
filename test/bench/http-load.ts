import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';
import { LatencySummary, summarize } from './latency-stats';

export interface AcceptRun {
  /** performance.now() when the first request was sent and when the last answer arrived. */
  firstSentAt: number;
  lastAnsweredAt: number;
  /** Per accepted (202) request, send to fully read answer. */
  latenciesMs: number[];
  failures: Array<{ status: number; body: string }>;
}

/** One prepared upload: its body and the headers it goes with. */
export interface Upload {
  body: string | Uint8Array;
  headers: Record<string, string>;
}

/** A JSON body as an upload. */
export const jsonUpload = (body: string): Upload => ({ body, headers: { 'content-type': 'application/json' } });

/** POSTs prepared uploads with at most `concurrency` requests in flight (keep-alive). */
export async function postConcurrently(url: string, uploads: readonly Upload[], concurrency: number): Promise<AcceptRun> {
  const latenciesMs: number[] = [];
  const failures: AcceptRun['failures'] = [];
  let next = 0;
  const firstSentAt = performance.now();
  const lane = async () => {
    for (let i = next++; i < uploads.length; i = next++) {
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers: uploads[i]!.headers, body: uploads[i]!.body });
      const text = await res.text();
      if (res.status === 202) latenciesMs.push(performance.now() - started);
      else failures.push({ status: res.status, body: text.slice(0, 300) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, uploads.length) }, lane));
  return { firstSentAt, lastAnsweredAt: performance.now(), latenciesMs, failures };
}

export function failIfRefused(run: AcceptRun, what: string): void {
  if (run.failures.length) throw new Error(`${run.failures.length} ${what} refused, first: ${run.failures[0]!.status} ${run.failures[0]!.body}`);
}

/** Raw reports the worker has not finished yet. */
export async function queuedReports(pg: Client): Promise<number> {
  return (await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM raw_report WHERE status = 'queued'`)).rows[0]!.n;
}

/** Waits until no raw report is queued; returns performance.now() at that moment. */
export async function drained(pg: Client, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (let left = await queuedReports(pg); left > 0; left = await queuedReports(pg)) {
    if (performance.now() > deadline) throw new Error(`${left} reports still queued ${timeoutMs} ms after the last accept`);
    await sleep(50);
  }
  return performance.now();
}

/** Intake and end-to-end processing rates of one timed run. */
export interface IntakeThroughput {
  concurrency: number;
  acceptSeconds: number;
  acceptedPerSecond: number;
  acceptLatencyMs: LatencySummary;
  failures: Array<{ status: number; body: string }>;
  /** Reports still queued when the last accept was answered. */
  backlogAtLastAccept: number;
  /** From the first request sent until raw_report had no 'queued' row. */
  endToEndSeconds: number;
  processedPerSecond: number;
}

/** Posts the uploads, then waits for the worker to drain them, and reports both rates. */
export async function measureIntake(url: string, uploads: readonly Upload[], concurrency: number, pg: Client, drainTimeoutMs: number): Promise<IntakeThroughput> {
  const run = await postConcurrently(url, uploads, concurrency);
  const backlogAtLastAccept = await queuedReports(pg);
  const drainedAt = await drained(pg, drainTimeoutMs);
  const accepted = run.latenciesMs.length;
  return {
    concurrency,
    acceptSeconds: (run.lastAnsweredAt - run.firstSentAt) / 1000,
    acceptedPerSecond: accepted / ((run.lastAnsweredAt - run.firstSentAt) / 1000),
    acceptLatencyMs: summarize(run.latenciesMs),
    failures: run.failures.slice(0, 5),
    backlogAtLastAccept,
    endToEndSeconds: (drainedAt - run.firstSentAt) / 1000,
    processedPerSecond: accepted / ((drainedAt - run.firstSentAt) / 1000),
  };
}
