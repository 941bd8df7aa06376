import { CrashFrame, ParsedCrash } from './crash-thread';

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

const LINE_PREFIX = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: )?(?:\[\s*\d+\.\d+\](?:\[\s*[CT]\d+\])?)?\s*/;
const OOPS_START = new RegExp(
  '^(?:' +
    [
      '-+\\[ cut here \\]-+',
      'BUG:',
      'kernel BUG at',
      'WARNING:',
      'Oops\\b',
      'general protection fault',
      'Unable to handle kernel',
      'Kernel panic - not syncing',
      'INFO: task .* blocked',
      'INFO: possible',
      'INFO: rcu',
      'INFO: inconsistent',
      '\\[ INFO:',
      'divide error',
      'invalid opcode',
      'Internal error:',
      'NMI watchdog',
      'watchdog: BUG:',
      'Watchdog detected',
      'double fault',
      'stack segment',
      'traps:',
      '\\S+: page allocation failure',
    ].join('|') +
    ')',
);
const OOPS_END = /^(?:---\[ end |Last Breaking-Event-Address:)/;
const ALT_STACK_MARKERS = /^(?:<{1,2}\/?[A-Z]+>{1,2}\s*)+/;
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
const VERSION_AFTER_TAINT = /(?:Not tainted|Tainted: [A-Z -]*?)\s*\(?(\d+\.\d+[^\s)]*)/;
const VERSION_BEFORE_TAINT = /^(\d+\.\d+\S*) #\d+ (?:Not tainted|Tainted: )/;

/**
 * Kernel oops / WARNING text (ABRT `backtrace` of a Kerneloops, or a whole `vmcore-dmesg.txt`, of which
 * the first oops is taken). The RIP/EIP line is the crashing function and becomes the first frame, as in satyr.
 */
export function parseKernelOops(text: string): ParsedCrash {
  const lines = extractOops(text.split(/\r?\n/).map((line) => line.replace(LINE_PREFIX, '')));
  const frames: CrashFrame[] = [];
  let ipFrame: CrashFrame | undefined;
  let modules: string[] | undefined;
  let hardwareName: string | undefined;
  let kernelVersion: string | undefined;
  let taintFlags: string[] | undefined;

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
    if (!ipFrame && IP_PREFIX.test(line)) {
      ipFrame = parseKernelFrame(line.replace(IP_PREFIX, '').replace(/\s+SS:ESP.*$/, ''));
      if (ipFrame?.function) continue;
      ipFrame = undefined;
    }
    const frame = parseKernelFrame(line.replace(ALT_STACK_MARKERS, ''));
    if (frame) frames.push(frame);
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

/** From the first oops start line to its end marker or the start of the next oops. */
function extractOops(lines: string[]): string[] {
  const start = lines.findIndex((line) => OOPS_START.test(line));
  const result: string[] = [];
  let sawFrame = false;
  for (const line of lines.slice(Math.max(start, 0))) {
    if (OOPS_END.test(line)) break;
    if (sawFrame && OOPS_START.test(line)) break;
    if (!sawFrame && parseKernelFrame(line.replace(ALT_STACK_MARKERS, ''))) sawFrame = true;
    result.push(line);
  }
  // The summary abrt writes above an extracted oops (`Version: ...`) precedes the start marker.
  const version = lines.slice(0, Math.max(start, 0)).find((line) => line.startsWith('Version:'));
  return version ? [version, ...result] : result;
}

function parseKernelFrame(line: string): CrashFrame | undefined {
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
