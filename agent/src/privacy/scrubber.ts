import { isSecretKey, VALUE_SUFFIXES } from './secret-keys';
import { valueForms } from './value-forms';

/**
 * Second line of defence after per-collector allow-lists: every string and key of every output is
 * scanned for identifying data before it is written or sent. It reads structure (JSON at any depth,
 * `key=value`, `key: value`, `key value`, `--key value`, tables with LABEL/SERIAL/UUID columns)
 * as well as shapes (addresses, MACs, UUIDs, WWNs, URL credentials). False positives (a version that
 * looks like an IPv4 address) are accepted; leaks are not.
 */
export const REDACTED = 'REDACTED';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const HEX4 = '[0-9A-Fa-f]{1,4}';
const TLDS =
  'com|net|org|info|biz|io|co|me|dev|app|cloud|host|local|lan|internal|intra|corp|home|localdomain|example|test|' +
  'ru|de|uk|fr|nl|eu|us|ca|au|jp|cn|ch|at|pl|cz|it|es|se|no|fi|dk|be|br|in|ua|by|kz';

const QUOTED = `"(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'`;
/** gdb prints a char* argument or local as its pointer and then the string: both are the value. */
const GDB_POINTER = `0x[0-9A-Fa-f]+(?:[ \\t]+<[^>\\n]*>)?(?:[ \\t]+(?:${QUOTED})(?:\\.\\.\\.)?)?`;
const BARE = `[^\\s"'\`,;(){}\\[\\]<>]+`;
/** `Authorization: Basic dXNl…`: the scheme and its credentials are one value. */
const AUTH_SCHEME = `(?:Basic|Bearer|Digest|Negotiate|NTLM)[ \\t]+[^\\s"',;]+`;
const VALUE = `(?:${GDB_POINTER}|${QUOTED}|${AUTH_SCHEME}|${BARE})`;
const SUFFIX = `(?:[ \\t]+(?:${VALUE_SUFFIXES.map((s) => s.replace(/[.#]/g, '\\$&')).join('|')}))?`;
/** dashes, quote, key, closing quote, words like `No` before the value, separator, value. */
const PAIR = new RegExp(`(?<![\\w.\\-])(-{0,2})(["']?)(-{0,2}[A-Za-z_][\\w.\\-]*)\\2(${SUFFIX})([ \\t]*[:=][ \\t]*|[ \\t]+)(${VALUE})`, 'gi');
/** curl -u user:pw, usermod -p '$6$…', mysql -psecret, sshpass -p secret. */
const SHORT_FLAG = new RegExp(`(?<![\\w-])(-[up])(\\s*)(?![/-])(${QUOTED}|${BARE})`, 'g');
/** Everything after `scheme://` up to the path: user, password, host and port alike. */
const URL_AUTHORITY = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>`]+/gi;

/** Patterns matching bare hex identifiers; stack text keeps them (addresses, build ids) via `keepHex`. */
const HEX_PATTERNS = new Set<RegExp>();
const PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+)\s+[A-Za-z0-9+/=]{16,}/g,
  // crypt(3) hashes: kickstart `rootpw --iscrypted`, `usermod -p`
  /\$(?:1|2[abxy]?|5|6|y|gy|7)\$[^\s'"\\]+/g,
  /(?<=\b(?:Bearer|Basic|Digest|Negotiate|NTLM)\s+)[A-Za-z0-9+/=._~-]{6,}/gi,
  /(?<=\bs\/n\s*[:=#]?\s*)[^\s"',;]+/gi,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  // DOMAIN\user (and its JSON-escaped DOMAIN\\user)
  /\b[A-Z][A-Z0-9-]{1,14}\\{1,2}[A-Za-z][\w.$-]*/g,
  // veth/vme interfaces are named after container ids and MACs (so carry digits; plain words like 'vmea' are kept)
  /\b(?:veth|vme)(?=[\w.-]*\d)[\w.-]+/g,
  // memcg and cgroup paths carry VM and container names
  /(?<=\/machine\.slice\/)[^\s,;:"']+/g,
  /\bmachine-(?:qemu|lxc)[^\s/,;"']*/g,
  // WWN, EUI, T10 and iSCSI names
  /\b(?:naa|eui|t10)\.[\w.:-]+/gi,
  /\biqn\.\d{4}-\d{2}\.[^\s,;"']+/gi,
  /\bwwn-0x[0-9a-f]+\b/gi,
  /\b(?:[0-9A-Fa-f]{2}:){7}[0-9A-Fa-f]{2}\b/g,
  /\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b/g,
  // machine ids and UUIDs without dashes (exactly 32 hex digits; stack addresses are 0x-prefixed)
  /\b[0-9A-Fa-f]{32}\b/g,
  /\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b/g,
  /\b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b/g,
  // a MAC without separators: 12 hex digits with a letter among them (all-digit runs are counters)
  /\b(?=[0-9]*[A-Fa-f])[0-9A-Fa-f]{12}\b/g,
  new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d])`, 'g'),
  // IPv6: full form, or any compressed form containing "::"
  new RegExp(`(?<![\\w:])(?:${HEX4}:){7}${HEX4}(?![\\w:])`, 'g'),
  new RegExp(`(?<![\\w:])(?:${HEX4}(?::${HEX4})*)?::(?:${HEX4}(?::${HEX4})*)?(?![\\w:])`, 'g'),
  hex(/\b[0-9A-Fa-f]{12}\b/g),
  // WWNs, hashes-as-ids: long hex runs
  hex(/\b(?:0x)?[0-9A-Fa-f]{16,}\b/g),
  // fully qualified host names
  new RegExp(`\\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?:${TLDS})\\b`, 'gi'),
];

