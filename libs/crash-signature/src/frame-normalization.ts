import { CrashFamily, CrashFrame } from './crash-thread';
import data from './data/normalization-v1.json';

/** A frame reduced to what grouping compares. `function` is `??` when unknown. */
export interface NormalizedFrame {
  function: string;
  /** Python/anaconda: install-prefix-free source path; kernel: module name; otherwise absent. */
  module?: string;
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
  return result;
}

/** Strips interpreter, site-packages, venv and home prefixes so installs on different hosts compare equal. */
export function normalizePythonPath(file: string): string {
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
        frames.map((f) => ({
          function: f.function || UNKNOWN_FUNCTION,
          ...(f.file ? { module: normalizePythonPath(f.file) } : {}),
        })),
      );
    case 'java':
    case 'ruby':
      return trimUnknown(mergeRecursion(frames.map((f) => ({ function: f.function || UNKNOWN_FUNCTION }))));
    case 'core':
    case 'xorg':
      return trimUnknown(mergeRecursion(normalizeNative(frames)));
  }
}

function normalizeNative(frames: CrashFrame[]): NormalizedFrame[] {
  const names = frames.map((f) => (f.function ? normalizeFunctionName(f.function) : UNKNOWN_FUNCTION));
  // Exit/abort/assert machinery sits between the crash reporter and the real bug: cut at the outermost one.
  let cut = -1;
  names.forEach((name, i) => {
    if (exitFrames.has(name) || removableWithAbove.has(name)) cut = i;
  });
  return names
    .slice(cut + 1)
    .filter((name) => !removable.has(name))
    .map((name) => ({ function: name }));
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

function mergeRecursion(frames: NormalizedFrame[]): NormalizedFrame[] {
  return frames.filter(
    (f, i) => i === 0 || f.function === UNKNOWN_FUNCTION || f.function !== frames[i - 1].function,
  );
}

function trimUnknown(frames: NormalizedFrame[]): NormalizedFrame[] {
  const known = (f: NormalizedFrame) => f.function !== UNKNOWN_FUNCTION || f.module !== undefined;
  let start = 0;
  let end = frames.length;
  while (start < end && !known(frames[start])) start++;
  while (end > start && !known(frames[end - 1])) end--;
  return frames.slice(start, end);
}
