export interface ArchiveLimits {
  /** Size of the upload as received (compressed). */
  maxCompressedBytes: number;
  /**
   * Size of the decompressed tar stream, headers and padding included. Enforced while
   * inflating, so a decompression bomb is stopped before its output exists.
   */
  maxUnpackedBytes: number;
  /** Tar members (files and directories; pax/GNU metadata records are not counted). */
  maxEntries: number;
  /** Size of any single regular file. */
  maxEntryBytes: number;
}

/** Below this the ratio bound does not apply: a small upload may always unpack this far. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

/**
 * How far an upload may unpack: at most `ceiling`, and at most `maxRatio` times its compressed
 * size. gzip cannot exceed ~1032:1, so the default ratio passes any gzip upload (sparse cores
 * included) while a bzip2 or xz bomb (10^6:1) stops after a few hundred KB of work.
 */
export function unpackBound(compressedBytes: number, ceiling: number, maxRatio: number): number {
  return Math.min(ceiling, Math.max(RATIO_FLOOR_BYTES, compressedBytes * maxRatio));
}
