import data from './data/normalization-v1.json';
import { NormalizedFrame, UNKNOWN_FUNCTION } from './frame-normalization';

const { indelCost, substitutionCost } = data.distance;
const genericFunctions = new Set(data.genericFunctions);

/** satyr semantics: two unknown frames never match; modules only matter when both sides know them. */
export function framesEqual(a: NormalizedFrame, b: NormalizedFrame): boolean {
  if (a.function === UNKNOWN_FUNCTION || b.function === UNKNOWN_FUNCTION) return false;
  if (a.function !== b.function) return false;
  return a.module === undefined || b.module === undefined || a.module === b.module;
}

/** The frames that carry evidence: generic frames such as `main` say nothing about the bug. */
export function comparableFrames(frames: NormalizedFrame[], maxFrames: number): NormalizedFrame[] {
  const specific = frames.filter((f) => !genericFunctions.has(f.function));
  return (specific.length ? specific : frames).slice(0, maxFrames);
}

/**
 * Edit distance over the first `maxFrames` comparable frames divided by the longer length:
 * 0 = same stack, 1 = nothing in common. Unlike satyr's plain Levenshtein, a missing frame
 * (inlined or tail-called away in another build) costs less than a different frame.
 * An empty stack carries no evidence, so it is 1.
 */
export function frameDistance(a: NormalizedFrame[], b: NormalizedFrame[], maxFrames = 16): number {
  const x = comparableFrames(a, maxFrames);
  const y = comparableFrames(b, maxFrames);
  if (x.length === 0 || y.length === 0) return 1;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j * indelCost);
  for (let i = 1; i <= x.length; i++) {
    const current = [i * indelCost];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1] + (framesEqual(x[i - 1], y[j - 1]) ? 0 : substitutionCost);
      current[j] = Math.min(previous[j] + indelCost, current[j - 1] + indelCost, substitution);
    }
    previous = current;
  }
  return Math.min(1, previous[y.length] / Math.max(x.length, y.length));
}
