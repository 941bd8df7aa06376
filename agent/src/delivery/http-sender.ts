import * as http from 'node:http';
import * as https from 'node:https';
import { CEP_HOST_ID_HEADER, CEP_REPORT_ID_HEADER, CEP_REPORTS_PATH, CepIntakeAnswerSchema } from '../../../libs/contracts/src/cep';
import { CRASH_ARCHIVES_PATH, CRASH_REPORTS_PATH } from '../../../libs/contracts/src/crash/crash-delivery';
import type { Clock } from '../schedule/clock';
import { hubEndpoint } from './hub-request';
import type { Spool, SpoolKind, SpooledReport } from './spool';

/** Route and body type per kind of spooled report. */
const ROUTES: Record<SpoolKind, { path: string; contentType: string }> = {
  cep: { path: CEP_REPORTS_PATH, contentType: 'application/gzip' },
  'crash-report': { path: CRASH_REPORTS_PATH, contentType: 'application/json' },
  'crash-archive': { path: CRASH_ARCHIVES_PATH, contentType: 'application/gzip' },
};

export interface HttpSenderOptions {
  hubUrl: string;
  token?: string;
  /** PEM CA bundle for a private hub CA (node:https takes it per request; fetch cannot without undici). */
  ca?: string;
  /** Sent with reports spooled without the id they were built under (by an earlier agent version). */
  hostId: string;
  /** This host's id now; reports spooled under another are dropped, not sent. */
  currentHostId?: () => Promise<string>;
  /** The hub answered that another installation sends under `hostId` too (see CepIntakeAnswer). */
  onHostIdShared?: (hostId: string) => Promise<void>;
  spool: Spool;
  /** The report left the spool for good: the hub answered 2xx, or refused it (quarantined). */
  onSettled?: (entry: SpooledReport, outcome: 'delivered' | 'refused') => Promise<void>;
  clock: Clock;
  timeoutMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  log?: (message: string) => void;
  random?: () => number;
}

export interface FlushOptions {
  signal?: AbortSignal;
  /** Stop waiting for retries past this time (the daemon's next timetable slot). */
  deadline?: number;
  /** Give up after this many consecutive failures (the one-shot `send` command). */
  maxFailures?: number;
}

export interface FlushResult {
  sent: string[];
  remaining: number;
}

/** A 2xx answer longer than this is not an intake answer; it is not read further. */
const MAX_ANSWER_BYTES = 64 * 1024;

type Attempt =
  | { kind: 'delivered'; status: number; answer: Buffer }
  | { kind: 'transient'; reason: string; retryAfterMs?: number }
  | { kind: 'permanent'; status: number };

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Drains the spool oldest-first: CEP reports to `POST {hub}/api/v1/cep-reports`, crashes to the
 * crash-report and crash-archive routes. A report leaves the spool only
 * after a 2xx; the report id header lets the hub answer 200 to a retry of a report it already stored,
 * so lost responses cause no duplicates.
 */
export class HttpSender {
  private readonly log: (message: string) => void;
  private readonly random: () => number;

  constructor(private readonly opts: HttpSenderOptions) {
    this.log = opts.log ?? ((m) => console.warn(m));
    this.random = opts.random ?? Math.random;
  }

  /** Exponential backoff with jitter (half fixed, half random) so a fleet does not retry in lockstep. */
  backoffMs(failures: number): number {
    const ceiling = Math.min(this.opts.retryMaxMs, this.opts.retryInitialMs * 2 ** Math.min(failures, 30));
    return ceiling / 2 + this.random() * (ceiling / 2);
  }

