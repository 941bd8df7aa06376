import { Scrubber, scrubTables } from '../privacy/scrubber';
import { reduceLocalPaths } from './crash-policy';
import allowList from './element-allow-list.json';
import words from './forbidden-words.json';
import type { Problem } from './problem-reader';

export type ElementPolicy = 'verbatim' | 'text' | 'hardware' | 'stack' | 'core-backtrace';

export const ELEMENT_POLICIES = allowList.elements as Record<string, ElementPolicy>;
/** Never sent, whatever the allow-list file says. */
export const NEVER_SENT: readonly string[] = allowList.never;

const REMOVED = '[line removed: sensitive word]';
/** python-meh's `<program> <version> exception report` header: kept whole, its version looks like an IPv4 address. */
const MEH_HEADER = /^[A-Za-z][\w.-]* \d+(\.\d+)* exception report\s*$/;
const HOME = /\/home\/(?!anonymized\b)[^/\s"'`:;,)]+/g;
/** Lines the hub parses frames from: kept in stack elements (their values are still scrubbed). */
const FRAME_LINES = [
  /^\s*File "/, // Python
  /^\s*#\d+\s/, // gdb
  /\+0x[0-9a-f]+\/0x[0-9a-f]+/i, // kernel
  /^\s*\[<[0-9a-f]+>\]/i,
  /^Traceback \(most recent call/,
  /^(Modules linked in|Hardware name|CPU: |Pid: )/, // hardware facts of an oops
];
/** System accounts identify nobody, and redacting `root` everywhere would gut paths like /root. */
const SYSTEM_USERS = new Set(['root', 'nobody']);

/**
 * libreport's forbidden_words.conf, honouring ignored_words.conf: a forbidden word inside an
 * ignored phrase (`keyboard`, `passthrough`) does not count.
 */
export function forbiddenWordIn(line: string): string | undefined {
  let masked = line;
  for (const phrase of words.ignored) if (masked.includes(phrase)) masked = masked.split(phrase).join('\u0000');
  return words.forbidden.find((w) => masked.includes(w));
}

/** Environment variables that describe the session, not the people or machines in it. */
const NEUTRAL_ENV = /^(PATH|LANG|LANGUAGE|LC_\w+|TERM|SHELL|SHLVL|PWD|OLDPWD|_|HISTCONTROL|HISTSIZE|LS_COLORS|LESSOPEN|TZ|INVOCATION_ID|JOURNAL_STREAM|NOTIFY_SOCKET|SYSTEMD_EXEC_PID|MANAGERPID|XDG_\w+|DBUS_SESSION_BUS_ADDRESS|MOTD_SHOWN|COLORTERM|PYTHON\w*|LD_\w+|DEBUGINFOD_URLS|MAIL|EDITOR|PAGER)$/;
/** Words too common to redact everywhere: options, switches, interpreters. */
const NEUTRAL_TOKEN = /^(?:-.*|\/.*|\d+|[\w.-]*(?:python|perl|bash|sh|node|java)[\d.]*|true|false|yes|no|on|off|all|start|stop|restart|status|run|list|set|get|add|del|delete|exec|enter|create|destroy|mount|umount|snapshot|suspend|resume|migrate|backup|restore|info|show|update|install|remove)$/i;

/**
 * Tokens of the crashing process's own command line and environment: passwords given as arguments,
 * customer names, database hosts. They reappear in `bt full` locals and messages, so each is removed
 * wherever it occurs. Options and paths are not tokens here: paths are judged by the crash policy.
 */
export function processTokens(problem: Problem): string[] {
  const tokens: string[] = [];
  const add = (v: string | undefined) => {
    const t = v?.trim().replace(/^["']|["']$/g, '');
    if (t && t.length >= 3 && !NEUTRAL_TOKEN.test(t) && !SYSTEM_USERS.has(t)) tokens.push(t);
  };
  const args = (problem.elements.get('cmdline') ?? '').replaceAll('\0', ' ').split(/\s+/).slice(1);
  for (const arg of args) {
    const assigned = /^-{0,2}[\w.-]+=(.*)$/.exec(arg);
    if (assigned) add(assigned[1]);
    else if (!/^-/.test(arg)) add(arg);
    // user:password pairs (curl -u, URLs) go as a whole and in their parts
    if (!arg.startsWith('/')) (assigned?.[1] ?? arg).split(/[:@]/).forEach(add);
  }
  for (const line of (problem.elements.get('environ') ?? '').split('\n')) {
    const m = /^([A-Za-z_]\w*)=(.*)$/.exec(line);
    if (!m || NEUTRAL_ENV.test(m[1])) continue;
    const value = m[1] === 'HOME' ? m[2].split('/').pop() : m[2];
    add(value);
    value?.split(/\s+/).forEach(add);
  }
  return tokens;
}

/** Host-identifying values a problem carries about itself, to be redacted wherever else they appear. */
export function problemSensitiveValues(problem: Problem): string[] {
  const values: string[] = [];
  const add = (v: string | undefined) => {
    const t = v?.trim();
    if (t && !SYSTEM_USERS.has(t)) values.push(t, t.split('.')[0]);
  };
  add(problem.elements.get('hostname'));
  add(problem.elements.get('username'));
  const dump = problem.elements.get('anaconda-tb') ?? '';
  for (const m of dump.matchAll(/--hostname[= ](\S+)/g)) add(m[1]);
  for (const m of dump.matchAll(/^\s*user\b.*?--name[= ](\S+)/gm)) add(m[1]);
  for (const m of dump.matchAll(/^\s*sshkey\b.*?--username[= ](\S+)/gm)) add(m[1]);
  return values;
}

/**
 * Cleans problem elements before anything leaves the host: allow-listed elements only, `/home/<user>`
 * anonymized (as satyr does), host and user names, addresses, e-mails and secrets redacted by the
 * agent's scrubber, and lines with libreport's forbidden words removed (kickstart `rootpw`, `user
 * --password`, proxy URLs, cloud credentials in logs).
 */
export class ProblemScrubber {
  constructor(private readonly scrubber: Scrubber) {}

  static forProblem(problem: Problem, hostId: string, hostValues: readonly string[]): ProblemScrubber {
    return new ProblemScrubber(new Scrubber({ hostId, sensitiveValues: [...hostValues, ...problemSensitiveValues(problem)], wordValues: processTokens(problem) }));
  }

  /** A name, path or one-line value; hex ids survive only with `keepHex` (stacks). */
  string(text: string, keepHex = false): string {
    return this.scrubber.scrubString(reduceLocalPaths(text.replace(HOME, '/home/anonymized')), { keepHex });
  }

  /** The element as it may be sent, or undefined when it must not be. */
  element(name: string, text: string): string | undefined {
    if (NEVER_SENT.includes(name)) return undefined;
    const policy = ELEMENT_POLICIES[name];
    switch (policy) {
      case undefined:
        return undefined;
      case 'verbatim':
        return text;
      case 'core-backtrace':
        return this.coreBacktrace(text);
      default:
        return this.lines(name, text, policy);
    }
  }

  private lines(name: string, text: string, policy: 'text' | 'hardware' | 'stack'): string {
    const checkWords = policy !== 'hardware' && !words.ignoredElements.includes(name);
    // Tables (lsblk) need their header to know which column is a label or a serial.
    return scrubTables(text)
      .split('\n')
      .map((line) => {
        if (policy === 'stack' && MEH_HEADER.test(line)) return line;
        const frame = policy === 'stack' && FRAME_LINES.some((re) => re.test(line));
        if (checkWords && !frame && forbiddenWordIn(line)) {
          // Keep the indentation: Python and gdb parsers read structure from it.
          return `${/^\s*/.exec(line)![0]}${REMOVED}`;
        }
        return this.string(line, policy === 'stack');
      })
      .join('\n');
  }

  /** satyr JSON: only names and paths are free text; addresses and build ids stay for the hub. */
  private coreBacktrace(text: string): string | undefined {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const walk = (value: unknown, key?: string): unknown => {
      if (typeof value === 'string') return key === 'build_id' || key === 'fingerprint' ? value : this.string(value, true);
      if (Array.isArray(value)) return value.map((v) => walk(v));
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
      return value;
    };
    return JSON.stringify(walk(json), null, 2);
  }
}
