import { createHash } from 'node:crypto';
import { INPUT_BOUNDS, parseOccurrences, unsafeTextProblem } from '../../contracts/src/bounds/input-bounds';
import {
  type ArchiveLimits,
  type CompressedSource,
  packTarGz,
  readArchiveStream,
  type SkippedEntry,
  toProblemDirectory,
} from '../../storage/src/archive';
import data from './data/problem-dir-entries.json';
import { PROBLEM_TYPE_SPECS, PROBLEM_TYPES, stackElementOf } from './problem-types';
import { CrashIdentity, problemDirIdentity } from './crash-identity';

const STACK_ELEMENTS = new Set(Object.values(PROBLEM_TYPE_SPECS).flatMap((s) => s.stackElements));
const TEXT_ELEMENTS = new Set([...data.textElements, ...STACK_ELEMENTS]);
const NEVER_KEPT = new Set(data.neverKept);

/** Why intake refuses an upload: an HTTP status and a message naming the element. */
export class ProblemDirRefusal extends Error {
  constructor(
    readonly status: 400 | 413 | 422,
    message: string,
  ) {
    super(message);
  }
}

const elementOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Kept: stack and text elements; never: cores; anything else up to the size bound. */
export function keepProblemDirEntry(path: string, size: number): boolean {
  const element = elementOf(path);
  if (NEVER_KEPT.has(element)) return false;
  return TEXT_ELEMENTS.has(element) || size <= data.skipUnusedOverBytes;
}

export interface InspectedProblemDir {
  problemType: string;
  /** ABRT `count`, bounded; 1 when absent. */
  occurrences: number;
  /** Set when the directory has a core but no stack text: stored, not processed, until a backtrace comes. */
  waitingReason?: string;
  /** "skipped: <name>, <size>" for each entry left out while streaming. */
  skipped: string[];
  /** The kept entries re-packed as .tar.gz: what is stored raw and processed. */
  packed: Buffer;
  /** Which crash this is, whichever client sent it (content identity: the re-packed kept entries). */
  identity: CrashIdentity;
}

/** A text element the hub stores must be storable (no NUL), and a stack's lines bounded (a btree key is built from them). */
function textProblem(element: string, text: string): string | undefined {
  const unsafe = unsafeTextProblem(text);
  if (unsafe) return `${element}: ${unsafe}`;
  const max = (data.maxElementChars as Record<string, number>)[element];
  if (max !== undefined && text.trim().length > max) return `${element}: ${text.trim().length} characters long (limit ${max})`;
  if (!STACK_ELEMENTS.has(element)) return undefined;
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const length = (end === -1 ? text.length : end) - start;
    if (length > INPUT_BOUNDS.maxStackLineChars) {
      return `${element}: line ${line} is ${length} characters long (limit ${INPUT_BOUNDS.maxStackLineChars})`;
    }
    if (end === -1) break;
    start = end + 1;
  }
  return element === 'core_backtrace' ? jsonTextProblem(element, text) : undefined;
}

/** satyr's core_backtrace is JSON: "\u0000" escapes only show once parsed. Unparsable JSON is left to processing's verdict. */
function jsonTextProblem(element: string, text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const walk = (value: unknown, path: string): string | undefined => {
    if (typeof value === 'string') {
      const unsafe = unsafeTextProblem(value);
      if (unsafe) return `${path}: ${unsafe}`;
      if (value.length > INPUT_BOUNDS.maxStackLineChars) return `${path}: ${value.length} characters long (limit ${INPUT_BOUNDS.maxStackLineChars})`;
      return undefined;
    }
    if (Array.isArray(value)) {
      if (value.length > INPUT_BOUNDS.maxFramesPerThread) return `${path}: ${value.length} items (limit ${INPUT_BOUNDS.maxFramesPerThread})`;
      for (let i = 0; i < value.length; i++) {
        const found = walk(value[i], `${path}.${i}`);
        if (found) return found;
      }
      return undefined;
    }
    if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        const found = walk(v, `${path}.${key}`);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(json, element);
}

/**
 * Streams an uploaded problem directory: cores and large unused blobs are skipped as they pass,
 * what is kept is checked against the input bounds and re-packed. Throws `ArchiveRejectedError`
 * for unsafe or oversized archives and `ProblemDirRefusal` for a directory the hub cannot take.
 */
export async function inspectProblemDirUpload(
  source: CompressedSource,
  limits: ArchiveLimits,
  maxStreamBytes: number,
  hostId?: string | null,
): Promise<InspectedProblemDir> {
  const streamed = await readArchiveStream(source, limits, { keep: keepProblemDirEntry, maxStreamBytes });
  const dir = toProblemDirectory(streamed.entries);
  const problemType = dir.text('type')!.trim();
  if (!PROBLEM_TYPES.includes(problemType)) {
    throw new ProblemDirRefusal(422, `unknown problem type '${problemType}': the hub groups ${PROBLEM_TYPES.join(', ')}`);
  }
  for (const element of TEXT_ELEMENTS) {
    const text = dir.text(element);
    const problem = text === undefined ? undefined : textProblem(element, text);
    if (problem) throw new ProblemDirRefusal(400, problem);
  }
  const count = dir.text('count');
  let occurrences = 1;
  if (count !== undefined && count.trim() !== '') {
    const parsed = parseOccurrences(count);
    if ('problem' in parsed) throw new ProblemDirRefusal(400, `count: ${parsed.problem}`);
    occurrences = parsed.value;
  }
  const skipped = [
    ...streamed.skipped.map((s: SkippedEntry) => `skipped: ${elementOf(s.path)}, ${s.size}`),
    ...(streamed.skippedCount > streamed.skipped.length ? [`skipped: ${streamed.skippedCount - streamed.skipped.length} more entries`] : []),
  ];
  let waitingReason: string | undefined;
  if (!stackElementOf(problemType, (name) => dir.text(name))) {
    const expected = PROBLEM_TYPE_SPECS[problemType].stackElements.join(', ');
    const core = streamed.skipped.find((s) => data.coreElements.includes(elementOf(s.path)));
    if (!core) throw new ProblemDirRefusal(422, `${problemType} problem directory has no stack: expected one of ${expected}`);
    waitingReason = `waiting for a backtrace: the directory has a ${elementOf(core.path)} (${core.size} bytes) but none of ${expected}; the hub groups by stack text`;
  }
  const packed = packTarGz(streamed.entries);
  const identity = problemDirIdentity(dir, createHash('sha256').update(packed).digest('hex'), hostId);
  return { problemType, occurrences, waitingReason, skipped, packed, identity };
}
