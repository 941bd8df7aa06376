/**
 * Second line of defence after per-collector allow-lists: every string and key of every output is
 * scanned for identifying data before it is written or sent. False positives (a version that looks
 * like an IPv4 address) are accepted; leaks are not.
 */
export const REDACTED = 'REDACTED';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const HEX4 = '[0-9A-Fa-f]{1,4}';
const TLDS =
  'com|net|org|info|biz|io|co|me|dev|app|cloud|host|local|lan|internal|intra|corp|home|localdomain|example|test|' +
  'ru|de|uk|fr|nl|eu|us|ca|au|jp|cn|ch|at|pl|cz|it|es|se|no|fi|dk|be|br|in|ua|by|kz';

/** Patterns matching bare hex identifiers; stack text keeps them (addresses, build ids) via `keepHex`. */
const HEX_PATTERNS = new Set<RegExp>();
const PATTERNS: RegExp[] = [
  // key=value / key: value secrets keep the key (useful for debugging) and lose the value
  /(?<=\b(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|auth|credentials?|serial(?:[ _-]?(?:number|no))?|s\/n)\s*["']?\s*[:=]\s*["']?)[^\s"',;]+/gi,
  /(?<=\bBearer\s+)\S+/gi,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  hex(/\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b/g),
  /\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b/g,
  new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d])`, 'g'),
  // IPv6: full form, or any compressed form containing "::"
  new RegExp(`(?<![\\w:])(?:${HEX4}:){7}${HEX4}(?![\\w:])`, 'g'),
  new RegExp(`(?<![\\w:])(?:${HEX4}(?::${HEX4})*)?::(?:${HEX4}(?::${HEX4})*)?(?![\\w:])`, 'g'),
  // machine-id (32 hex), WWNs, hashes-as-ids: long hex runs
  hex(/\b(?:0x)?[0-9A-Fa-f]{16,}\b/g),
  // fully qualified host names
  new RegExp(`\\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?:${TLDS})\\b`, 'gi'),
];

function hex(pattern: RegExp): RegExp {
  HEX_PATTERNS.add(pattern);
  return pattern;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface ScrubberOptions {
  /** The agent's own random host id is the one UUID allowed through. */
  hostId: string;
  /** Host-specific values found on this machine: host names, user names, VM/CT names, serials. */
  sensitiveValues?: readonly string[];
}

export class Scrubber {
  private readonly known: RegExp | undefined;
  private readonly hostIdPlaceholder = '\u0000HOSTID\u0000';

  constructor(private readonly options: ScrubberOptions) {
    // Values shorter than 3 characters would redact half the report and identify nobody.
    const values = [...new Set((options.sensitiveValues ?? []).map((v) => v.trim()).filter((v) => v.length >= 3))];
    values.sort((a, b) => b.length - a.length);
    this.known = values.length
      ? new RegExp(`(?<![A-Za-z0-9])(?:${values.map(escape).join('|')})(?![A-Za-z0-9])`, 'gi')
      : undefined;
  }

  /**
   * `keepHex` leaves UUIDs and long hex runs alone: in crash stacks they are addresses and build ids,
   * which identify a binary rather than a host, and the hub needs them to parse the frames.
   */
  scrubString(input: string, { keepHex = false }: { keepHex?: boolean } = {}): string {
    const hostId = this.options.hostId.toLowerCase();
    let out = input.replace(new RegExp(escape(hostId), 'gi'), this.hostIdPlaceholder);
    if (this.known) out = out.replace(this.known, REDACTED);
    for (const pattern of PATTERNS) if (!keepHex || !HEX_PATTERNS.has(pattern)) out = out.replace(pattern, REDACTED);
    return out.split(this.hostIdPlaceholder).join(hostId);
  }

  /** Deep copy with every string value and object key scrubbed. */
  scrub(value: unknown): unknown {
    if (typeof value === 'string') return this.scrubString(value);
    if (Array.isArray(value)) return value.map((v) => this.scrub(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        let safeKey = this.scrubString(key);
        // Two redacted keys must not overwrite each other's (already scrubbed) values.
        for (let i = 2; safeKey in out; i++) safeKey = `${this.scrubString(key)}-${i}`;
        out[safeKey] = this.scrub(v);
      }
      return out;
    }
    return value;
  }
}
