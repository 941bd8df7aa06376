import {
  BadRequestException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  OnModuleInit,
  PayloadTooLargeException,
} from '@nestjs/common';
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';

export interface SpooledUpload {
  /** The body (or multipart `file`) as received, on disk. */
  file: string;
  bytes: number;
  remove(): Promise<void>;
}

/** Grace before the minimum upload rate is enforced (TCP slow start, a client's first read of a large file). */
const RATE_GRACE_MS = 10_000;
const MULTIPART_FIELD_BYTES = 64 * 1024;

/**
 * Streams a problem-directory upload to a temporary file while counting it, so a
 * 4 GiB upload costs the API disk, not memory. Over the limit is 413 as soon as it is known
 * (Content-Length, or the byte that crosses it); a body slower than the minimum rate is cut (408).
 */
@Injectable()
export class UploadSpoolService implements OnModuleInit {
  private readonly dir = join(tmpdir(), `hub-uploads-${process.pid}`);

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  async onModuleInit(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async spool(req: Request): Promise<SpooledUpload> {
    const { maxBytes } = this.config.limits.upload;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_FIELD_BYTES) {
      throw new PayloadTooLargeException(`upload is too large: ${declared} bytes (limit ${maxBytes})`);
    }
    const file = join(this.dir, randomUUID());
    const remove = () => rm(file, { force: true });
    try {
      const multipart = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '') ? await this.multipartFile(req) : undefined;
      const bytes = await this.write(req, multipart?.file ?? req, file);
      await multipart?.finished;
      if (bytes === 0) throw new BadRequestException('empty body: expected a .tar.gz, .tar.xz or .tar.bz2 problem directory');
      return { file, bytes, remove };
    } catch (error) {
      await remove();
      throw error;
    }
  }

  private async write(req: Request, body: Readable, file: string): Promise<number> {
    const { maxBytes, minBytesPerSec } = this.config.limits.upload;
    const started = Date.now();
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(new PayloadTooLargeException(`upload is too large: more than ${maxBytes} bytes`));
        done(null, chunk);
      },
    });
    const slow = minBytesPerSec > 0
      ? setInterval(() => {
          const elapsed = Date.now() - started;
          if (elapsed > RATE_GRACE_MS && bytes < (elapsed / 1000) * minBytesPerSec) {
            counter.destroy(new HttpException(`upload arrives slower than ${minBytesPerSec} bytes/s`, HttpStatus.REQUEST_TIMEOUT));
            req.destroy();
          }
        }, 1000)
      : undefined;
    try {
      await pipeline(body, counter, createWriteStream(file, { mode: 0o600 }));
    } catch (error) {
      // A refused body is not read further; the connection closes after the answer.
      req.unpipe();
      throw error instanceof HttpException ? error : new BadRequestException(`upload failed: ${(error as Error).message}`);
    } finally {
      clearInterval(slow);
    }
    return bytes;
  }

  /**
   * The multipart field `file` as a stream; other fields are bounded and ignored. `finished`
   * settles when the whole body is parsed, and fails if it broke a limit after the file began.
   */
  private multipartFile(req: Request): Promise<{ file: Readable; finished: Promise<void> }> {
    let settle!: (error?: Error) => void;
    const finished = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
    finished.catch(() => undefined);
    return new Promise((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { files: 1, fields: 16, parts: 17, fieldSize: MULTIPART_FIELD_BYTES, headerPairs: 64, fileSize: this.config.limits.upload.maxBytes },
        });
      } catch (error) {
        return reject(new BadRequestException(`multipart body: ${(error as Error).message}`));
      }
      let found = false;
      parser.on('file', (name, stream) => {
        if (name !== 'file' || found) return stream.resume();
        found = true;
        stream.on('limit', () => stream.destroy(new PayloadTooLargeException(`upload is too large: more than ${this.config.limits.upload.maxBytes} bytes`)));
        resolve({ file: stream, finished });
      });
      let failure: Error | undefined;
      const fail = (error: Error) => {
        failure ??= error;
        if (!found) reject(error);
      };
      const refuse = (what: string) => () => fail(new PayloadTooLargeException(`multipart body has too many ${what}`));
      parser.on('filesLimit', refuse('files'));
      parser.on('fieldsLimit', refuse('fields'));
      parser.on('partsLimit', refuse('parts'));
      parser.on('error', (error: Error) => fail(new BadRequestException(`multipart body: ${error.message}`)));
      parser.on('close', () => {
        if (!found) reject(failure ?? new BadRequestException('multipart body has no `file` field'));
        settle(failure);
      });
      req.pipe(parser);
    });
  }
}
