import * as path from 'node:path';
import { UReportV2Schema, type UReportProblem, type UReportV2 } from '../../../libs/contracts/src/crash/ureport.schema';
import { extractKernelReports, kernelSignature, parseKernelOops, parsePythonTraceback } from '../../../libs/crash-signature/src';
import { AGENT_VERSION } from '../report/agent-version';
import { elementNumber, type Problem } from './problem-reader';
import type { ProblemScrubber } from './problem-scrubber';

const COMPONENT = /^[a-zA-Z0-9\-._+]+$/;

const text = (p: Problem, name: string) => p.elements.get(name)?.trim() || undefined;

/** satyr's os object: /etc/os-release fields from `os_info`, else the `os_release` one-liner. */
function osOf(p: Problem): UReportV2['os'] {
  const fields = new Map<string, string>();
  for (const line of (p.elements.get('os_info') ?? '').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields.set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
  }
  const release = /^(\S+).*?release (\S+)/.exec(text(p, 'os_release') ?? '');
  return {
    name: fields.get('ID') ?? release?.[1].toLowerCase() ?? 'unknown',
    version: fields.get('VERSION_ID') ?? release?.[2] ?? 'unknown',
    architecture: text(p, 'architecture') ?? text(p, 'pkg_arch') ?? 'unknown',
    ...(fields.get('VARIANT_ID') ? { variant: fields.get('VARIANT_ID') } : {}),
    ...(fields.get('CPE_NAME') ? { cpe: fields.get('CPE_NAME') } : {}),
  };
}

function packagesOf(p: Problem): UReportV2['packages'] {
  const [name, version, release] = ['pkg_name', 'pkg_version', 'pkg_release'].map((e) => text(p, e));
  if (!name || !version || !release) return [];
  const epoch = elementNumber(p, 'pkg_epoch');
  return [{ name, version, release, architecture: text(p, 'pkg_arch') ?? text(p, 'architecture') ?? 'unknown', ...(epoch !== undefined ? { epoch } : {}), package_role: 'affected' }];
}

/** satyr names unpackaged executables `<basename>-unpackaged`. */
function componentOf(p: Problem, executable: string | undefined): string {
  const named = text(p, 'component') ?? text(p, 'pkg_name');
  if (named && COMPONENT.test(named)) return named;
  return `${path.basename(executable ?? 'unknown').replace(/[^a-zA-Z0-9\-._+]/g, '_')}-unpackaged`;
}

interface CoreBacktrace {
  signal?: number;
  executable?: string;
  only_crash_thread?: boolean;
  stacktrace?: Array<{ crash_thread?: boolean; frames?: Array<Record<string, unknown>> }>;
}

function coreProblem(p: Problem, s: ProblemScrubber): { problem: UReportProblem; reason: string } | undefined {
  const json = JSON.parse(p.elements.get('core_backtrace')!) as CoreBacktrace;
  const threads = (json.stacktrace ?? [])
    .map((t) => ({
      crash_thread: t.crash_thread === true,
      frames: (t.frames ?? []).map((f) => ({
        address: typeof f.address === 'number' ? f.address : 0,
        ...(typeof f.build_id === 'string' ? { build_id: f.build_id } : {}),
        build_id_offset: typeof f.build_id_offset === 'number' ? f.build_id_offset : 0,
        file_name: s.string(typeof f.file_name === 'string' ? f.file_name : '', true),
        ...(typeof f.function_name === 'string' ? { function_name: s.string(f.function_name, true) } : {}),
        ...(typeof f.fingerprint === 'string' ? { fingerprint: f.fingerprint } : {}),
        ...(typeof f.fingerprint_hashed === 'boolean' ? { fingerprint_hashed: f.fingerprint_hashed } : {}),
      })),
    }))
    .filter((t) => t.frames.length > 0);
  if (threads.length === 0) return undefined;
  // FAF wants exactly one crash thread; satyr marks the first when only the crash thread was unwound.
  if (threads.filter((t) => t.crash_thread).length !== 1) threads.forEach((t, i) => (t.crash_thread = i === 0));
  const executable = s.string(text(p, 'executable') ?? json.executable ?? 'unknown');
  const signal = json.signal ?? 0;
  return {
    problem: {
      type: 'core',
      component: componentOf(p, executable),
      user: { root: text(p, 'uid') === '0', local: true },
      serial: elementNumber(p, 'count') ?? 1,
      signal,
      executable,
      ...(json.only_crash_thread !== undefined ? { only_crash_thread: json.only_crash_thread } : {}),
      stacktrace: threads,
    },
    reason: `Program ${executable} was terminated by signal ${signal}`,
  };
}

