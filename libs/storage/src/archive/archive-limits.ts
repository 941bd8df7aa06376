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