  async flush(options: FlushOptions = {}): Promise<FlushResult> {
    const sent: string[] = [];
    let failures = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      const [next] = await this.opts.spool.list();
      if (!next) break;
      if (await this.builtForFormerId(next)) {
        // Sent, it would re-create at the hub the host that erase (or reset-id) left behind.
        await this.opts.spool.remove(next.reportId);
        this.log(`cep-agent: dropped report ${next.reportId}: built under a host id this host no longer has`);
        continue;
      }
      const attempt = await this.attempt(next, options.signal);
      if (attempt.kind === 'delivered') {
        await this.opts.spool.remove(next.reportId);
        await this.opts.onSettled?.(next, 'delivered');
        sent.push(next.reportId);
        failures = 0;
        if (next.kind === 'cep') await this.readCepAnswer(next, attempt.answer);
        continue;
      }
      if (attempt.kind === 'permanent') {
        this.log(`cep-agent: hub refused report ${next.reportId} with HTTP ${attempt.status}; moved to ${this.opts.spool.dir}/rejected`);
        await this.opts.spool.quarantine(next);
        await this.opts.onSettled?.(next, 'refused');
        continue;
      }
      failures++;
      if (options.maxFailures !== undefined && failures >= options.maxFailures) break;
      const delay = Math.min(this.opts.retryMaxMs, Math.max(attempt.retryAfterMs ?? 0, this.backoffMs(failures - 1)));
      if (options.deadline !== undefined && this.opts.clock.now() + delay > options.deadline) break;
      this.log(`cep-agent: delivery of ${next.reportId} failed (${attempt.reason}); retrying in ${Math.round(delay / 1000)} s`);
      await this.opts.clock.sleep(delay, options.signal);
    }
    return { sent, remaining: (await this.opts.spool.list()).length };
  }

  /** Acts on what the hub says about the delivered report; an answer it cannot read changes nothing. */
  private async readCepAnswer(entry: SpooledReport, answer: Buffer): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(answer.toString('utf8'));
    } catch {
      return;
    }
    const parsed = CepIntakeAnswerSchema.safeParse(json);
    if (!parsed.success || !parsed.data.hostIdShared) return;
    const builtFor = (await this.opts.spool.headers(entry))[CEP_HOST_ID_HEADER] ?? this.opts.hostId;
    await this.opts.onHostIdShared?.(builtFor);
  }

  private async builtForFormerId(entry: SpooledReport): Promise<boolean> {
    if (!this.opts.currentHostId) return false;
    const builtFor = (await this.opts.spool.headers(entry))[CEP_HOST_ID_HEADER];
    return builtFor !== undefined && builtFor !== (await this.opts.currentHostId());
  }

  private async attempt(entry: SpooledReport, signal?: AbortSignal): Promise<Attempt> {
    const body = await this.opts.spool.read(entry);
    if (!body) return { kind: 'transient', reason: 'spool file vanished' };
    const route = ROUTES[entry.kind];
    const endpoint = hubEndpoint(this.opts.hubUrl, route.path);
    const headers: http.OutgoingHttpHeaders = {
      [CEP_HOST_ID_HEADER]: this.opts.hostId,
      // Includes the id the report was built under, which the hub checks against its body.
      ...(await this.opts.spool.headers(entry)),
      'content-type': route.contentType,
      'content-length': body.length,
      [CEP_REPORT_ID_HEADER]: entry.reportId,
      ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
    };
    const transport = endpoint.protocol === 'https:' ? https : http;
    return new Promise<Attempt>((resolve) => {
      const req = transport.request(endpoint, { method: 'POST', headers, ...(this.opts.ca ? { ca: this.opts.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ kind: 'delivered', status, answer: bytes <= MAX_ANSWER_BYTES ? Buffer.concat(chunks) : Buffer.alloc(0) });
          // 408/429 and 5xx are the hub being busy or unwell; other 4xx mean this report will never be accepted.
          else if (status >= 400 && status < 500 && status !== 408 && status !== 429) resolve({ kind: 'permanent', status });
          else {
            const retryAfter = res.headers['retry-after'];
            resolve({ kind: 'transient', reason: `HTTP ${status}`, retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, Date.now()) });
          }
        });
        res.on('error', (err) => resolve({ kind: 'transient', reason: err.message }));
      });
      const abort = () => req.destroy(new Error('aborted'));
      const timer = setTimeout(() => req.destroy(new Error(`no response within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
      req.on('error', (err) => {
        clearTimeout(timer);
        resolve({ kind: 'transient', reason: err.message });
      });
      req.on('close', () => signal?.removeEventListener('abort', abort));
      req.end(body);
    });
  }
}
