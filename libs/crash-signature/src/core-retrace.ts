import type { CrashFrame } from './crash-thread';

/** One source location addr2line gives for an address: a function, where in its source. */
export interface SourceLocation {
  function?: string;
  sourceFile?: string;
  line?: number;
}

/** A spot to resolve: build id, and the module-relative offset to look up (already -1 for callers). */
export interface RetraceLookup {
  buildId: string;
  offset: number;
}

export const retraceKey = (buildId: string, offset: number) => `${buildId}+${offset}`;

const ADDRESS_LINE = /^0x[0-9a-f]+$/i;

/**
 * Parses binutils `addr2line -a -f -i -C` output: per address echoed (`-a`), pairs of lines
 * function / `file:line`, the innermost inlined function first and the real (outer) function last.
 * `??` and `??:0` are unknowns; `file:17 (discriminator 2)` is line 17.
 */
export function parseAddr2line(output: string): Map<number, SourceLocation[]> {
  const result = new Map<number, SourceLocation[]>();
  const lines = output.split('\n').map((l) => l.trimEnd());
  let chain: SourceLocation[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (ADDRESS_LINE.test(line)) {
      chain = [];
      result.set(parseInt(line.slice(2), 16), chain);
      continue;
    }
    if (!chain || line === '') continue;
    const location = parseLocation(lines[i + 1] ?? '');
    i++;
    chain.push({ ...(line !== '??' ? { function: line } : {}), ...location });
  }
  return result;
}

function parseLocation(text: string): Pick<SourceLocation, 'sourceFile' | 'line'> {
  const bare = text.replace(/\s+\(discriminator \d+\)$/, '');
  const colon = bare.lastIndexOf(':');
  const file = colon >= 0 ? bare.slice(0, colon) : bare;
  const line = colon >= 0 ? Number(bare.slice(colon + 1)) : NaN;
  return {
    ...(file && file !== '??' ? { sourceFile: file } : {}),
    ...(Number.isInteger(line) && line > 0 ? { line } : {}),
  };
}

/**
 * Offset to look up for each frame: a caller frame holds the return address, which may already belong to
 * the next line or even the next inlined call, so it is looked up one byte earlier (as gdb does); the
 * crashing frame's address is the faulting instruction itself.
 */
function lookupOffset(frame: CrashFrame, crashing: boolean): number | undefined {
  if (!frame.buildId || frame.buildIdOffset === undefined || frame.inlined) return undefined;
  const offset = crashing ? frame.buildIdOffset : frame.buildIdOffset - 1;
  return offset >= 0 ? offset : undefined;
}

/** The innermost real frame is the crashing one (inlined frames in front of it share its address). */
const crashingIndex = (frames: CrashFrame[]) => frames.findIndex((f) => !f.inlined);

/** The spots of a core crash thread that debuginfo could resolve. */
export function retraceLookups(frames: CrashFrame[]): RetraceLookup[] {
  const crashing = crashingIndex(frames);
  return frames.flatMap((f, i) => {
    const offset = lookupOffset(f, i === crashing);
    return offset === undefined ? [] : [{ buildId: f.buildId!, offset }];
  });
}

export interface RetraceResult {
  frames: CrashFrame[];
  /** Frames resolved from debuginfo, and inlined frames inserted. */
  retraced: number;
  inlined: number;
  buildIds: string[];
}

/**
 * Replaces each resolved frame by its inline chain: the inlined functions, innermost first, marked
 * `inlined`, then the real frame. The report's own name stays (debuginfo names only frames without
 * one); source file and line are kept where known. Inlined frames keep the real frame's module, so
 * they count as program or library frames exactly as it does, and carry no build id offset: the spot
 * names the real frame, which is what sibling symbol tables teach.
 */
export function applyRetrace(frames: CrashFrame[], resolved: ReadonlyMap<string, SourceLocation[]>): RetraceResult {
  let retraced = 0;
  let inlined = 0;
  const buildIds = new Set<string>();
  const crashing = crashingIndex(frames);
  const out = frames.flatMap((frame, index) => {
    const offset = lookupOffset(frame, index === crashing);
    const chain = offset === undefined ? undefined : resolved.get(retraceKey(frame.buildId!, offset));
    if (!chain?.length || !chain.some((l) => l.function)) return [frame];
    retraced++;
    buildIds.add(frame.buildId!);
    const outer = chain[chain.length - 1];
    const inner = chain.slice(0, -1).filter((l) => l.function);
    inlined += inner.length;
    return [
      ...inner.map((l): CrashFrame => ({
        function: l.function,
        ...(frame.file !== undefined ? { file: frame.file } : {}),
        ...(frame.module !== undefined ? { module: frame.module } : {}),
        ...(l.sourceFile ? { sourceFile: l.sourceFile } : {}),
        ...(l.line ? { line: l.line } : {}),
        inlined: true,
      })),
      {
        ...frame,
        ...(frame.function ? {} : outer.function ? { function: outer.function } : {}),
        ...(outer.sourceFile ? { sourceFile: outer.sourceFile } : {}),
        ...(outer.line ? { line: outer.line } : {}),
      },
    ];
  });
  return { frames: retraced ? out : frames, retraced, inlined, buildIds: [...buildIds].sort() };
}
