import { createHash } from 'node:crypto';
import { CrashFrame, ParsedCrash } from './crash-thread';
import kindData from './data/kernel-report-kinds.json';
import { kernelLogLines } from './kernel-log-lines';

/** Kernel taint letters → satyr/FAF `taint_flags` names ('G' only means "not proprietary"). */
export const TAINT_FLAG_NAMES: Readonly<Record<string, string>> = {
  P: 'module_proprietary',
  F: 'forced_module',
  S: 'smp_unsafe',
  R: 'forced_removal',
  M: 'mce',
  B: 'page_release',
  U: 'userspace',
  D: 'died_recently',
  A: 'acpi_overridden',
  W: 'warning',
  C: 'staging_driver',
  I: 'firmware_workaround',
  O: 'module_out_of_tree',
  E: 'unsigned_module',
  L: 'soft_lockup',
  K: 'live_patch',
};

const OOPS_START = new RegExp(
  '^(?:' +
    [
      '-+\\[ cut here \\]-+',
      'BUG:',
      'kernel BUG at',
      'WARNING:',
      'UBSAN:',
      'Oops\\b',
      '(?:Oops: )?general protection fault',
      'Unable to handle kernel',
      'Kernel panic - not syncing',
      'INFO: task .* blocked',
      'INFO: possible',
      '(?:rcu: )?INFO: rcu',
      'INFO: inconsistent',
      'INFO: suspicious RCU',
      '\\[ (?:INFO|BUG):',
      '(?:Oops: )?divide error',
      '(?:Oops: )?invalid opcode',
      '(?:Oops: )?stack segment',
      'Internal error:',
      'NMI watchdog',
      'watchdog: (?:BUG|Watchdog)',
      'Watchdog detected',
      '(?:PANIC: )?double fault',
      'list_(?:add|del) corruption',
      'sysrq: (?:SysRq : )?Trigger a crash',
      'traps:',
      '\\S+: page allocation failure',
    ].join('|') +
    ')',
);
const OOPS_END = /^(?:---\[ end |Last Breaking-Event-Address:)/;
/** A report's consequence (the panic it causes), not a new bug. */
const CONSEQUENCES = kindData.consequences.patterns.map((p) => new RegExp(p));
/** Lines after which a KASAN/KFENCE report lists other stacks (allocation, free) that are not the crash. */
const OTHER_STACKS = /^(?:Allocated by task|Freed by task|Last potentially related work creation|Second to last potentially related|The buggy address belongs|The buggy address is located|Memory state around|kfence-#\d+|allocated by task|freed by task)/;
const SECTION_MARKER = /^<{1,2}(\/?)(IRQ|NMI|SOFTIRQ|TASK|EOI|EOE)>{1,2}\s*/;
const IP_PREFIX = /^(?:[RE]IP:\s*(?:[0-9a-f]{4}:)?|NIP\s+|PC is at\s+|pc\s*:\s*)/;
// `[<c0014318>] (func+0x24/0x2c [mod]) from [<c001457c>] (caller+...)`
const ARM_FRAME =
  /^\[<([0-9a-f]+)>\]\s+\(([^\s()+]+)(?:\+0x([0-9a-f]+)\/0x[0-9a-f]+)?(?:\s+\[([^\]\s]+)\])?\)\s+from\s/i;
// x86 `[<addr>] ? func+0x1/0x2 [mod]`, new-style `func+0x1/0x2 [mod buildid]`,
// ppc64 `[sp] [ip] .func+... (unreliable)`, s390x `([<addr>] func+...)`, or an unnamed `[<addr>] 0xaddr`.
const FRAME = new RegExp(
  '^\\(?((?:\\[<?[0-9a-f]+>?\\]\\s*)*)(\\?\\s*)?' +
    '(?:([^\\s+()[\\]:]+)\\+0x([0-9a-f]+)\\/0x[0-9a-f]+(?:\\s+\\[([^\\]\\s]+)(?:\\s+[0-9a-f]+)?\\])?|0x([0-9a-f]+))' +
    '\\)?(\\s*\\(unreliable\\))?\\s*$',
  'i',
);
// Symbolized traces (scripts/decode_stacktrace.sh, syzkaller): `func+0x1/0x2 [mod] path/file.c:123`,
// `func+0x1/0x2 (path/file.c:123:4)`, and inlined callees above their caller as `func path/file.c:123 [inline]`.
const SOURCE_LOCATION = /\s+\(?((?:[\w.+-]+\/)*[\w.+-]+\.[A-Za-z]{1,3}):(\d+)(?::\d+)?\)?(\s+\[inline\])?\s*$/;
const INLINED_FRAME = /^(\?\s*)?([A-Za-z_][\w.]*)$/;
const VERSION_AFTER_TAINT = /(?:Not tainted|Tainted: [A-Z -]*?)\s*\(?(\d+\.\d+[^\s)]*)/;
const VERSION_BEFORE_TAINT = /^(\d+\.\d+\S*) #\d+ (?:Not tainted|Tainted: )/;

interface KindRule {
  pattern: RegExp;
  kind: string;
  qualifier?: RegExp;
  site: KernelSiteRule;
  anywhere: boolean;
}
const KIND_RULES: KindRule[] = (
  kindData.kinds as Array<{ pattern: string; kind: string; qualifier?: string; site: string; anywhere?: boolean }>
).map((k) => ({
  pattern: new RegExp(k.pattern),
  kind: k.kind,
  ...(k.qualifier ? { qualifier: new RegExp(k.qualifier) } : {}),
  site: k.site as KernelSiteRule,
  anywhere: k.anywhere === true,
}));

/** A report whose text names no kind (a bare trace, a uReport without its raw oops). */
export const UNKNOWN_KERNEL_KIND = 'kernel oops';

/** Where a report kind's crash site is: see data/kernel-report-kinds.json. */
export type KernelSiteRule = 'header' | 'ip' | 'stack' | 'task' | 'lock';

/** What kind of kernel report this is and the evidence its signature is built from. */
export interface KernelReport {
  /** e.g. `WARNING`, `KASAN: slab-use-after-free Read`, `soft lockup`: never numbers, CPUs, tasks. */
  kind: string;
  /** The line the kind was read from, log prefixes stripped. */
  header: string;
  site: KernelSiteRule;
  /** Function named by the header line (`WARNING ... at file:line func`, `KASAN: ... in func`). */
  headerFunction?: string;
  /** lockdep: the function of the lock being acquired (`at: func+0x...`). */
  lockFunction?: string;
  /** Instruction bytes of the `Code:` line: identify a crash site when no frame names one. */
  code?: string;
  /** sha256 of the report's lines: the last resort to tell frameless reports apart. */
  textHash: string;
  /** Further reports in the same text (another bug, or a repeat); each is its own report elsewhere. */
  otherReports: number;
  /** A consequence that followed (e.g. `Kernel panic - not syncing: Fatal exception`), kept for the record. */
  consequence?: string;
}

export interface ParsedKernelOops extends ParsedCrash {
  kernelReport?: KernelReport;
}

/**
 * One kernel report: a Kerneloops `backtrace` (one oops, as abrt-dump-oops extracted it), or a whole log
 * (`vmcore-dmesg.txt`, dmesg, journal, syslog), of which the first report is taken, as `abrt-dump-oops -u`
 * does for a vmcore; the others are counted in `kernelReport.otherReports`.
 * The RIP/EIP line is the crashing function and becomes the first frame, as in satyr; a RIP line printed
 * inside the trace (an interrupted context) stays where it was printed.
 */
export function parseKernelOops(text: string): ParsedKernelOops {
  const lines = kernelLogLines(text);
  const reports = splitKernelReports(lines);
  // Text without any start marker (a bare trace, a slab report) is taken whole, as before.
  const first: KernelReportText = reports[0] ?? { lines };
  const parsed = parseReportLines(first.lines);
  const kernelReport = classifyReport(first.lines);
  if (kernelReport) {
    parsed.kernelReport = {
      ...kernelReport,
      otherReports: Math.max(0, reports.length - 1),
      ...(first.consequence ? { consequence: first.consequence } : {}),
    };
  }
  return parsed;
}

export interface KernelReportText {
  /** The report's lines, log prefixes stripped; a `Version:` line abrt wrote above it comes first. */
  lines: string[];
  consequence?: string;
}

/**
 * Every report in a kernel log, in order, each from its start line to its end marker, the start of the
 * next report, or a consequence (the panic a report causes belongs to it and starts nothing new).
 * abrt-dump-oops does the same split and writes one Kerneloops problem directory per report.
 */
export function extractKernelReports(text: string): KernelReportText[] {
  return splitKernelReports(kernelLogLines(text));
}

function splitKernelReports(lines: string[]): KernelReportText[] {
  const reports: KernelReportText[] = [];
  let current: KernelReportText | undefined;
  let sawFrame = false;
  let version: string | undefined;
  let skipping = false;
  const close = () => {
    if (current) reports.push(current);
    current = undefined;
    sawFrame = false;
  };
  for (const line of lines) {
    if (line.startsWith('Version:') && !current) {
      version = line;
      continue;
    }
    if (OOPS_END.test(line)) {
      close();
      skipping = false;
      continue;
    }
    const start = OOPS_START.test(line);
    if (start && CONSEQUENCES.some((p) => p.test(line)) && (current || reports.length)) {
      // The consequence's own stack (panic, watchdog) says nothing about the bug: skip it.
      const owner = current ?? reports[reports.length - 1];
      owner.consequence ??= line;
      close();
      skipping = true;
      continue;
    }
    if (start && (!current || sawFrame)) {
      close();
      skipping = false;
      current = { lines: version ? [version, line] : [line] };
      version = undefined;
      continue;
    }
    if (!current || skipping) continue;
    if (!sawFrame && parseKernelFrame(stripMarkers(line).line)) sawFrame = true;
    current.lines.push(line);
  }
  close();
  return reports;
}

function parseReportLines(lines: string[]): ParsedKernelOops {
  const frames: CrashFrame[] = [];
  let ipFrame: CrashFrame | undefined;
  let modules: string[] | undefined;
  let hardwareName: string | undefined;
  let kernelVersion: string | undefined;
  let taintFlags: string[] | undefined;
  const contexts: Array<'irq' | 'nmi' | 'softirq' | 'task'> = [];
  let inTrace = false;
  let closed = false;

  for (const line of lines) {
    if (!modules && line.startsWith('Modules linked in:')) {
      modules = parseModules(line.slice('Modules linked in:'.length));
      continue;
    }
    const hardware = /^Hardware name:\s*(.+?)\s*$/.exec(line);
    if (hardware) {
      hardwareName = hardware[1];
      continue;
    }
    kernelVersion ??= /^Version:\s*(\S+)/.exec(line)?.[1] ?? versionOf(line);
    if (!taintFlags && line.includes('Tainted: ')) taintFlags = parseTaintFlags(line);
    hardwareName ??= /^Pid: \d+, comm: .*#\d+\s+(\S.*?)\s*$/.exec(line)?.[1];
    if (/^(?:Call Trace|Backtrace|Call trace):?/.test(line)) inTrace = true;
    // lockdep prints the lock chains first; the crash stack follows `stack backtrace:`.
    if (/^stack backtrace:/.test(line)) {
      frames.length = 0;
      inTrace = true;
      closed = false;
      continue;
    }
    if (OTHER_STACKS.test(line)) closed = true;
    if (closed) continue;
    const { line: rest, closedTask } = stripMarkers(line, contexts);
    const context = contexts.length ? contexts[contexts.length - 1] : undefined;
    const kernelContext = context && context !== 'task' ? context : undefined;
    if (IP_PREFIX.test(rest)) {
      const ip = parseKernelFrame(rest.replace(IP_PREFIX, '').replace(/\s+SS:ESP.*$/, ''));
      if (ip?.function) {
        // Inside a marked trace section, a RIP line is the interrupted context's: it stays in place.
        if (inTrace && contexts.length) frames.push(kernelContext ? { ...ip, kernelContext } : ip);
        else ipFrame ??= ip;
        continue;
      }
    }
    const frame = parseKernelFrame(rest);
    if (frame) frames.push(kernelContext ? { ...frame, kernelContext } : frame);
    // The first task stack is the crash's; later ones (other CPUs, other tasks) are not.
    if (closedTask && inTrace && frames.length) closed = true;
  }
  return {
    family: 'kerneloops',
    frames: ipFrame ? [ipFrame, ...frames] : frames,
    ...(kernelVersion ? { kernelVersion } : {}),
    taintFlags: taintFlags ?? [],
    ...(modules ? { modules } : {}),
    ...(hardwareName ? { hardwareName } : {}),
  };
}

/** Strips `<IRQ>`/`</IRQ>`/`<TASK>`… markers, tracking which context the following frames are in. */
function stripMarkers(line: string, contexts: Array<'irq' | 'nmi' | 'softirq' | 'task'> = []): { line: string; closedTask: boolean } {
  let rest = line;
  let closedTask = false;
  for (let marker = SECTION_MARKER.exec(rest); marker; marker = SECTION_MARKER.exec(rest)) {
    const [, closing, name] = marker;
    if (name === 'EOI' || name === 'EOE') contexts.pop();
    else if (closing) {
      const index = contexts.lastIndexOf(name.toLowerCase() as 'irq');
      if (index >= 0) contexts.splice(index);
      if (name === 'TASK') closedTask = true;
    } else contexts.push(name.toLowerCase() as 'irq');
    rest = rest.slice(marker[0].length);
  }
  return { line: rest, closedTask };
}

function classifyReport(lines: string[]): Omit<KernelReport, 'otherReports'> | undefined {
  if (!lines.some((line) => line.trim())) return undefined;
  const textHash = createHash('sha256').update(lines.join('\n')).digest('hex');
  const code = lines.map((l) => /^Code: (.*)$/.exec(l)?.[1]).find((c) => c && /<[0-9a-f]{2}>/.test(c))?.trim();
  // Old lockdep banners: `[ BUG: bad unlock balance detected! ]`.
  const unwrapped = lines.map((line) => line.replace(/^\[ (.*?) \]$/, '$1'));
  const anywhere = KIND_RULES.filter((rule) => rule.anywhere);
  const first = unwrapped.findIndex((line) => anywhere.some((rule) => rule.pattern.test(line)));
  const order = first >= 0 ? [first, ...unwrapped.keys()] : [...unwrapped.keys()];
  for (const i of order) {
    const line = unwrapped[i];
    for (const rule of i === first ? anywhere : KIND_RULES) {
      const match = rule.pattern.exec(line);
      if (!match) continue;
      const groups = match.groups ?? {};
      let kind = rule.kind.replace(/\$<(\w+)>/g, (_, name: string) => groups[name] ?? '').trim();
      if (rule.qualifier) {
        const qualifier = lines.slice(i + 1, i + 4).map((l) => rule.qualifier!.exec(l)?.groups?.q).find(Boolean);
        if (qualifier) kind = `${kind} ${qualifier}`;
      }
      return {
        kind: kind.replace(/\s+/g, ' '),
        header: line,
        site: rule.site,
        ...(groups.function ? { headerFunction: groups.function } : {}),
        ...(rule.site === 'lock' ? lockFunctionOf(lines.slice(i)) : {}),
        ...(code ? { code } : {}),
        textHash,
      };
    }
  }
  // No known header (an MCE, a bare trace): still a report, told apart by its frames or its own text.
  return { kind: UNKNOWN_KERNEL_KIND, header: lines.find((line) => line.trim())!, site: 'stack', ...(code ? { code } : {}), textHash };
}

/** lockdep: `... is trying to acquire lock:` then `(&lock){+.+.}-{3:3}, at: func+0x1/0x2`. */
function lockFunctionOf(lines: string[]): { lockFunction?: string } {
  const trying = lines.findIndex((l) => /is trying to acquire/.test(l));
  if (trying < 0) return {};
  for (const line of lines.slice(trying + 1, trying + 4)) {
    const at = /\bat: (?:\[<[0-9a-f]+>\]\s*)?([^\s+()]+)\+0x/.exec(line);
    if (at) return { lockFunction: at[1] };
  }
  return {};
}

function parseKernelFrame(text: string): CrashFrame | undefined {
  const source = SOURCE_LOCATION.exec(text);
  if (!source) return parseBareKernelFrame(text);
  const [, file, line, inline] = source;
  const rest = text.slice(0, source.index);
  const location = { file, line: Number(line) };
  if (inline) {
    const inlined = INLINED_FRAME.exec(rest);
    return inlined ? { function: inlined[2], ...location, inlined: true, reliable: !inlined[1] } : undefined;
  }
  const frame = parseBareKernelFrame(rest);
  return frame ? { ...frame, ...location } : undefined;
}

function parseBareKernelFrame(line: string): CrashFrame | undefined {
  const arm = ARM_FRAME.exec(line);
  if (arm) {
    return {
      address: parseInt(arm[1], 16),
      function: arm[2],
      ...(arm[3] ? { functionOffset: parseInt(arm[3], 16) } : {}),
      ...(arm[4] ? { module: arm[4] } : {}),
      reliable: true,
    };
  }
  const match = FRAME.exec(line);
  if (!match) return undefined;
  const [, addresses, question, name, offset, module, bareAddress, unreliable] = match;
  const addressList = [...addresses.matchAll(/[0-9a-f]+/gi)].map((m) => m[0]);
  if (!name && addressList.length === 0) return undefined;
  const address = addressList.length ? addressList[addressList.length - 1] : bareAddress;
  return {
    ...(name ? { function: name.replace(/^\.+/, '') } : {}),
    ...(offset ? { functionOffset: parseInt(offset, 16) } : {}),
    ...(module ? { module } : {}),
    ...(address ? { address: parseInt(address, 16) } : {}),
    reliable: !question && !unreliable,
  };
}

function versionOf(line: string): string | undefined {
  return (VERSION_AFTER_TAINT.exec(line) ?? VERSION_BEFORE_TAINT.exec(line))?.[1];
}

function parseModules(list: string): string[] {
  return list
    .replace(/\[last unloaded:.*$/, '')
    .split(/\s+/)
    .filter(Boolean)
    .map((module) => module.replace(/\(.*\)$/, ''));
}

function parseTaintFlags(line: string): string[] {
  const letters = /Tainted: ([A-Z ]*)/.exec(line)?.[1] ?? '';
  const names = [...letters].map((letter) => TAINT_FLAG_NAMES[letter]).filter((name): name is string => !!name);
  return [...new Set(names)];
}
