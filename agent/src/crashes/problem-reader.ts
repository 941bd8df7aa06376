import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseAnacondaDump, parseKernelOops } from '../../../libs/crash-signature/src';
import type { ProblemLocation } from './problem-location';

/** libreport's CD_MAX_TEXT_SIZE: larger text elements are not read. */
const MAX_TEXT_BYTES = 8 * 1024 * 1024;
/** Binary elements are never read into memory; `coredump` is archived from its path when allowed. */
const COREDUMP = /^coredump(\.\w+)?$/;

export interface Problem {
  location: ProblemLocation;
  /** Directory or file name, used as the archive's top-level directory. */
  name: string;
  /** Text elements by name (ABRT element names; synthesized for anaconda and kdump). */
  elements: Map<string, string>;
  coredumpPath?: string;
}

export const elementNumber = (problem: Problem, name: string): number | undefined => {
  const n = Number.parseInt(problem.elements.get(name)?.trim() ?? '', 10);
  return Number.isFinite(n) ? n : undefined;
};

async function readText(file: string): Promise<string | undefined> {
  const stat = await fsp.stat(file).catch(() => undefined);
  if (!stat?.isFile() || stat.size > MAX_TEXT_BYTES) return undefined;
  const bytes = await fsp.readFile(file).catch(() => undefined);
  // Binary elements (e.g. a core without the usual name) are not text: skipped.
  return bytes && !bytes.includes(0) ? bytes.toString('utf8') : undefined;
}

async function readAbrtDir(location: ProblemLocation): Promise<Problem> {
  const elements = new Map<string, string>();
  let coredumpPath: string | undefined;
  for (const name of (await fsp.readdir(location.path)).sort()) {
    const file = path.join(location.path, name);
    if (COREDUMP.test(name)) {
      coredumpPath = file;
      continue;
    }
    const text = await readText(file);
    if (text !== undefined) elements.set(name, text);
  }
  return { location, name: path.basename(location.path), elements, coredumpPath };
}

/** A python-meh section: `<title>:` then lines up to the next blank line. */
function section(text: string, title: string): string | undefined {
  const start = text.indexOf(`\n${title}:\n`);
  if (start < 0) return undefined;
  const body = text.slice(start + title.length + 3);
  const end = body.indexOf('\n\n');
  return (end < 0 ? body : body.slice(0, end + 1)) || undefined;
}

/** An anaconda-tb file as the problem directory libreport would have made of it (type `anaconda`). */
async function readAnacondaDump(location: ProblemLocation): Promise<Problem | undefined> {
  const text = await readText(location.path);
  const stat = await fsp.stat(location.path).catch(() => undefined);
  if (!text || !stat) return undefined;
  let parsed;
  try {
    parsed = parseAnacondaDump(text);
  } catch {
    // Not (yet) a complete dump: python-meh may still be writing it; the next scan retries.
    return undefined;
  }
  const elements = new Map<string, string>([
    ['type', 'anaconda'],
    ['analyzer', 'Python'],
    ['component', 'anaconda'],
    ['anaconda-tb', text],
    ['time', String(Math.floor(stat.mtimeMs / 1000))],
    ['count', '1'],
  ]);
  const top = parsed.frames[0];
  // Exception class and function only: the message may hold values (FAF's uReport rule).
  if (parsed.exceptionName) elements.set('reason', `${parsed.exceptionName}${top?.function ? ` in ${top.function}` : ''}`);
  if (parsed.anacondaVersion) elements.set('pkg_version', parsed.anacondaVersion);
  const lsblk = section(text, 'lsblk_output');
  if (lsblk) elements.set('lsblk_output', lsblk);
  return { location, name: path.basename(location.path), elements };
}

/** A kdump directory as a `vmcore` problem: the oops comes from vmcore-dmesg.txt. */
async function readKdumpDir(location: ProblemLocation): Promise<Problem | undefined> {
  const file = path.join(location.path, 'vmcore-dmesg.txt');
  const dmesg = await readText(file);
  const stat = await fsp.stat(file).catch(() => undefined);
  if (!dmesg || !stat) return undefined;
  const elements = new Map<string, string>([
    ['type', 'vmcore'],
    ['analyzer', 'abrt-vmcore'],
    ['component', 'kernel'],
    ['vmcore-dmesg.txt', dmesg],
    ['time', String(Math.floor(stat.mtimeMs / 1000))],
    ['count', '1'],
  ]);
  const kernel = parseKernelOops(dmesg).kernelVersion;
  if (kernel) elements.set('kernel', kernel);
  return { location, name: `vmcore-${path.basename(location.path)}`, elements };
}

/** Reads a discovered problem; undefined when it vanished or is not complete after all. */
export async function readProblem(location: ProblemLocation): Promise<Problem | undefined> {
  try {
    if (location.kind === 'anaconda') return await readAnacondaDump(location);
    if (location.kind === 'kdump') return await readKdumpDir(location);
    return await readAbrtDir(location);
  } catch {
    return undefined;
  }
}
