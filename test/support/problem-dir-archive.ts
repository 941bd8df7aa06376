import { gzipSync } from 'node:zlib';
import { craftTar } from './archive-builder';

/** A reporter-upload style .tar.gz of one problem directory built from element name → content. */
export function problemDirArchive(elements: Record<string, string>, dirName = 'problem-2024-01-02-03:04:05.000000-1'): Buffer {
  return gzipSync(
    craftTar([
      { name: `${dirName}/`, type: 'dir' },
      ...Object.entries(elements).map(([name, body]) => ({ name: `${dirName}/${name}`, body })),
    ]),
  );
}