/** Table columns (lsblk, blkid) whose cells name a filesystem, a disk or a mount of a customer. */
const SENSITIVE_COLUMNS = new Set(['LABEL', 'PARTLABEL', 'SERIAL', 'UUID', 'PARTUUID', 'PTUUID', 'WWN', 'MOUNTPOINT', 'MOUNTPOINTS', 'OWNER', 'HCTL']);
const HEADER = /^\s*(?:[A-Z][A-Z0-9:%-]*\s+){2,}[A-Z][A-Z0-9:%-]*\s*$/;

function hex(pattern: RegExp): RegExp {
  HEX_PATTERNS.add(pattern);
  return pattern;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Short values must stand alone; longer ones are removed even inside other words and file names. */
const ANYWHERE_MIN_LENGTH = 6;

/** Header columns of a table, by start offset. */
function columnsOf(header: string): Array<{ name: string; start: number }> {
  return [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index! }));
}

/** Redacts the sensitive columns of every table (header line, then rows up to a blank line). */
export function scrubTables(text: string): string {
  if (!text.includes('\n') && !HEADER.test(text)) return text;
  const lines = text.split('\n');
  let columns: Array<{ name: string; start: number }> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (HEADER.test(line)) {
      const found = columnsOf(line);
      columns = found.some((c) => SENSITIVE_COLUMNS.has(c.name)) ? found : undefined;
      continue;
    }
    if (!line.trim()) columns = undefined;
    if (!columns) continue;
    let row = line;
    // Right to left, so a redaction does not move the columns still to do.
    for (const c of [...columns].reverse()) {
      if (!SENSITIVE_COLUMNS.has(c.name) || c.start >= row.length || /\s/.test(row[c.start]) || (c.start > 0 && !/\s/.test(row[c.start - 1]))) continue;
      const end = row.slice(c.start).search(/\s|$/);
      row = `${row.slice(0, c.start)}${REDACTED}${row.slice(c.start + end)}`;
    }
    lines[i] = row;
  }
  return lines.join('\n');
}

/** Values of secret-bearing keys in any of the text forms; other pairs are left as they are. */
function scrubPairs(text: string): string {
  return text
    .split('\n')
    .map((line) => (HEADER.test(line) ? line : scrubLinePairs(line)))
    .join('\n');
}

/** A secret key whose "value" is a secret key with its own separator (`sn password: x`) hands over to that pair. */
function handsOver(value: string, rest: string): boolean {
  const word = /^([A-Za-z_][\w.-]*?)([:=]?)$/.exec(value);
  return !!word && isSecretKey(word[1]) && (word[2] !== '' || /^[ \t]*[:=]/.test(rest));
}

function scrubLinePairs(text: string): string {
  let out = '';
  let last = 0;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m; m = PAIR.exec(text)) {
    const [whole, dashes, quote, key, suffix, sep, value] = m;
    if (!isSecretKey(key) || handsOver(value, text.slice(m.index + whole.length))) {
      // Not a secret key here: its "value" may itself be the key of the next pair.
      PAIR.lastIndex = m.index + Math.max(1, dashes.length + quote.length + key.length);
      continue;
    }
    const prefix = `${dashes}${quote}${key}${quote}${suffix}${sep}`;
    out += `${text.slice(last, m.index)}${prefix}${REDACTED}`;
    last = m.index + whole.length;
  }
  return out + text.slice(last);
}

