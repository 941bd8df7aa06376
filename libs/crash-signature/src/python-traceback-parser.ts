import { CrashFrame, ParsedCrash } from './crash-thread';

const TRACEBACK_HEADER = /^Traceback \(most recent call (?:last|first)\):\s*$/;
const FRAME_LINE = /^\s*File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*)(?::(?:\s.*)?)?$/;

export interface PythonFrameBlock {
  frames: CrashFrame[];
  exceptionName?: string;
  /** Index of the first line after the exception line, for callers that parse trailing sections. */
  endLine: number;
}

/**
 * Python 2/3 tracebacks, plain or in ABRT's `backtrace` format (a `file:line:func:Exc: msg` summary line,
 * then the traceback, then `Local variables in innermost frame:`). With chained exceptions the last
 * traceback is the one that killed the process.
 */
export function parsePythonTraceback(text: string): ParsedCrash {
  const lines = text.split(/\r?\n/);
  let start = -1;
  lines.forEach((line, i) => {
    if (TRACEBACK_HEADER.test(line)) start = i + 1;
  });
  if (start < 0) start = Math.max(0, lines.findIndex((line) => FRAME_LINE.test(line)));
  const block = parsePythonFrameBlock(lines, start);
  return {
    family: 'python',
    frames: block.frames.reverse(),
    ...(block.exceptionName ? { exceptionName: block.exceptionName } : {}),
  };
}

/** Reads `File "...", line N, in f` frames (in printed order) and the exception line that follows them. */
export function parsePythonFrameBlock(lines: string[], start: number): PythonFrameBlock {
  const frames: CrashFrame[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const match = FRAME_LINE.exec(line);
    if (match) {
      frames.push({
        file: match[1],
        line: Number(match[2]),
        ...(match[3] ? { function: match[3] } : {}),
      });
      continue;
    }
    // Source lines, SyntaxError carets and blank lines belong to the frame above.
    if (line.trim() === '' || /^\s/.test(line)) continue;
    break;
  }
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || /^\s/.test(line)) continue;
    const match = EXCEPTION_LINE.exec(line.trimEnd());
    return match ? { frames, exceptionName: match[1], endLine: i + 1 } : { frames, endLine: i };
  }
  return { frames, endLine: i };
}
