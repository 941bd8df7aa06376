import { ArchiveRejectedError } from './archive-error';
import { detectCompression } from './archive-format';
import type { ArchiveLimits } from './archive-limits';
import { decompress } from './decompress';
import { type ArchiveEntries, TarParser } from './tar-parser';

export type { ArchiveEntries } from './tar-parser';

/**
 * Reads a compressed tar upload entirely in memory (nothing touches the disk) and returns its
 * regular files by normalized relative path. Directories are accepted and skipped; anything
 * unsafe, oversized or malformed throws `ArchiveRejectedError`.
 */
export async function readArchive(buffer: Buffer, limits: ArchiveLimits): Promise<ArchiveEntries> {
  if (buffer.length > limits.maxCompressedBytes) {
    throw new ArchiveRejectedError('too-large', `upload is ${buffer.length} bytes (limit ${limits.maxCompressedBytes})`);
  }
  const compression = detectCompression(buffer);
  if (compression === undefined) {
    throw new ArchiveRejectedError('unknown-format', 'upload is not a gzip, xz or bzip2 compressed tar archive');
  }
  const parser = new TarParser(limits);
  // Keep inflating after the end-of-archive marker so the compressed stream's own integrity
  // check (gzip CRC, xz check, bzip2 CRC) still runs; the byte limit bounds that too.
  for await (const chunk of decompress(compression, buffer, limits.maxUnpackedBytes)) parser.write(chunk);
  return parser.end();
}
