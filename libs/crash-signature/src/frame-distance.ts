import { NormalizedFrame, UNKNOWN_FUNCTION } from './frame-normalization';

/** satyr semantics: two unknown frames never match; modules only matter when both sides know them. */
export function framesEqual(a: NormalizedFrame, b: NormalizedFrame): boolean {
  if (a.function === UNKNOWN_FUNCTION || b.function === UNKNOWN_FUNCTION) return false;
  if (a.function !== b.function) return false;
  return a.module === undefined || b.module === undefined || a.module === b.module;
}

/**
 * Levenshtein distance over the first `maxFrames` frames divided by the longer length:
 * 0 = same stack, 1 = nothing in common. An empty stack carries no evidence, so it is 1.
 */
export function frameDistance(a: NormalizedFrame[], b: NormalizedFrame[], maxFrames = 16): number {
  const x = a.slice(0, maxFrames);
  const y = b.slice(0, maxFrames);
  const longest = Math.max(x.length, y.length);
  if (x.length === 0 || y.length === 0) return 1;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1] + (framesEqual(x[i - 1], y[j - 1]) ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[y.length] / longest;
}
