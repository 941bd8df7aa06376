import { createHash } from 'node:crypto';
import { CrashFrame } from './crash-thread';
import { NormalizedFrame } from './frame-normalization';

/** FAF `processing.hashframes`. */
const FAF_HASH_FRAMES = 16;
/** abrt-action-analyze-backtrace: `sr_thread_get_duphash(crash_thread, 3, component, SR_DUPHASH_NORMAL)`. */
const CORE_DUPHASH_FRAMES = 3;
/** abrt `abrt_koops_hash_str`: `sr_thread_get_duphash(thread, 6, NULL, NONORMALIZE | KOOPS_COMPAT)`. */
const KOOPS_DUPHASH_FRAMES = 6;

interface UReportCoreFrame {
  function_name?: string;
  fingerprint?: string;
  build_id_offset?: number;
  file_name?: string;
}

interface UReportPythonFrame {
  function_name?: string;
  special_function?: string;
  file_name?: string;
  file_line?: number;
}

interface UReportKoopsFrame {
  function_name?: string;
  module_name?: string;
}

interface UReportJavaFrame {
  name?: string;
  class_path?: string;
}

/** The `problem` object of a uReport v2, as far as FAF's hash reads it. */
export type UReportProblem =
  | { type: 'core'; component: string; stacktrace: Array<{ crash_thread?: boolean; frames: UReportCoreFrame[] }> }
  | { type: 'python'; component: string; stacktrace: UReportPythonFrame[] }
  | { type: 'kerneloops'; component: string; taint_flags?: string[]; frames: UReportKoopsFrame[] }
  | { type: 'java'; component: string; threads: Array<{ frames: UReportJavaFrame[] }> };

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

/**
 * FAF's `hash_ureport` (the public bthash of `/reports/bthash/<h>`): sha1 of the newline-joined component
 * and per-frame keys of the first 16 crash-thread frames. Python's `str()` formatting is reproduced,
 * including `None` for absent keys.
 */
export function fafBthash(problem: UReportProblem): string {
  const lines = [problem.component];
  switch (problem.type) {
    case 'core': {
      const thread = problem.stacktrace.find((t) => t.crash_thread) ?? problem.stacktrace[0];
      const frames = thread?.frames ?? [];
      const key: keyof UReportCoreFrame = frames.every((f) => f.function_name !== undefined)
        ? 'function_name'
        : frames.every((f) => f.fingerprint !== undefined)
          ? 'fingerprint'
          : 'build_id_offset';
      for (const frame of frames.slice(0, FAF_HASH_FRAMES)) {
        lines.push(`${py(frame[key])} @ ${py(frame.file_name)}`);
      }
      break;
    }
    case 'python':
      for (const frame of problem.stacktrace.slice(0, FAF_HASH_FRAMES)) {
        const name = frame.special_function !== undefined ? `<${frame.special_function}>` : py(frame.function_name);
        lines.push(`${name} @ ${py(frame.file_name)} + ${py(frame.file_line)}`);
      }
      break;
    case 'kerneloops':
      lines.push(...(problem.taint_flags ?? []));
      for (const frame of problem.frames.slice(0, FAF_HASH_FRAMES)) {
        lines.push(`${py(frame.function_name)} @ ${frame.module_name ?? 'vmlinux'}`);
      }
      break;
    case 'java':
      for (const frame of (problem.threads[0]?.frames ?? []).slice(0, FAF_HASH_FRAMES)) {
        lines.push(frame.class_path !== undefined ? `${py(frame.name)} @ ${frame.class_path}` : py(frame.name));
      }
      break;
  }
  return sha1(lines.join('\n'));
}

function py(value: string | number | undefined): string {
  return value === undefined ? 'None' : String(value);
}

/**
 * ABRT's kernel-oops `duphash`/`uuid`: sha1 over `"<function>\n"` of the first 6 reliable frames, as parsed
 * (no normalization, no `Thread` header). Null when no frame is reliable, as satyr returns NULL.
 */
export function abrtKoopsDuphash(frames: CrashFrame[]): string | null {
  const text = abrtKoopsDuphashText(frames);
  return text === '' ? null : sha1(text);
}

/** The hashed text itself (satyr's `SR_DUPHASH_NOHASH`), for debugging and tests. */
export function abrtKoopsDuphashText(frames: CrashFrame[]): string {
  return frames
    .filter((f) => f.reliable !== false)
    .slice(0, KOOPS_DUPHASH_FRAMES)
    .map((f) => `${f.function ?? `0x${(f.address ?? 0).toString(16)}`}\n`)
    .join('');
}

/**
 * ABRT's CCpp `duphash` from a gdb backtrace: sha1 of component + `Thread\n` + `"  <function>\n"` for the
 * first 3 normalized frames.
 */
export function abrtCoreDuphash(component: string, normalized: NormalizedFrame[]): string {
  const frames = normalized.slice(0, CORE_DUPHASH_FRAMES);
  return sha1(`${component}Thread\n${frames.map((f) => `  ${f.function}\n`).join('')}`);
}
