import { Inject, Injectable, Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { HubConfig } from '../../../../libs/config/src';
import {
  applyRetrace,
  CrashFrame,
  parseAddr2line,
  readElfLoadInfo,
  RetraceResult,
  retraceKey,
  retraceLookups,
  SourceLocation,
} from '../../../../libs/crash-signature/src';
import { HUB_CONFIG } from '../config/hub-config.provider';

/** Resolved spots kept in memory; a spot's answer never changes for a build id, so only the bound evicts. */
export const RETRACE_CACHE_ENTRIES = 50_000;
const ADDR2LINE_TIMEOUT_MS = 30_000;
const ADDR2LINE_MAX_OUTPUT = 64 * 1024 * 1024;
/** ELF and program headers sit at the start of any ordinary file. */
const ELF_HEAD_BYTES = 64 * 1024;
/** Build ids come from the reports: only hex may become a path. */
const BUILD_ID = /^[0-9a-f]{8,128}$/;

/**
 * Retraces core frames with debuginfo from DEBUGINFO_DIRS, as ABRT's retrace server does: each frame with
 * a build id whose `.debug` file is installed is resolved with addr2line to its function, source line and
 * the functions inlined at that spot. One addr2line run per build id for a whole batch of reports.
 * Runs in the worker only (processing and regrouping jobs, `reprocess`).
 */
@Injectable()
export class DebuginfoRetraceService {
  private readonly logger = new Logger(DebuginfoRetraceService.name);
  private readonly cache = new Map<string, SourceLocation[]>();

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  get enabled(): boolean {
    return this.config.debuginfo !== null;
  }

  /** Each crash thread retraced where debuginfo is installed; the others come back as they were. */
  async retrace(threads: CrashFrame[][]): Promise<RetraceResult[]> {
    const unchanged = (frames: CrashFrame[]): RetraceResult => ({ frames, retraced: 0, inlined: 0, buildIds: [] });
    if (!this.config.debuginfo) return threads.map(unchanged);
    const wanted = new Map<string, Set<number>>();
    for (const lookup of threads.flatMap(retraceLookups)) {
      if (!BUILD_ID.test(lookup.buildId) || this.cached(retraceKey(lookup.buildId, lookup.offset))) continue;
      if (!wanted.has(lookup.buildId)) wanted.set(lookup.buildId, new Set());
      wanted.get(lookup.buildId)!.add(lookup.offset);
    }
    for (const [buildId, offsets] of wanted) await this.resolve(buildId, [...offsets]);
    return threads.map((frames) => {
      const resolved = new Map(retraceLookups(frames).flatMap((l) => {
        const chain = this.cached(retraceKey(l.buildId, l.offset));
        return chain ? [[retraceKey(l.buildId, l.offset), chain] as const] : [];
      }));
      return resolved.size ? applyRetrace(frames, resolved) : unchanged(frames);
    });
  }

  private cached(key: string): SourceLocation[] | undefined {
    const chain = this.cache.get(key);
    if (chain) {
      // Most recently used last: the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, chain);
    }
    return chain;
  }

  private remember(key: string, chain: SourceLocation[]): void {
    this.cache.set(key, chain);
    if (this.cache.size > RETRACE_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }

  /** The debug file of a build, as debuginfo packages lay it out, from the first tree that has it. */
  private async debugFile(buildId: string): Promise<{ path: string; loadBase: number } | undefined> {
    for (const dir of this.config.debuginfo!.dirs) {
      const path = join(dir, '.build-id', buildId.slice(0, 2), `${buildId.slice(2)}.debug`);
      let file;
      try {
        file = await open(path, 'r');
      } catch {
        continue;
      }
      try {
        const head = Buffer.alloc(ELF_HEAD_BYTES);
        const { bytesRead } = await file.read(head, 0, ELF_HEAD_BYTES, 0);
        return { path, loadBase: readElfLoadInfo(head.subarray(0, bytesRead)).loadBase };
      } catch (error) {
        this.logger.warn({ msg: 'debuginfo file unreadable', path, error: String(error) });
      } finally {
        await file.close();
      }
    }
    return undefined;
  }

  /** Unknown spots are remembered too (as `??`); a failed run is not, so the next report tries again. */
  private async resolve(buildId: string, offsets: number[]): Promise<void> {
    const debug = await this.debugFile(buildId);
    if (!debug) return;
    const addresses = offsets.map((o) => o + debug.loadBase);
    let output: string;
    try {
      output = await this.addr2line(debug.path, addresses);
    } catch (error) {
      this.logger.warn({ msg: 'addr2line failed; frames stay as reported', buildId, path: debug.path, error: String(error) });
      return;
    }
    const parsed = parseAddr2line(output);
    offsets.forEach((offset, i) => this.remember(retraceKey(buildId, offset), parsed.get(addresses[i]) ?? [{}]));
  }

  /** Addresses go in on stdin: a batch of thousands does not fit an argument list. */
  private addr2line(path: string, addresses: number[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.config.debuginfo!.addr2line,
        ['-e', path, '-a', '-f', '-i', '-C'],
        { timeout: ADDR2LINE_TIMEOUT_MS, maxBuffer: ADDR2LINE_MAX_OUTPUT, env: { LC_ALL: 'C' } },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
      child.stdin!.on('error', reject);
      child.stdin!.end(addresses.map((a) => `0x${a.toString(16)}`).join('\n') + '\n');
    });
  }
}
