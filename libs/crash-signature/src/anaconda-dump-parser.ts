import { ParsedCrash } from './crash-thread';
import { parsePythonFrameBlock } from './python-traceback-parser';

export interface ParsedAnacondaDump extends ParsedCrash {
  family: 'anaconda';
  /** `<version>` from the `anaconda <version> exception report` header. */
  anacondaVersion?: string;
}

const HEADER = /^(\S+) (\S+) exception report\s*$/;

/**
 * python-meh `ReverseExceptionDump` (`/tmp/anaconda-tb-*`): frames are already printed most recent first,
 * which is our order. Only the traceback is read; the object dump and attached files that follow hold
 * kickstart secrets and host details and are left to the scrubber.
 */
export function parseAnacondaDump(text: string): ParsedAnacondaDump {
  const lines = text.split(/\r?\n/);
  const headerLine = lines.findIndex((line) => HEADER.test(line));
  const header = headerLine >= 0 ? HEADER.exec(lines[headerLine]) : null;
  const tracebackLine = lines.findIndex((line) => line.startsWith('Traceback (most recent call first):'));
  if (tracebackLine < 0) throw new Error('anaconda dump has no "Traceback (most recent call first):" section');
  const block = parsePythonFrameBlock(lines, tracebackLine + 1);
  return {
    family: 'anaconda',
    frames: block.frames,
    ...(block.exceptionName ? { exceptionName: block.exceptionName } : {}),
    ...(header ? { anacondaVersion: header[2] } : {}),
  };
}