function pythonProblem(p: Problem, s: ProblemScrubber): { problem: UReportProblem; reason: string } | undefined {
  const parsed = parsePythonTraceback(p.elements.get('backtrace')!);
  if (!parsed.exceptionName || parsed.frames.length === 0) return undefined;
  // Innermost frame first, as satyr lists them; `<module>`/`<stdin>` are satyr's special names.
  const stacktrace = parsed.frames.map((f) => {
    const special = (name: string | undefined) => /^<(.+)>$/.exec(name ?? '')?.[1];
    const file = f.file ? s.string(f.file, true) : undefined;
    return {
      ...(special(file) ? { special_file: special(file) } : file ? { file_name: file } : {}),
      ...(f.line !== undefined ? { file_line: f.line } : {}),
      ...(special(f.function) ? { special_function: special(f.function) } : f.function ? { function_name: s.string(f.function, true) } : {}),
    };
  });
  const executable = text(p, 'executable');
  const top = parsed.frames[0];
  return {
    problem: {
      type: 'python',
      component: componentOf(p, executable),
      user: { root: text(p, 'uid') === '0', local: true },
      serial: elementNumber(p, 'count') ?? 1,
      exception_name: parsed.exceptionName,
      stacktrace,
    },
    // The exception message is left out: it may hold values (FAF's uReport privacy rule).
    reason: `${parsed.exceptionName} in ${s.string(top.file ?? '?', true)}:${top.line ?? 0}`,
  };
}

/** The oops itself: a Kerneloops `backtrace`, or the first oops of a whole vmcore-dmesg.txt. */
function oopsText(p: Problem): string | undefined {
  const backtrace = p.elements.get('backtrace');
  if (backtrace?.trim()) return backtrace;
  // As `abrt-dump-oops -u` does for a vmcore: the first report, log prefixes (timestamps, caller ids) gone.
  const [first] = extractKernelReports(p.elements.get('vmcore-dmesg.txt') ?? '');
  return first?.lines.join('\n');
}

/** `WARNING in ve_net_unregister [vznetdev]`: the report's kind and crash site; satyr's wording without a kind. */
function kernelReason(parsed: ReturnType<typeof parseKernelOops>, top: { function_name: string; module_name?: string }): string {
  const { kind, frames } = kernelSignature(parsed, 'kernel');
  const site = parsed.kernelReport && !frames[0].function.startsWith('<') ? frames[0] : { function: top.function_name, module: top.module_name };
  const where = `${site.function}${site.module ? ` [${site.module}]` : ''}`;
  return parsed.kernelReport ? `${kind} in ${where}` : `Kernel oops in ${where}`;
}

function kerneloopsProblem(p: Problem, s: ProblemScrubber): { problem: UReportProblem; reason: string } | undefined {
  const oops = oopsText(p);
  if (!oops) return undefined;
  const parsed = parseKernelOops(oops);
  const frames = parsed.frames
    .filter((f): f is typeof f & { function: string } => !!f.function)
    .map((f) => ({
      ...(f.address !== undefined ? { address: f.address } : {}),
      reliable: f.reliable ?? true,
      function_name: f.function,
      function_offset: f.functionOffset ?? 0,
      // The oops prints `func+off/len`, but the parser keeps no length; FAF only needs a number.
      function_length: 0,
      ...(f.module ? { module_name: f.module } : {}),
    }));
  if (frames.length === 0) return undefined;
  return {
    problem: {
      type: 'kerneloops',
      component: 'kernel',
      serial: elementNumber(p, 'count') ?? 1,
      version: text(p, 'kernel') ?? parsed.kernelVersion ?? 'unknown',
      taint_flags: parsed.taintFlags ?? [],
      ...(parsed.modules ? { modules: parsed.modules } : {}),
      // Scrubbed like the stack element it is; `Hardware name:` stays (hardware facts).
      raw_oops: s.element('backtrace', oops),
      frames,
    },
    reason: kernelReason(parsed, frames[0]),
  };
}

/**
 * uReport v2 for the problem types ABRT Analytics has one for; undefined when the type has none
 * (anaconda, xorg, Java here) or the stack cannot be read, so the problem goes as an archive.
 */
export function buildUReport(p: Problem, s: ProblemScrubber): UReportV2 | undefined {
  const type = text(p, 'type');
  let built: { problem: UReportProblem; reason: string } | undefined;
  try {
    if (type === 'CCpp' && p.elements.get('core_backtrace')?.trim()) built = coreProblem(p, s);
    else if ((type === 'Python' || type === 'Python3') && p.elements.get('backtrace')?.trim()) built = pythonProblem(p, s);
    else if (type === 'Kerneloops' || type === 'vmcore') built = kerneloopsProblem(p, s);
  } catch {
    return undefined;
  }
  if (!built) return undefined;
  const report = { ureport_version: 2, reason: built.reason.slice(0, 512), reporter: { name: 'cep-agent', version: AGENT_VERSION }, os: osOf(p), problem: built.problem, packages: packagesOf(p) };
  // What the hub would refuse goes as an archive instead, which the hub parses itself.
  const valid = UReportV2Schema.safeParse(report);
  return valid.success ? valid.data : undefined;
}
