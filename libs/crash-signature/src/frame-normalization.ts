import { CrashFamily, CrashFrame } from './crash-thread';
import { cxxFunctionName } from './cxx-demangler';
import data from './data/normalization-v1.json';

/** A frame reduced to what grouping compares. `function` is `??` when unknown. */
export interface NormalizedFrame {
  function: string;
  /** Python/anaconda: install-prefix-free source path; kernel: module name; otherwise absent. */
  module?: string;
  /** Native frame in a system or runtime library (libc, libstdc++…): it says where, not whose bug. */
  library?: true;
  /** A stripped frame named by its build id and offset: equal only to the same build's same spot. */
  unsymbolized?: true;
  /**
   * Build id + offset of a generic program frame (`main`) in a stack with no other program frame
   * (LTO, inlining): the call site inside it is the only evidence that tells two such bugs apart.
   */
  site?: string;
}

export const UNKNOWN_FUNCTION = '??';

/** Bumped whenever the rules or data change, because stored signatures depend on them. */
export const NORMALIZATION_VERSION: number = data.version;

const exitFrames = new Set(data.exitFrames);
const removableWithAbove = new Set(data.removableWithAbove);
const removable = new Set(data.removable);
const koopsBlacklist = new Set(data.koopsBlacklist);
const cpuVariantFunctions = new Set(data.cpuVariantFunctions);
const cpuVariantPattern = new RegExp(`^__(.+?)((?:_(?:${data.cpuVariantSuffixes.join('|')}))+)$`);
const compilerSuffixPattern = new RegExp(data.compilerSuffixes.join('|'), 'g');
const pythonPrefixPatterns = data.pythonPrefixes.map((p) => new RegExp(p));
const symbolVersionPattern = new RegExp(data.symbolVersionSuffix);
const pythonFrozenModule = new RegExp(data.pythonFrozenModule);
const pythonEntryScript = new RegExp(data.pythonEntryScript);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// `libc.so.6`, `libc-2.23.so`, `libpython3.11.so.1.0`: a listed name, an optional version, `.so` and its numbers.
const systemLibraryPattern = new RegExp(`^(?:${data.systemLibraries.map(escapeRegExp).join('|')})(?:-?[\\d.]*\\d)?\\.so(?:\\.\\d+)*$`);
const genericFunctions = new Set(data.genericFunctions);

/** Native (gdb/core/xorg) function-name cleanup, independent of position in the stack. */
export function normalizeFunctionName(name: string): string {
  // `__libc_start_main@@GLIBC_2.34`: the symbol version is not part of the function.
  let result = name.replace(/^\.+/, '').replace(symbolVersionPattern, '');
  for (const prefix of data.stripPrefixes) {
    while (result.startsWith(prefix)) result = result.slice(prefix.length);
  }
  result = result.replace(compilerSuffixPattern, '');
  const variant = cpuVariantPattern.exec(result);
  if (variant && cpuVariantFunctions.has(variant[1])) result = variant[1];
  return cxxFunctionName(result);
}

/** Strips interpreter, site-packages, venv and home prefixes so installs on different hosts compare equal. */
export function normalizePythonPath(file: string): string {
  const frozen = pythonFrozenModule.exec(file);
  if (frozen) return `${frozen[1].replace(/\./g, '/')}.py`;
  const script = pythonEntryScript.exec(file);
  if (script) return `bin/${script[1]}`;
  for (const pattern of pythonPrefixPatterns) {
    if (pattern.test(file)) return file.replace(pattern, '');
  }
  return file.replace(/^\/+/, '');
}

export function normalizeFrames(family: CrashFamily, frames: CrashFrame[]): NormalizedFrame[] {
  switch (family) {
    case 'kerneloops':
      return trimUnknown(mergeRecursion(normalizeKernel(frames)));
    case 'python':
    case 'anaconda':
      return trimUnknown(
        mergeRecursion(
          frames.map((f) => ({
            function: f.function || UNKNOWN_FUNCTION,
            ...(f.file ? { module: normalizePythonPath(f.file) } : {}),
          })),
        ),
      );
    case 'java':
    case 'ruby':
      return trimUnknown(mergeRecursion(frames.map((f) => ({ function: f.function || UNKNOWN_FUNCTION }))));
    case 'core':
    case 'xorg':
      return markShallowSites(trimUnknown(mergeRecursion(normalizeNative(frames))));
  }
}

interface NativeFrame {
  frame: NormalizedFrame;
  raw: CrashFrame;
}

function normalizeNative(frames: CrashFrame[]): NormalizedFrame[] {
  const named: NativeFrame[] = frames.map((raw) => ({ raw, frame: nativeFrame(raw) }));
  // Exit/abort/assert machinery sits between the crash reporter and the real bug: cut at the outermost one.
  let cut = -1;
  named.forEach(({ frame }, i) => {
    if (exitFrames.has(frame.function) || removableWithAbove.has(frame.function)) cut = i;
  });
  return named
    .slice(cut + 1)
    .filter(({ frame }) => !removable.has(frame.function))
    .map(({ frame, raw }) => (genericFunctions.has(frame.function) && raw.buildId && raw.buildIdOffset !== undefined
      ? { ...frame, site: buildSpot(raw.buildId, raw.buildIdOffset) }
      : frame));
}

