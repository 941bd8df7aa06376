import { ArchiveRejectedError } from './archive-error';
import type { ArchiveLimits } from './archive-limits';

export type ArchiveEntries = Map<string, Buffer>;

/** A member left out while streaming (a core dump, a large blob nobody reads). */
export interface SkippedEntry {
  path: string;
  size: number;
}

/** Decides, from its header alone, whether a regular file is kept; a skipped one is never buffered. */
export type KeepEntry = (path: string, size: number) => boolean;

const BLOCK = 512;
/** Bound for pax / GNU long-name record bodies, which are held in memory whole. */
const MAX_METADATA_BYTES = 64 * 1024;
/** Zero records after the end-of-archive marker (GNU tar pads to 10 KiB records); more is a bomb's filler. */
const MAX_TRAILING_BYTES = 1024 * 1024;
/** Skipped entries named one by one; beyond this only their number grows. */
const MAX_SKIPPED_LISTED = 100;

/** What the parser waits for next. */
type Pending =
  | { kind: 'header' }
  | { kind: 'file'; path: string; size: number }
  | { kind: 'skip'; remaining: number }
  | { kind: 'meta'; type: string; size: number; entry: string }
  | { kind: 'done' };

/** Overrides carried from pax 'x' / GNU 'L' and 'K' records to the next real header. */
interface NextHeaderOverrides {
  path?: string;
  linkpath?: string;
  size?: number;
}

/**
 * Push parser for ustar, GNU (long names, base-256 sizes) and pax tar streams that keeps
 * regular files in memory and rejects anything that could escape or confuse an extractor.
 * Our own parser rather than node-tar's: that one reports bad headers as warnings (errors only
 * in strict mode, untyped), while every anomaly here must be a typed rejection naming the entry.
 */
export class TarParser {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private offset = 0;
  private state: Pending = { kind: 'header' };
  private overrides: NextHeaderOverrides = {};
  private entryCount = 0;
  private fileBytes = 0;
  private trailing = 0;
  private readonly entries: ArchiveEntries = new Map();
  readonly skipped: SkippedEntry[] = [];
  private readonly skippedPaths = new Set<string>();
  skippedCount = 0;

  constructor(
    private readonly limits: ArchiveLimits,
    private readonly keep: KeepEntry = () => true,
  ) {}

  write(chunk: Buffer): void {
    // Bytes after the end-of-archive marker (tar's record padding) carry no entries.
    if (this.state.kind === 'done') {
      this.trailing += chunk.length;
      if (this.trailing > MAX_TRAILING_BYTES) {
        throw new ArchiveRejectedError('too-large', `archive continues more than ${MAX_TRAILING_BYTES} bytes past its end-of-archive marker`);
      }
      return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      const s = this.state;
      if (s.kind === 'skip') {
        // A skipped body is dropped as it arrives, so a core dump never sits in memory.
        const n = Math.min(this.buffered, s.remaining);
        if (n === 0 && s.remaining > 0) return;
        this.drop(n);
        s.remaining -= n;
        if (s.remaining === 0) this.state = { kind: 'header' };
        continue;
      }
      const need = this.nextStep();
      if (need === undefined) return;
      this.consume(this.take(need));
    }
  }

  end(): ArchiveEntries {
    if (this.state.kind !== 'done') {
      throw new ArchiveRejectedError('truncated', `tar stream ends at byte ${this.offset + this.buffered} without an end-of-archive marker`);
    }
    return this.entries;
  }

  /** Bytes needed for the current state (a body is padded to whole blocks), if already buffered. */
  private nextStep(): number | undefined {
    const s = this.state;
    if (s.kind === 'done') return undefined;
    const need = s.kind === 'header' ? BLOCK : s.kind === 'skip' ? s.remaining : padded(s.size);
    return this.buffered >= need ? need : undefined;
  }

