import { CrashFrame, ParsedCrash } from './crash-thread';

const FRAME = /^\(EE\)\s+(\d+): (\S+|\?) \(([^()]*)\) \[0x([0-9a-f]+)\]/i;
const JOURNAL_PREFIX = /^.*?\[\d+\]: /;

/**
 * Xorg's own `(EE) Backtrace:` block, from Xorg.0.log or the journal (abrt-dump-journal-xorg input);
 * also accepts the already extracted `N: /path (func+0xoff) [0xaddr]` lines ABRT stores as `backtrace`.
 */
export function parseXorgBacktrace(text: string): ParsedCrash {
  const lines = text.split(/\r?\n/).map((line) => line.replace(JOURNAL_PREFIX, '').replace(/^\[\s*\d+\.\d+\]\s*/, ''));
  const start = lines.findIndex((line) => /Backtrace:\s*$/.test(line));
  const frames: CrashFrame[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = FRAME.exec(line.startsWith('(EE)') ? line : `(EE) ${line.trim()}`);
    if (match) frames.push(toFrame(match));
    else if (frames.length > 0) break;
  }
  const signal = /(?:Caught|Received) signal (\d+)/.exec(text);
  return { family: 'xorg', frames, ...(signal ? { signal: Number(signal[1]) } : {}) };
}

function toFrame(match: RegExpExecArray): CrashFrame {
  const [, , path, symbol, address] = match;
  const frame: CrashFrame = { address: parseInt(address, 16) };
  const name = /^([^+?]+)(?:\+0x([0-9a-f]+))?$/i.exec(symbol);
  // `(0x400000+0x67b56)` means the symbol was not resolved: a load base, not a name.
  if (name && !name[1].startsWith('0x')) {
    frame.function = name[1];
    if (name[2]) frame.functionOffset = parseInt(name[2], 16);
  }
  if (path !== '?') {
    frame.file = path;
    frame.module = path.slice(path.lastIndexOf('/') + 1);
  }
  return frame;
}