export interface ScrubberOptions {
  /** The agent's own random host id is the one UUID allowed through. */
  hostId: string;
  /** Host-specific values found on this machine: host names, user names, VM/CT names, serials. */
  sensitiveValues?: readonly string[];
  /**
   * Values removed only where they stand alone as a word (a crashing process's arguments): inside
   * identifiers (`cmd_config` for an argument `config`) they are code, which crash grouping reads.
   */
  wordValues?: readonly string[];
}

export class Scrubber {
  private readonly known: RegExp | undefined;
  private readonly hostIdPlaceholder = '\u0000HOSTID\u0000';

  constructor(private readonly options: ScrubberOptions) {
    // Values shorter than 3 characters would redact half the report and identify nobody.
    const forms = (list: readonly string[] | undefined) => new Set((list ?? []).flatMap(valueForms).filter((f) => f.length >= 3));
    const anywhere = forms(options.sensitiveValues);
    const words = [...forms(options.wordValues)].filter((f) => !anywhere.has(f));
    const alternatives = [
      ...[...anywhere].map((v) => ({ v, re: v.length >= ANYWHERE_MIN_LENGTH ? escape(v) : `(?<![A-Za-z0-9])${escape(v)}(?![A-Za-z0-9])` })),
      ...words.map((v) => ({ v, re: `(?<![A-Za-z0-9_])${escape(v)}(?![A-Za-z0-9_])` })),
    ]
      .sort((a, b) => b.v.length - a.v.length)
      .map((a) => a.re);
    this.known = alternatives.length ? new RegExp(`(?:${alternatives.join('|')})`, 'gi') : undefined;
  }

  /**
   * `keepHex` leaves long hex runs alone: in crash stacks they are addresses and build ids, which
   * identify a binary rather than a host, and the hub needs them to parse the frames.
   */
  scrubString(input: string, { keepHex = false }: { keepHex?: boolean } = {}): string {
    const json = this.embeddedJson(input, keepHex);
    if (json !== undefined) return json;
    const hostId = this.options.hostId.toLowerCase();
    let out = input.replace(new RegExp(escape(hostId), 'gi'), this.hostIdPlaceholder);
    if (this.known) out = out.replace(this.known, REDACTED);
    out = scrubTables(out);
    out = scrubPairs(out);
    out = out.replace(SHORT_FLAG, (_m, flag: string, space: string) => `${flag}${space}${REDACTED}`);
    out = out.replace(URL_AUTHORITY, `$1${REDACTED}`);
    for (const pattern of PATTERNS) if (!keepHex || !HEX_PATTERNS.has(pattern)) out = out.replace(pattern, REDACTED);
    return out.split(this.hostIdPlaceholder).join(hostId);
  }

  /** A string that is a whole JSON document is scrubbed as structure, so its keys are seen with their values. */
  private embeddedJson(input: string, keepHex: boolean): string | undefined {
    const t = input.trim();
    if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return undefined;
    try {
      return JSON.stringify(this.scrub(JSON.parse(t), keepHex));
    } catch {
      return undefined;
    }
  }

  /** Deep copy with every string value and object key scrubbed, and every value under a secret key removed. */
  scrub(value: unknown, keepHex = false): unknown {
    if (typeof value === 'string') return this.scrubString(value, { keepHex });
    if (Array.isArray(value)) return value.map((v) => this.scrub(v, keepHex));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const safeKey = this.uniqueKey(out, this.scrubString(key));
        out[safeKey] = isSecretKey(key) ? this.redactAll(v) : this.scrub(v, keepHex);
      }
      return out;
    }
    return value;
  }

  /** Under a secret key nothing but the shape survives: keys there (user names, hosts) go too. */
  private redactAll(value: unknown): unknown {
    if (typeof value === 'boolean' || value === null || value === undefined) return value;
    if (Array.isArray(value)) return value.map((v) => this.redactAll(v));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const v of Object.values(value)) out[this.uniqueKey(out, REDACTED)] = this.redactAll(v);
      return out;
    }
    return REDACTED;
  }

  /** Two redacted keys must not overwrite each other's (already scrubbed) values. */
  private uniqueKey(out: Record<string, unknown>, key: string): string {
    let safe = key;
    for (let i = 2; safe in out; i++) safe = `${key}-${i}`;
    return safe;
  }
}