  private drop(n: number): void {
    let left = n;
    while (left > 0) {
      const c = this.chunks[0];
      if (c.length <= left) {
        this.chunks.shift();
        left -= c.length;
      } else {
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.buffered -= n;
    this.offset += n;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const parts: Buffer[] = [];
      let left = n;
      while (left > 0) {
        const c = this.chunks[0];
        if (c.length <= left) {
          parts.push(c);
          this.chunks.shift();
          left -= c.length;
        } else {
          parts.push(c.subarray(0, left));
          this.chunks[0] = c.subarray(left);
          left = 0;
        }
      }
      out = Buffer.concat(parts, n);
    }
    this.buffered -= n;
    this.offset += n;
    return out;
  }

  private consume(data: Buffer): void {
    const s = this.state as Exclude<Pending, { kind: 'done' } | { kind: 'skip' }>;
    switch (s.kind) {
      case 'header':
        this.state = this.parseHeader(data, this.offset - BLOCK);
        return;
      case 'file':
        // Copy so the map does not pin the decompressor's (possibly much larger) chunks.
        this.entries.set(s.path, Buffer.from(data.subarray(0, s.size)));
        break;
      case 'meta':
        this.applyMetadata(s.type, data.subarray(0, s.size), s.entry);
        break;
    }
    this.state = { kind: 'header' };
  }

  private parseHeader(h: Buffer, at: number): Pending {
    if (h.every((b) => b === 0)) return { kind: 'done' };
    verifyChecksum(h, at);

    const type = String.fromCharCode(h[156]);
    const magic = h.toString('latin1', 257, 263);
    const ustarName = cString(h, 0, 100);
    // Only POSIX ustar has a prefix field; GNU keeps atime/ctime there.
    const prefix = magic === 'ustar\0' ? cString(h, 345, 155) : '';
    const headerName = prefix ? `${prefix}/${ustarName}` : ustarName;
    const rawName = this.overrides.path ?? headerName;
    const headerSize = parseNumber(h, 124, 12, rawName, at);

    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (headerSize > MAX_METADATA_BYTES) {
        throw new ArchiveRejectedError('too-large', `tar metadata record '${type}' near "${rawName}" is ${headerSize} bytes (limit ${MAX_METADATA_BYTES})`, rawName);
      }
      // A global pax header ('g') sets archive-wide defaults we do not use (e.g. git's commit id).
      return type === 'g' ? { kind: 'skip', remaining: padded(headerSize) } : { kind: 'meta', type, size: headerSize, entry: rawName };
    }
    // A pax 'size' is authoritative: it is how sizes beyond the octal field are stored.
    const size = this.overrides.size ?? headerSize;
    const linkname = this.overrides.linkpath ?? cString(h, 157, 100);
    this.overrides = {};

    if (++this.entryCount > this.limits.maxEntries) {
      throw new ArchiveRejectedError('too-many-entries', `archive has more than ${this.limits.maxEntries} entries (at "${rawName}")`, rawName);
    }
    const path = normalizePath(rawName);

    switch (type) {
      case '0':
      case '\0':
      case '7':
        return this.acceptFile(path, rawName, size);
      case '5':
        return { kind: 'skip', remaining: padded(size) };
      case '1':
      case '2':
        throw new ArchiveRejectedError('link-entry', `"${rawName}" is a ${type === '1' ? 'hard link' : 'symbolic link'} to "${linkname}"`, rawName);
      case '3':
      case '4':
      case '6':
        throw new ArchiveRejectedError('device-entry', `"${rawName}" is a ${DEVICE_KINDS[type]}`, rawName);
      default:
        throw new ArchiveRejectedError('unsupported-entry', `"${rawName}" has unsupported tar entry type '${type}'`, rawName);
    }
  }

  private acceptFile(path: string, rawName: string, size: number): Pending {
    if (path === '') throw new ArchiveRejectedError('unsafe-path', `regular file "${rawName}" has an empty path`, rawName);
    if (this.entries.has(path) || this.skippedPaths.has(path)) {
      // Tar lets a later member silently replace an earlier one; we refuse the ambiguity.
      throw new ArchiveRejectedError('duplicate-entry', `"${rawName}" appears more than once`, rawName);
    }
    if (!this.keep(path, size)) {
      // Size limits bound what is kept; the stream limit bounds the work a skipped entry costs.
      if (this.skipped.length < MAX_SKIPPED_LISTED) this.skipped.push({ path, size });
      this.skippedPaths.add(path);
      this.skippedCount++;
      return { kind: 'skip', remaining: padded(size) };
    }
    if (size > this.limits.maxEntryBytes) {
      throw new ArchiveRejectedError('too-large', `"${rawName}" is ${size} bytes (limit ${this.limits.maxEntryBytes})`, rawName);
    }
    this.fileBytes += size;
    if (this.fileBytes > this.limits.maxUnpackedBytes) {
      throw new ArchiveRejectedError('too-large', `files up to "${rawName}" total ${this.fileBytes} bytes (limit ${this.limits.maxUnpackedBytes})`, rawName);
    }
    return { kind: 'file', path, size };
  }

