import type { CrashFrame } from './crash-thread';

/** A function name seen at an instruction of a build: `build_id + offset` identifies the spot. */
export interface CoreSymbol {
  buildId: string;
  offset: number;
  functionName: string;
}

const key = (buildId: string, offset: number) => `${buildId}+${offset}`;

/**
 * Symbols a report can teach: named core frames with a build id. A stripped binary of the same
 * build crashes at the same offsets, so its unnamed frames can be named from these without debuginfo.
 */
export function symbolsOf(frames: CrashFrame[]): CoreSymbol[] {
  return frames
    .filter((f) => f.function && f.buildId && f.buildIdOffset !== undefined)
    .map((f) => ({ buildId: f.buildId!, offset: f.buildIdOffset!, functionName: f.function! }));
}

/** Unnamed frames with a build id and offset, as lookup keys. */
export function unnamedFrameKeys(frames: CrashFrame[]): Array<{ buildId: string; offset: number }> {
  return frames
    .filter((f) => !f.function && f.buildId && f.buildIdOffset !== undefined)
    .map((f) => ({ buildId: f.buildId!, offset: f.buildIdOffset! }));
}

/** Names unnamed frames from known symbols; returns new frames, leaves the input as is. */
export function applySymbols(frames: CrashFrame[], known: CoreSymbol[]): CrashFrame[] {
  if (!known.length) return frames;
  const names = new Map(known.map((s) => [key(s.buildId, s.offset), s.functionName]));
  return frames.map((f) =>
    !f.function && f.buildId && f.buildIdOffset !== undefined && names.has(key(f.buildId, f.buildIdOffset))
      ? { ...f, function: names.get(key(f.buildId, f.buildIdOffset)) }
      : f,
  );
}
