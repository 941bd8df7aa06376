import * as path from 'node:path';
import { EXTERNAL_SCRIPT_PREFIX, EXTERNAL_SCRIPT_VERSION } from '../../../libs/contracts/src/cep';
import type { Scrubber } from '../privacy/scrubber';
import type { Clock } from '../schedule/clock';
import type { CollectorContext } from './collector';
import type { CollectorResult } from './collector-result';

export interface ExternalScriptOptions {
  dir: string;
  timeoutMs: number;
  maxOutputBytes: number;
  clock: Clock;
}

/** `script.<file name>`, folded into the manifest's name alphabet. */
export function scriptCollectorName(file: string): string {
  return `${EXTERNAL_SCRIPT_PREFIX}${file.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`.slice(0, 64);
}

/**
 * vzstats' rule: only regular, root-owned, owner-executable files that neither group nor others may
 * write run, since anyone able to drop a file here would otherwise run code as root.
 */
const GROUP_OR_WORLD_WRITABLE = 0o022;

export async function runExternalScripts(ctx: CollectorContext, scrubber: Scrubber, opts: ExternalScriptOptions): Promise<CollectorResult[]> {
  const files = (await ctx.fs.readDir(opts.dir)) ?? [];
  const results: CollectorResult[] = [];
  for (const file of files) {
    const hostPath = path.posix.join(opts.dir, file);
    const stat = await ctx.fs.stat(hostPath);
    if (!stat?.isFile() || (stat.mode & 0o100) === 0) continue;
    const started = opts.clock.now();
    const result = (rest: Pick<CollectorResult, 'status' | 'data' | 'reason'>): CollectorResult => ({
      name: scriptCollectorName(file),
      version: EXTERNAL_SCRIPT_VERSION,
      collectedAt: new Date(started).toISOString(),
      durationMs: Math.max(0, Math.round(opts.clock.now() - started)),
      ...rest,
    });
    if (stat.uid !== 0 || (stat.mode & GROUP_OR_WORLD_WRITABLE) !== 0) {
      results.push(result({ status: 'rejected', data: null, reason: 'not root-owned or group/world-writable; not run' }));
      continue;
    }
    const run = await ctx.runner.run(ctx.fs.resolve(hostPath), [], { timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes });
    if (run.status === 'timed-out') results.push(result({ status: 'timed-out', data: null, reason: `killed after ${opts.timeoutMs} ms` }));
    else if (run.status === 'output-too-large') results.push(result({ status: 'rejected', data: null, reason: `output over ${opts.maxOutputBytes} bytes` }));
    else if (run.status === 'not-found') results.push(result({ status: 'failed', data: null, reason: 'could not execute' }));
    else if (run.status === 'failed') results.push(result({ status: 'failed', data: null, reason: `exit code ${run.exitCode}` }));
    else {
      try {
        results.push(result({ status: 'ok', data: scrubber.scrub(JSON.parse(run.stdout)) }));
      } catch {
        results.push(result({ status: 'rejected', data: null, reason: 'output is not JSON' }));
      }
    }
  }
  return results;
}