  private applyMetadata(type: string, body: Buffer, entry: string): void {
    if (type === 'L') this.overrides.path = cString(body, 0, body.length);
    else if (type === 'K') this.overrides.linkpath = cString(body, 0, body.length);
    else Object.assign(this.overrides, parsePax(body, entry));
  }
}

const DEVICE_KINDS: Record<string, string> = { '3': 'character device', '4': 'block device', '6': 'FIFO' };

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function cString(buf: Buffer, start: number, length: number, encoding: BufferEncoding = 'utf8'): string {
  const end = buf.indexOf(0, start);
  return buf.toString(encoding, start, end === -1 || end > start + length ? start + length : end);
}

function verifyChecksum(h: Buffer, at: number): void {
  const stored = cString(h, 148, 8, 'latin1').trim();
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  const value = /^[0-7]+$/.test(stored) ? parseInt(stored, 8) : NaN;
  // Some historic tars summed signed chars; both are accepted by GNU tar.
  if (value !== unsigned && value !== signed) {
    throw new ArchiveRejectedError('corrupt', `tar header at byte ${at} has a bad checksum (not a tar stream, or damaged)`);
  }
}

/** Octal ASCII, or GNU base-256 (high bit set) for values that do not fit. */
function parseNumber(h: Buffer, start: number, length: number, entry: string, at: number): number {
  if (h[start] & 0x80) {
    if (h[start] & 0x40) throw new ArchiveRejectedError('corrupt', `tar header at byte ${at} ("${entry}") has a negative size`, entry);
    let value = h[start] & 0x3f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + h[i];
    if (!Number.isSafeInteger(value)) throw new ArchiveRejectedError('too-large', `"${entry}" declares an absurd size`, entry);
    return value;
  }
  const text = cString(h, start, length, 'latin1').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArchiveRejectedError('corrupt', `tar header at byte ${at} ("${entry}") has a malformed size "${text}"`, entry);
  return parseInt(text, 8);
}

/** pax records are "<len> <key>=<value>\n", len counting the whole record in bytes. */
function parsePax(body: Buffer, entry: string): NextHeaderOverrides {
  const out: NextHeaderOverrides = {};
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    const digits = space === -1 ? '' : body.toString('latin1', pos, space);
    const len = /^\d+$/.test(digits) ? Number(digits) : NaN;
    if (!Number.isSafeInteger(len) || len <= space - pos || pos + len > body.length || body[pos + len - 1] !== 0x0a) {
      throw new ArchiveRejectedError('corrupt', `malformed pax header before "${entry}"`, entry);
    }
    const record = body.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq === -1) throw new ArchiveRejectedError('corrupt', `malformed pax header before "${entry}"`, entry);
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'linkpath') out.linkpath = value;
    else if (key === 'size') {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw new ArchiveRejectedError('corrupt', `pax size "${value}" before "${entry}" is not a number`, entry);
      }
      out.size = Number(value);
    }
    pos += len;
  }
  return out;
}

/**
 * Turns a member name into a relative '/'-separated path without '.' or empty components.
 * Absolute paths, '..' anywhere, NUL and backslashes are refused rather than repaired:
 * no legitimate reporter produces them, and repairing hides an attack.
 */
export function normalizePath(name: string): string {
  if (name.startsWith('/')) throw new ArchiveRejectedError('unsafe-path', `"${name}" is an absolute path`, name);
  if (/[\0\\]/.test(name)) throw new ArchiveRejectedError('unsafe-path', `"${name}" contains a NUL or backslash`, name);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new ArchiveRejectedError('unsafe-path', `"${name}" contains a ".." component`, name);
  return parts.join('/');
}
