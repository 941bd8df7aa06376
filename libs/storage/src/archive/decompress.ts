import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import * as zlib from 'node:zlib';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- seek-bzip is CommonJS with `module.exports =` (see seek-bzip.d.ts)
import Bunzip = require('seek-bzip');
import { XzReadableStream } from 'xz-decompress';
import { ArchiveRejectedError } from './archive-error';
import type { ArchiveCompression } from './archive-format';

const BZIP2_CHUNK_BYTES = 64 * 1024;
const FILE_READ_BYTES = 64 * 1024;

/** Compressed input: in memory, or a spooled upload read from disk as it is inflated. */
export type CompressedSource = Buffer | { file: string };

/**
 * Yields the decompressed bytes chunk by chunk and throws `too-large` as soon as the running
 * total passes `maxBytes`, so a bomb never gets inflated beyond the limit (plus one chunk).
 */
export async function* decompress(
  compression: ArchiveCompression,
  input: CompressedSource,
  maxBytes: number,
): AsyncGenerator<Buffer> {
  const source =
    compression === 'gzip' ? gunzip(input) : compression === 'xz' ? unxz(input) : bunzip2(input, maxBytes);
  let total = 0;
  for await (const chunk of source) {
    if (total + chunk.length > maxBytes) {
      // Hand over what fits first, so the tar parser can name the entry that crosses the limit.
      yield chunk.subarray(0, maxBytes - total);
      throw unpackedTooLarge(maxBytes);
    }
    total += chunk.length;
    yield chunk;
  }
}

function unpackedTooLarge(maxBytes: number): ArchiveRejectedError {
  return new ArchiveRejectedError('too-large', `archive unpacks to more than ${maxBytes} bytes`);
}

function nodeStream(input: CompressedSource): Readable {
  return Buffer.isBuffer(input) ? Readable.from([input]) : fs.createReadStream(input.file, { highWaterMark: FILE_READ_BYTES });
}

async function* gunzip(input: CompressedSource): AsyncGenerator<Buffer> {
  const inflater = zlib.createGunzip();
  const source = nodeStream(input);
  source.on('error', (err) => inflater.destroy(err));
  source.pipe(inflater);
  try {
    // Iterating the stream keeps back-pressure: zlib inflates only as fast as we consume.
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (err) {
    // zlib reports a stream that ends early as Z_BUF_ERROR ("unexpected end of file").
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArchiveRejectedError(
      code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt',
      `gzip stream is ${code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt'}: ${(err as Error).message}`,
    );
  } finally {
    source.destroy();
    inflater.destroy();
  }
}

// xz-embedded return codes (xz.h): XZ_BUF_ERROR means the input ended before the stream did.
const XZ_BUF_ERROR = 8;

async function* unxz(input: CompressedSource): AsyncGenerator<Buffer> {
  const compressed = Buffer.isBuffer(input)
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
          controller.close();
        },
      })
    : (Readable.toWeb(fs.createReadStream(input.file, { highWaterMark: FILE_READ_BYTES })) as ReadableStream<Uint8Array>);
  const reader = new XzReadableStream(compressed).getReader();
  let finished = false;
  try {
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (err) {
        finished = true;
        const truncated = new RegExp(`error code ${XZ_BUF_ERROR}$`).test((err as Error).message);
        throw new ArchiveRejectedError(
          truncated ? 'truncated' : 'corrupt',
          `xz stream is ${truncated ? 'truncated' : 'corrupt'}: ${(err as Error).message}`,
        );
      }
      if (result.done) {
        finished = true;
        return;
      }
      yield Buffer.from(result.value.buffer, result.value.byteOffset, result.value.byteLength);
    }
  } finally {
    // xz-decompress serialises all decoders behind one module-wide mutex that only a finished,
    // failed or cancelled stream releases: abandoning a stream would block every later xz upload.
    if (!finished) await reader.cancel();
  }
}

/** seek-bzip pulls its input synchronously: from memory, or from the spooled file with blocking reads (off the request thread). */
function bzipInput(input: CompressedSource): { source: Parameters<typeof Bunzip.decode>[0]; close(): void } {
  let data = Buffer.isBuffer(input) ? input : Buffer.alloc(0);
  let pos = 0;
  let fd: number | undefined;
  let exhausted = Buffer.isBuffer(input);
  if (!Buffer.isBuffer(input)) fd = fs.openSync(input.file, 'r');
  const refill = (): boolean => {
    if (pos < data.length) return true;
    if (exhausted) return false;
    const next = Buffer.allocUnsafe(FILE_READ_BYTES);
    const n = fs.readSync(fd!, next, 0, next.length, null);
    if (n === 0) exhausted = true;
    data = next.subarray(0, n);
    pos = 0;
    return n > 0;
  };
  return {
    source: {
      readByte(): number {
        if (!refill()) throw new ArchiveRejectedError('truncated', 'bzip2 stream is truncated');
        return data[pos++];
      },
      read(buffer: Uint8Array, offset: number, length: number): number {
        if (!refill()) return -1;
        const n = Math.min(length, data.length - pos);
        buffer.set(data.subarray(pos, pos + n), offset);
        pos += n;
        return n;
      },
      eof: (): boolean => !refill(),
    },
    close: () => {
      if (fd !== undefined) fs.closeSync(fd);
    },
  };
}

/**
 * seek-bzip decodes synchronously, so the limit is enforced inside its output callback. Its
 * `decode()` loop is replayed here block by block (a block inflates to at most ~46 MB), so a large
 * stream is handed on while it decodes instead of after. Callers run it on a worker thread.
 */
async function* bunzip2(input: CompressedSource, maxBytes: number): AsyncGenerator<Buffer> {
  let chunks: Buffer[] = [];
  let current = Buffer.allocUnsafe(BZIP2_CHUNK_BYTES);
  let used = 0;
  let total = 0;
  const sink = {
    writeByte(byte: number): void {
      if (++total > maxBytes) throw unpackedTooLarge(maxBytes);
      if (used === current.length) {
        chunks.push(current);
        current = Buffer.allocUnsafe(BZIP2_CHUNK_BYTES);
        used = 0;
      }
      current[used++] = byte;
    },
  };
  const flush = (): Buffer[] => {
    const out = chunks;
    if (used > 0) out.push(current.subarray(0, used));
    chunks = [];
    current = Buffer.allocUnsafe(BZIP2_CHUNK_BYTES);
    used = 0;
    return out;
  };
  const { source, close } = bzipInput(input);
  const decoding = (step: () => void): void => {
    try {
      step();
    } catch (err) {
      if (err instanceof ArchiveRejectedError) throw err;
      throw new ArchiveRejectedError('corrupt', `bzip2 stream is corrupt: ${(err as Error).message}`);
    }
  };
  try {
    let bz!: InstanceType<typeof Bunzip>;
    decoding(() => (bz = new Bunzip(source, sink)));
    for (;;) {
      if (source.eof()) break;
      let block = false;
      decoding(() => {
        block = bz._init_block();
        if (block) bz._read_bunzip();
      });
      if (block) {
        yield* flush();
        continue;
      }
      decoding(() => {
        const expected = bz.reader.read(32) >>> 0;
        if (expected !== bz.streamCRC) throw new Error(`bad stream CRC (got ${bz.streamCRC.toString(16)}, expected ${expected.toString(16)})`);
      });
      // multistream: pbzip2/lbzip2 write concatenated bzip2 streams.
      if (source.eof()) break;
      decoding(() => bz._start_bunzip(source, sink));
    }
  } finally {
    close();
  }
  yield* flush();
}
