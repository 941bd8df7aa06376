import data from './data/normalization-v1.json';
import { isProgramFrame, isShallowStack, NormalizedFrame, UNKNOWN_FUNCTION } from './frame-normalization';

const { indelCost, substitutionCost, nearFrames, farDecay, maxCost } = data.distance;
const genericFunctions = new Set(data.genericFunctions);

/** satyr semantics: two unknown frames never match; modules and call sites only matter when both sides know them. */
export function framesEqual(a: NormalizedFrame, b: NormalizedFrame): boolean {
  if (a.function === UNKNOWN_FUNCTION || b.function === UNKNOWN_FUNCTION) return false;
  if (a.function !== b.function) return false;
  if (a.site !== undefined && b.site !== undefined && a.site !== b.site) return false;
  return a.module === undefined || b.module === undefined || a.module === b.module;
}

/**
 * The frames that carry evidence: generic frames such as `main` say nothing about the bug, unless a
 * stack has no other program frame (LTO or inlining folded everything into `main`): then they are kept.
 */
export function comparableFrames(frames: NormalizedFrame[], maxFrames: number): NormalizedFrame[] {
  const specific = frames.filter((f) => !genericFunctions.has(f.function));
  return (specific.some(isProgramFrame) ? specific : frames).slice(0, maxFrames);
}

/** Weight of the frame at a position: 1 near the crash site, decaying with depth below it. */
export function positionWeight(position: number): number {
  return position < nearFrames ? 1 : farDecay ** (position - nearFrames + 1);
}

// Grouping compares at most a few dozen frames: weights and their running sums are computed once.
const WEIGHTS = Array.from({ length: 64 }, (_, i) => positionWeight(i));
const weight = (position: number) => WEIGHTS[position] ?? positionWeight(position);
const TOTALS = WEIGHTS.reduce<number[]>((sums, w) => [...sums, sums[sums.length - 1] + w], [0]);
const totalWeight = (n: number) => TOTALS[n] ?? TOTALS[TOTALS.length - 1];

export interface StackDistance {
  /** cost / weight of the longer stack: 0 = same stack, 1 = nothing in common. */
  distance: number;
  /** Absolute weighted cost: not diluted by a long shared outer stack. */
  cost: number;
  /** Both stacks have a frame the other lacks near the crash site: a different caller, not inlining. */
  nearConflict: boolean;
}

function nearConflict(x: NormalizedFrame[], y: NormalizedFrame[]): boolean {
  const lacks = (near: NormalizedFrame[], other: NormalizedFrame[]) =>
    near.slice(0, nearFrames).some((f) => !other.some((g) => framesEqual(f, g)));
  return lacks(x, y) && lacks(y, x);
}

/**
 * Position-weighted edit distance over the first `maxFrames` comparable frames. A missing frame
 * (inlined or tail-called away in another build) costs less than a different one; either costs
 * more near the crash site. An empty stack carries no evidence, so it is at distance 1.
 */
export function stackDistance(a: NormalizedFrame[], b: NormalizedFrame[], maxFrames = 16): StackDistance {
  const x = comparableFrames(a, maxFrames);
  const y = comparableFrames(b, maxFrames);
  if (x.length === 0 || y.length === 0) return { distance: 1, cost: Infinity, nearConflict: true };
  let previous = [0];
  for (let j = 1; j <= y.length; j++) previous.push(previous[j - 1] + indelCost * weight(j - 1));
  for (let i = 1; i <= x.length; i++) {
    const current = [previous[0] + indelCost * weight(i - 1)];
    for (let j = 1; j <= y.length; j++) {
      const here = weight(Math.min(i, j) - 1);
      const substitution = previous[j - 1] + (framesEqual(x[i - 1], y[j - 1]) ? 0 : substitutionCost * here);
      current[j] = Math.min(
        previous[j] + indelCost * weight(i - 1),
        current[j - 1] + indelCost * weight(j - 1),
        substitution,
      );
    }
    previous = current;
  }
  const cost = previous[y.length];
  return { distance: Math.min(1, cost / Math.max(totalWeight(x.length), totalWeight(y.length))), cost, nearConflict: nearConflict(x, y) };
}

/** Relative distance only (0..1), for explanations and callers that need a number. */
export function frameDistance(a: NormalizedFrame[], b: NormalizedFrame[], maxFrames = 16): number {
  return stackDistance(a, b, maxFrames).distance;
}

/**
 * Whether two stacks may join by distance at all: a shallow stack (only library or generic frames)
 * joins only by an exact match, and two stacks must share a program frame.
 */
export function mayJoinByDistance(a: NormalizedFrame[], b: NormalizedFrame[]): boolean {
  if (isShallowStack(a) || isShallowStack(b)) return false;
  return a.some((f) => isProgramFrame(f) && b.some((g) => framesEqual(f, g)));
}

/** The decision rule (data): near enough relative to the stacks, cheap enough in absolute terms, no different caller near the crash site. */
export function withinCut(d: StackDistance, threshold: number): boolean {
  return d.distance <= threshold && d.cost <= maxCost && !d.nearConflict;
}
