import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Test-only builders for upload archives: real ones via the tar CLI, hostile ones by hand. */

export type Compression = 'gz' | 'xz' | 'bz2';

const COMPRESSOR: Record<Compression, string[]> = {
  gz: ['gzip', '-c'],
  xz: ['xz', '-c', '-T1'],
  bz2: ['bzip2', '-c'],
};
const MAX_BUFFER = 512 * 1024 * 1024;

/**
 * Archives `dir` with GNU tar the way reporter-upload lays it out: under one top-level
 * directory called `topLevel` (default: the directory's own name), or with the elements at
 * the root when `topLevel` is null. `format` is GNU tar's --format.
 */
export function tarDirectory(
  dir: string,
  compression: Compression,
  topLevel: string | null = path.basename(dir),
  format: 'gnu' | 'posix' | 'ustar' = 'gnu',
): Buffer {
  const flag = { gz: '-z', xz: '-J', bz2: '-j' }[compression];
  // Fixed metadata: archive bytes must not depend on when the fixtures were checked out.
  const reproducible = ['--sort=name', '--mtime=2024-01-01 00:00:00Z', '--owner=0', '--group=0', '--numeric-owner'];
  const common = ['-c', flag, `--format=${format}`, ...reproducible, '-f', '-'];
  const args =
    topLevel === null
      ? [...common, '-C', dir, '.']
      : [...common, '-C', path.dirname(dir), `--transform=s,^${path.basename(dir)},${topLevel},`, path.basename(dir)];
  return execFileSync('tar', args, { maxBuffer: MAX_BUFFER });
}

/** Compresses bytes with the real gzip / xz / bzip2 CLI. */
export function compress(data: Buffer, compression: Compression): Buffer {
  const [cmd, ...args] = COMPRESSOR[compression];
  return execFileSync(cmd, args, { input: data, maxBuffer: MAX_BUFFER });
}

/**
 * A decompression bomb: `prefix` followed by `zeroBytes` zero bytes, compressed by the CLI
 * straight from /dev/zero so the test never holds the expanded data in memory.
 */
export function compressedZeros(zeroBytes: number, compression: Compression, prefix: Buffer = Buffer.alloc(0)): Buffer {
  const compressor = COMPRESSOR[compression].join(' ');
  return execFileSync('sh', ['-c', `{ cat; head -c ${zeroBytes} /dev/zero; } | ${compressor}`], {
    input: prefix,
    maxBuffer: MAX_BUFFER,
  });
}

export type CraftType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'gnu-sparse';

export interface CraftEntry {
  name: string;
  type?: CraftType;
  body?: Buffer | string;
  linkname?: string;
  /** Size written in the header when it should lie about the body. */
  declaredSize?: number;
  /** How a name over 100 bytes is stored: ustar prefix split, GNU 'L' record or pax 'x' record. */
  nameEncoding?: 'ustar' | 'gnu' | 'pax';
  /** How the size is stored: octal field, GNU base-256 field, or a pax 'size' record (header field 0). */
  sizeEncoding?: 'octal' | 'base256' | 'pax';
}

const TYPEFLAG: Record<CraftType, string> = {
  file: '0',
  dir: '5',
  symlink: '2',
  hardlink: '1',
  char: '3',
  block: '4',
  fifo: '6',
  'gnu-sparse': 'S',
};

/** Writes a raw (uncompressed) tar stream so tests can produce entries no sane tar CLI would. */
export function craftTar(entries: CraftEntry[], options: { endMarker?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    const type = TYPEFLAG[entry.type ?? 'file'];
    let name = entry.name;
    let prefix = '';
    const size = entry.declaredSize ?? body.length;
    const pax: Record<string, string> = entry.sizeEncoding === 'pax' ? { size: String(size) } : {};
    if (Buffer.byteLength(name) > 100) {
      const encoding = entry.nameEncoding ?? 'pax';
      if (encoding === 'gnu') {
        const longName = Buffer.from(`${name}\0`);
        blocks.push(...record(header({ name: '././@LongLink', type: 'L', size: longName.length, gnu: true }), longName));
        name = name.slice(0, 100);
      } else if (encoding === 'pax') {
        pax.path = name;
        name = name.slice(0, 100);
      } else {
        const cut = name.lastIndexOf('/', name.length - 2);
        prefix = name.slice(0, cut);
        name = name.slice(cut + 1);
      }
    }
    if (Object.keys(pax).length > 0) {
      const records = paxRecords(pax);
      blocks.push(...record(header({ name: 'PaxHeader', type: 'x', size: records.length }), records));
    }
    const h = header({
      name,
      prefix,
      type,
      size: entry.sizeEncoding === 'pax' ? 0 : size,
      base256: entry.sizeEncoding === 'base256',
      linkname: entry.linkname,
      gnu: entry.nameEncoding === 'gnu',
    });
    blocks.push(...record(h, body));
  }
  if (options.endMarker ?? true) blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function paxRecords(fields: Record<string, string>): Buffer {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    const rest = ` ${key}=${value}\n`;
    let len = Buffer.byteLength(rest) + 1;
    // The length prefix counts its own digits.
    while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
    out += `${len}${rest}`;
  }
  return Buffer.from(out);
}

/** A header followed by its body padded to whole 512-byte blocks. */
function record(h: Buffer, body: Buffer): Buffer[] {
  const padding = (512 - (body.length % 512)) % 512;
  return [h, body, Buffer.alloc(padding)];
}

function header(f: {
  name: string;
  prefix?: string;
  type: string;
  size: number;
  base256?: boolean;
  linkname?: string;
  gnu?: boolean;
}): Buffer {
  const h = Buffer.alloc(512);
  h.write(f.name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(f.type, 156, 'latin1');
  h.write(f.linkname ?? '', 157, 100, 'utf8');
  h.write(f.gnu ? 'ustar  \0' : 'ustar\x0000', 257, 'latin1');
  if (f.prefix) h.write(f.prefix, 345, 155, 'utf8');
  if (f.base256) {
    h[124] = 0x80;
    h.writeUIntBE(f.size, 130, 6);
  } else {
    h.write(`${f.size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  }
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}
