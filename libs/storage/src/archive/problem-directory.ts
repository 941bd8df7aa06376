import { ArchiveRejectedError } from './archive-error';
import type { ArchiveEntries } from './tar-parser';

export interface ProblemDirectory {
  /** The archive's top-level directory, e.g. `ccpp-2022-06-21-14:24:55.227430-1306000`; absent when the elements sit at the root. */
  name?: string;
  /** Element name (`type`, `backtrace`, `coredump`, ...) → raw content. */
  elements: Map<string, Buffer>;
  /** Element content as UTF-8, byte for byte (no trimming); undefined if the element is absent. */
  text(name: string): string | undefined;
}

/**
 * Interprets archive entries as one ABRT problem directory (libreport dump_dir: one file per
 * element, no subdirectories), as written by reporter-upload: either `<dir>/<element>` for a
 * single `<dir>`, or `<element>` at the root.
 */
export function toProblemDirectory(entries: ArchiveEntries): ProblemDirectory {
  const tops = new Set<string>();
  let rootFiles = 0;
  for (const path of entries.keys()) {
    const parts = path.split('/');
    if (parts.length > 2) reject(`"${path}" is nested deeper than one directory`, path);
    if (parts.length === 1) rootFiles++;
    else tops.add(parts[0]);
  }
  if (tops.size > 1) reject(`archive has several top-level directories (${[...tops].sort().join(', ')})`);
  if (tops.size === 1 && rootFiles > 0) reject('archive mixes files at the root with a top-level directory');

  const name = tops.size === 1 ? [...tops][0] : undefined;
  const elements = new Map<string, Buffer>();
  for (const [path, body] of entries) elements.set(name === undefined ? path : path.slice(name.length + 1), body);

  // Every libreport dump dir has `type`; it selects the analyzer, so without it nothing can be processed.
  if (!elements.get('type')?.toString('utf8').trim()) reject('problem directory has no (or an empty) "type" element');

  return {
    name,
    elements,
    text: (element: string) => elements.get(element)?.toString('utf8'),
  };
}

function reject(message: string, entry?: string): never {
  throw new ArchiveRejectedError('not-a-problem-dir', message, entry);
}
