import * as fs from 'node:fs';
import { ArchiveRejectedError } from './archive-error';
import { detectCompression } from './archive-format';
import type { ArchiveLimits } from './archive-limits';
import { type CompressedSource, decompress } from './decompress';
import { type ArchiveEntries, type KeepEntry, type SkippedEntry, TarParser } from './tar-parser';

export type { ArchiveEntries, KeepEntry, SkippedEntry } from './tar-parser';

/**
 * Reads a compressed tar upload entirely in memory (nothing touches the disk) and returns its
 * regular files by normalized relative path. Directories are accepted and skipped; anything
 * unsafe, oversized or malformed throws `ArchiveRejectedError`.
 */
export async function readArchive(buffer: Buffer, limits: ArchiveLimits): Promise<ArchiveEntries> {
  if (buffer.length > limits.maxCompressedBytes) {
    throw new ArchiveRejectedError('too-large', `upload is ${buffer.length} bytes (limit ${limits.maxCompressedBytes})`);
  }
  return (await readArchiveStream(buffer, limits)).entries;
}

export interface StreamedArchive {
  entries: ArchiveEntries;
  /** Entries `keep` refused, by path and size (the first hundred), and how many there were. */
  skipped: SkippedEntry[];
  skippedCount: number;
}

export interface StreamOptions {
  keep?: KeepEntry;
  /**
   * Bound on the whole decompressed stream, skipped entries included (default: the unpacked
   * limit, which then bounds kept and skipped alike).
   */
  maxStreamBytes?: number;
}

/**
 * Inflates and parses as the bytes come (from memory or a spooled file): kept entries are held,
 * skipped ones are dropped as they stream past. Size and entry limits apply to what is kept.
 */
export async function readArchiveStream(source: CompressedSource, limits: ArchiveLimits, options: StreamOptions = {}): Promise<StreamedArchive> {
  const compression = detectCompression(Buffer.isBuffer(source) ? source : magicOf(source.file));
  if (compression === undefined) {
    throw new ArchiveRejectedError('unknown-format', 'upload is not a gzip, xz or bzip2 compressed tar archive');
  }
  const parser = new TarParser(limits, options.keep);
  // Keep inflating after the end-of-archive marker so the compressed stream's own integrity
  // check (gzip CRC, xz check, bzip2 CRC) still runs; the byte limit bounds that too.
  for await (const chunk of decompress(compression, source, options.maxStreamBytes ?? limits.maxUnpackedBytes)) parser.write(chunk);
  return { entries: parser.end(), skipped: parser.skipped, skippedCount: parser.skippedCount };
}

function magicOf(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}
