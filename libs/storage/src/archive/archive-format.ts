export type ArchiveCompression = 'gzip' | 'xz' | 'bzip2';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const BZIP2_MAGIC = Buffer.from('BZh', 'latin1');

/**
 * Detects the compression from magic bytes only: upload file names are client-controlled,
 * and abrt-handle-upload accepts exactly these three (.tar.gz/.tar.bz2/.tar.xz).
 */
export function detectCompression(data: Buffer): ArchiveCompression | undefined {
  if (startsWith(data, GZIP_MAGIC)) return 'gzip';
  if (startsWith(data, XZ_MAGIC)) return 'xz';
  // The 4th byte is the block-size level '1'..'9'; checking it avoids matching text starting "BZh".
  if (startsWith(data, BZIP2_MAGIC) && data.length > 3 && data[3] >= 0x31 && data[3] <= 0x39) {
    return 'bzip2';
  }
  return undefined;
}

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
}