function nativeFrame(raw: CrashFrame): NormalizedFrame {
  // A program's own shared library (libvzctl.so) holds its code; only the system's libraries are not evidence.
  const library = raw.module !== undefined && isSystemLibrary(raw.module) ? { library: true as const } : {};
  if (raw.function) return { function: normalizeFunctionName(raw.function), ...library };
  if (raw.buildId && raw.buildIdOffset !== undefined) {
    // Stripped: the spot in this build is all that identifies the frame, and it is enough within one build.
    return { function: `${raw.module ?? '?'}@${buildSpot(raw.buildId, raw.buildIdOffset)}`, unsymbolized: true, ...library };
  }
  return { function: UNKNOWN_FUNCTION, ...library };
}

/** Whether a module (file name, or path) is one of the system's or language runtime's libraries. */
export function isSystemLibrary(module: string): boolean {
  return systemLibraryPattern.test(module.slice(module.lastIndexOf('/') + 1));
}

function buildSpot(buildId: string, offset: number): string {
  return `${buildId.slice(0, 12)}+0x${offset.toString(16)}`;
}

/** Whether a frame is evidence about the program's own code (not a library, not generic, known). */
export function isProgramFrame(frame: NormalizedFrame): boolean {
  return !frame.library && frame.function !== UNKNOWN_FUNCTION && !genericFunctions.has(frame.function);
}

/** A stack whose frames are only library or generic frames: it cannot tell two callers apart by name. */
export function isShallowStack(frames: NormalizedFrame[]): boolean {
  return !frames.some(isProgramFrame);
}

/** Call sites stay only where they are the evidence: on the generic frames of a shallow stack. */
function markShallowSites(frames: NormalizedFrame[]): NormalizedFrame[] {
  const shallow = isShallowStack(frames);
  return frames.map((f) => {
    if (f.site === undefined || shallow) return f;
    const { site: _site, ...rest } = f;
    return rest;
  });
}

function normalizeKernel(frames: CrashFrame[]): NormalizedFrame[] {
  const result: NormalizedFrame[] = [];
  for (const frame of frames) {
    if (frame.reliable === false) continue;
    const name = frame.function ? frame.function.replace(/^\.+/, '').split('.')[0] : UNKNOWN_FUNCTION;
    if (!frame.module && koopsBlacklist.has(name)) continue;
    result.push(frame.module ? { function: name, module: frame.module } : { function: name });
  }
  return result;
}

const sameFrame = (a: NormalizedFrame, b: NormalizedFrame) =>
  a.function !== UNKNOWN_FUNCTION && a.function === b.function && a.module === b.module;

/**
 * Folds recursion of any period up to maxRecursionPeriod: `f|f|f` becomes `f` and mutual recursion
 * `walk|visit|walk|visit|main` becomes `walk|visit|main`, so the depth of a recursion is not part of the bug.
 * A cycle repeated from the crash site on (a stack overflow) starts at whichever member ran out of stack,
 * so it is rotated to one canonical order.
 */
export function mergeRecursion(frames: NormalizedFrame[]): NormalizedFrame[] {
  const result = [...frames];
  let topCycle = 0;
  for (let period = 1; period <= data.maxRecursionPeriod; period++) {
    for (let i = 0; i + 2 * period <= result.length; ) {
      let repeats = true;
      for (let k = 0; k < period && repeats; k++) repeats = sameFrame(result[i + k], result[i + period + k]);
      if (repeats) {
        result.splice(i + period, period);
        if (i === 0 && !topCycle) topCycle = period;
      } else i++;
    }
  }
  if (topCycle > 1) result.splice(0, topCycle, ...canonicalRotation(result.slice(0, topCycle)));
  return result;
}

function canonicalRotation(cycle: NormalizedFrame[]): NormalizedFrame[] {
  const key = (c: NormalizedFrame[]) => c.map((f) => `${f.function}\u0000${f.module ?? ''}`).join('\u0001');
  const rotations = cycle.map((_, r) => [...cycle.slice(r), ...cycle.slice(0, r)]);
  return rotations.reduce((best, c) => (key(c) < key(best) ? c : best));
}

function trimUnknown(frames: NormalizedFrame[]): NormalizedFrame[] {
  const known = (f: NormalizedFrame) => f.function !== UNKNOWN_FUNCTION || f.module !== undefined;
  let start = 0;
  let end = frames.length;
  while (start < end && !known(frames[start])) start++;
  while (end > start && !known(frames[end - 1])) end--;
  return frames.slice(start, end);
}
