import { ReadableStream } from 'node:stream/web';
import * as zlib from 'node:zlib';
import * as bunzip from 'seek-bzip';
import { XzReadableStream } from 'xz-decompress';
import { ArchiveRejectedError } from './archive-error';
import type { ArchiveCompression } from './archive-format';

const BZIP2_CHUNK_BYTES = 64 * 1024;

/**
 * Yields the decompressed bytes chunk by chunk and throws `too-large` as soon as the running
 * total passes `maxBytes`, so a bomb never gets inflated beyond the limit (plus one chunk).
 */
export async function* decompress(
  compression: ArchiveCompression,
  input: Buffer,
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

async function* gunzip(input: Buffer): AsyncGenerator<Buffer> {
  const inflater = zlib.createGunzip();
  inflater.end(input);
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
    inflater.destroy();
  }
}

// xz-embedded return codes (xz.h): XZ_BUF_ERROR means the input ended before the stream did.
const XZ_BUF_ERROR = 8;

async function* unxz(input: Buffer): AsyncGenerator<Buffer> {
  const compressed = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
      controller.close();
    },
  });
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

/**
 * seek-bzip decodes synchronously, so the limit is enforced inside its output callback;
 * the chunks are then handed on like the streaming decoders'.
 */
async function* bunzip2(input: Buffer, maxBytes: number): AsyncGenerator<Buffer> {
  const chunks: Buffer[] = [];
  let current = Buffer.allocUnsafe(BZIP2_CHUNK_BYTES);
  let used = 0;
  let total = 0;
  let pos = 0;
  const source = {
    readByte(): number {
      if (pos >= input.length) throw new ArchiveRejectedError('truncated', 'bzip2 stream is truncated');
      return input[pos++];
    },
    read(buffer: Uint8Array, offset: number, length: number): number {
      const n = Math.min(length, input.length - pos);
      if (n <= 0) return -1;
      buffer.set(input.subarray(pos, pos + n), offset);
      pos += n;
      return n;
    },
    eof: (): boolean => pos >= input.length,
  };
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
  try {
    // multistream: pbzip2/lbzip2 write concatenated bzip2 streams.
    bunzip.decode(source, sink, true);
  } catch (err) {
    if (err instanceof ArchiveRejectedError) throw err;
    throw new ArchiveRejectedError('corrupt', `bzip2 stream is corrupt: ${(err as Error).message}`);
  }
  chunks.push(current.subarray(0, used));
  yield* chunks;
}
