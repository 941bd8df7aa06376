import { CrashFrame, ParsedCrash } from './crash-thread';

const EXCEPTION = /^(?:Exception in thread "[^"]*" )?(?:Caused by: )?([A-Za-z_$][\w$.]*)(?::\s.*|:)?\s*$/;
const FRAME = /^\s+at (?:[\w.$-]+(?:@[^/]*)?\/)?(.+)\((.*)\)\s*$/;
const MORE = /^\s+\.\.\. (\d+) more\s*$/;

interface ExceptionBlock {
  exceptionName: string;
  frames: CrashFrame[];
  /** Frames shared with the enclosing exception (`... N more`). */
  shared: number;
}

/**
 * Java `printStackTrace()` output. The root cause (last `Caused by:`) is where the failure happened, so its
 * frames come first, completed by the enclosing trace's frames that `... N more` elides.
 */
export function parseJavaStacktrace(text: string): ParsedCrash {
  const blocks: ExceptionBlock[] = [];
  let nested = false;
  for (const line of text.split(/\r?\n/)) {
    const frame = FRAME.exec(line);
    const more = MORE.exec(line);
    if (/^\s+Suppressed: /.test(line)) nested = true;
    else if (frame && !nested && blocks.length) blocks[blocks.length - 1].frames.push(toFrame(frame));
    else if (more && !nested && blocks.length) blocks[blocks.length - 1].shared = Number(more[1]);
    else if (!/^\s/.test(line)) {
      const exception = EXCEPTION.exec(line);
      if (exception && (blocks.length === 0 || line.startsWith('Caused by: '))) {
        blocks.push({ exceptionName: exception[1], frames: [], shared: 0 });
        nested = false;
      }
    }
  }
  if (blocks.length === 0) return { family: 'java', frames: [] };
  let frames = blocks[0].frames;
  for (const block of blocks.slice(1)) {
    frames = [...block.frames, ...(block.shared > 0 ? frames.slice(-block.shared) : [])];
  }
  return { family: 'java', frames, exceptionName: blocks[blocks.length - 1].exceptionName };
}

function toFrame(match: RegExpExecArray): CrashFrame {
  const [, name, location] = match;
  const source = /^(.+?):(\d+)$/.exec(location);
  const frame: CrashFrame = { function: name };
  if (source) {
    frame.file = source[1];
    frame.line = Number(source[2]);
  } else if (location && location !== 'Unknown Source' && location !== 'Native Method') {
    frame.file = location;
  }
  return frame;
}
