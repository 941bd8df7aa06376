import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { EXTERNAL_SCRIPT_PREFIX, EXTERNAL_SCRIPT_VERSION } from '../../../libs/contracts/src/cep';
import type { Scrubber } from '../privacy/scrubber';
import type { Clock } from '../schedule/clock';
import type { CollectorContext } from './collector';
import type { CollectorResult } from './collector-result';
import { scriptManifestSchema, SCRIPT_MANIFEST_SUFFIX, undeclaredOutput, type ScriptManifest } from './script-manifest.schema';

export interface ExternalScriptOptions {
  dir: string;
  timeoutMs: number;
  maxOutputBytes: number;
  clock: Clock;
}

/**
 * vzstats' rule: only regular, root-owned, owner-executable files that neither group nor others may
 * write run, since anyone able to drop a file here would otherwise run code as root.
 */
const GROUP_OR_WORLD_WRITABLE = 0o022;

const safe = (stat: Stats) => stat.uid === 0 && (stat.mode & GROUP_OR_WORLD_WRITABLE) === 0;

/** The manifest beside a script, if it is there, safe and valid; otherwise why not. */
async function readManifest(ctx: CollectorContext, hostPath: string): Promise<ScriptManifest | string> {
  const manifestPath = `${hostPath}${SCRIPT_MANIFEST_SUFFIX}`;
  const stat = await ctx.fs.stat(manifestPath);
  if (!stat?.isFile()) return 'no manifest declaring its collector name and fields; not run';
  if (!safe(stat)) return 'manifest not root-owned or group/world-writable; not run';
  try {
    const parsed = scriptManifestSchema.safeParse(JSON.parse((await ctx.fs.readText(manifestPath)) ?? ''));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  return 'manifest is not valid; not run';
}

/**
 * Each script reports under the collector name its manifest declares (`script.<collector>`), never
 * under its file name; a script without a usable manifest is not run and is listed as
 * `script.undeclared-<n>`. Output with fields the manifest does not declare is refused whole.
 */
export async function runExternalScripts(ctx: CollectorContext, scrubber: Scrubber, opts: ExternalScriptOptions): Promise<CollectorResult[]> {
  const files = (await ctx.fs.readDir(opts.dir)) ?? [];
  const results: CollectorResult[] = [];
  const names = new Set<string>();
  let undeclared = 0;
  for (const file of files) {
    const hostPath = path.posix.join(opts.dir, file);
    const stat = await ctx.fs.stat(hostPath);
    if (file.endsWith(SCRIPT_MANIFEST_SUFFIX) || !stat?.isFile() || (stat.mode & 0o100) === 0) continue;
    const started = opts.clock.now();
    const manifest = await readManifest(ctx, hostPath);
    const declared = typeof manifest === 'object' && !names.has(manifest.collector) ? manifest : undefined;
    const name = declared ? `${EXTERNAL_SCRIPT_PREFIX}${declared.collector}` : `${EXTERNAL_SCRIPT_PREFIX}undeclared-${++undeclared}`;
    names.add(name.slice(EXTERNAL_SCRIPT_PREFIX.length));
    const result = (rest: Pick<CollectorResult, 'status' | 'data' | 'reason'>): CollectorResult => ({
      name,
      version: EXTERNAL_SCRIPT_VERSION,
      collectedAt: new Date(started).toISOString(),
      durationMs: Math.max(0, Math.round(opts.clock.now() - started)),
      ...rest,
    });
    if (!declared) {
      results.push(result({ status: 'rejected', data: null, reason: typeof manifest === 'string' ? manifest : 'collector name declared by another script; not run' }));
      continue;
    }
    if (!safe(stat)) {
      results.push(result({ status: 'rejected', data: null, reason: 'not root-owned or group/world-writable; not run' }));
      continue;
    }
    const run = await ctx.runner.run(ctx.fs.resolve(hostPath), [], { timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes });
    if (run.status === 'timed-out') results.push(result({ status: 'timed-out', data: null, reason: `killed after ${opts.timeoutMs} ms` }));
    else if (run.status === 'output-too-large') results.push(result({ status: 'rejected', data: null, reason: `output over ${opts.maxOutputBytes} bytes` }));
    else if (run.status === 'not-found') results.push(result({ status: 'failed', data: null, reason: 'could not execute' }));
    else if (run.status === 'failed') results.push(result({ status: 'failed', data: null, reason: `exit code ${run.exitCode}` }));
    else {
      let output: unknown;
      try {
        output = JSON.parse(run.stdout);
      } catch {
        results.push(result({ status: 'rejected', data: null, reason: 'output is not JSON' }));
        continue;
      }
      const refused = undeclaredOutput(declared, output);
      results.push(refused ? result({ status: 'rejected', data: null, reason: refused }) : result({ status: 'ok', data: scrubber.scrub(output) }));
    }
  }
  return results;
}
