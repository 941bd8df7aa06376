import {
  BadRequestException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HubConfig } from '../../../../libs/config/src';
import type { InspectedProblemDir } from '../../../../libs/crash-reports/src/problem-dir-intake';
import { type ArchiveLimits, type CompressedSource, unpackBound } from '../../../../libs/storage/src/archive';
import { HUB_CONFIG } from '../config/hub-config.provider';
import type { ArchiveJob, ArchiveJobFailure, ArchiveJobReply, ArchiveJobResult } from './archive-job';

type JobInput = ArchiveJob extends infer J ? (J extends ArchiveJob ? Omit<J, 'id'> : never) : never;

interface Pending {
  job: ArchiveJob;
  resolve(result: ArchiveJobResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
}

/**
 * Run from TypeScript sources (Jest), a worker thread compiles the modules it loads with swc, as
 * Jest does for the main thread; the build runs the compiled worker directly.
 */
const TS_BOOTSTRAP = `
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  module._compile(code, filename);
};
require(require('node:worker_threads').workerData.script);
`;

/** Limits exceeded are 413; every other refusal of an archive is the client's malformed input. */
function httpError(failure: ArchiveJobFailure): Error {
  if (failure.kind === 'error') return new Error(`archive worker failed: ${failure.message}`);
  if (failure.kind === 'refusal') {
    return failure.status === 413 ? new PayloadTooLargeException(failure.message)
      : failure.status === 422 ? new UnprocessableEntityException(failure.message)
      : new BadRequestException(failure.message);
  }
  const message = `archive rejected (${failure.code}): ${failure.message}`;
  return failure.code === 'too-large' || failure.code === 'too-many-entries' ? new PayloadTooLargeException(message) : new BadRequestException(message);
}

/**
 * A small pool of worker threads that inflate and parse uploaded archives, so one client's
 * decompression bomb costs a worker's time, never the event loop's. Jobs beyond the pool wait
 * in a bounded queue; a full queue answers 503.
 */
@Injectable()
export class ArchiveWorkerPool implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ArchiveWorkerPool.name);
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  /** Entries of an in-memory archive (CEP reports). */
  async entries(data: Buffer, limits: ArchiveLimits): Promise<Map<string, Buffer>> {
    const maxStreamBytes = unpackBound(data.length, limits.maxUnpackedBytes, this.config.limits.maxRatio);
    const result = await this.submit({ op: 'entries', data, limits, maxStreamBytes });
    if (result.op !== 'entries') throw new Error('archive worker answered the wrong job');
    return new Map([...result.entries].map(([name, body]) => [name, Buffer.from(body.buffer, body.byteOffset, body.byteLength)]));
  }

  /**
   * A problem-directory upload of `compressedBytes`, streamed from memory or its spool file, cores
   * skipped, kept entries re-packed. The whole stream may unpack to `ceiling`, within the ratio bound.
   */
  /** `hostId`: the sender's host, part of the crash's identity. */
  async problemDir(source: CompressedSource, compressedBytes: number, limits: ArchiveLimits, ceiling: number, hostId?: string): Promise<InspectedProblemDir> {
    const maxStreamBytes = unpackBound(compressedBytes, ceiling, this.config.limits.maxRatio);
    const result = await this.submit({ op: 'problem-dir', source, limits, maxStreamBytes, hostId });
    if (result.op !== 'problem-dir') throw new Error('archive worker answered the wrong job');
    const packed = result.dir.packed;
    return { ...result.dir, packed: Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength) };
  }

  private submit(input: JobInput): Promise<ArchiveJobResult> {
    if (this.closed) return Promise.reject(new ServiceUnavailableException('the hub is shutting down'));
    const { workers, queueMax } = this.config.limits.archivePool;
    if (this.queue.length >= queueMax) {
      return Promise.reject(new ServiceUnavailableException(`all ${workers} archive decoders are busy and ${queueMax} uploads wait; retry later`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...input, id: this.nextId++ } as ArchiveJob, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.config.limits.archivePool.workers) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      slot.worker.postMessage(pending.job);
    }
  }

  private spawn(): Slot {
    const compiled = join(__dirname, 'archive-worker.js');
    const options = { resourceLimits: { maxOldGenerationSizeMb: 512 } };
    const worker = existsSync(compiled)
      ? new Worker(compiled, options)
      : new Worker(TS_BOOTSTRAP, { ...options, eval: true, workerData: { script: join(__dirname, 'archive-worker.ts') } });
    const slot: Slot = { worker };
    worker.on('message', (reply: ArchiveJobReply) => {
      const pending = slot.busy;
      slot.busy = undefined;
      if (pending && pending.job.id === reply.id) {
        if (reply.failed) pending.reject(httpError(reply.failed));
        else pending.resolve(reply.ok);
      }
      this.dispatch();
    });
    const lost = (error: Error) => {
      // A worker that dies (out of its heap, a bug) fails its own job only; the next job gets a new worker.
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      if (slot.busy) {
        this.logger.error({ msg: 'archive worker died', error: error.message });
        slot.busy.reject(new HttpException('the archive could not be decoded within the hub\'s memory bounds', 413));
        slot.busy = undefined;
      }
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) lost(new Error(`archive worker exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  /** The API starts one worker at once, so the first upload does not wait for a thread to load its modules. */
  onApplicationBootstrap(): void {
    if (this.config.role !== 'worker' && this.slots.length === 0) this.spawn();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new ServiceUnavailableException('the hub is shutting down'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
