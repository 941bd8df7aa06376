import { readArchive } from './safe-archive-reader';
import { toProblemDirectory } from './problem-directory';
import { packProblemDirectory } from './problem-dir-writer';

const LIMITS = { maxCompressedBytes: 1 << 20, maxUnpackedBytes: 1 << 22, maxEntries: 100, maxEntryBytes: 1 << 20 };

describe('packProblemDirectory', () => {
  it('writes a tarball the hub reads back element for element, under a neutral directory name', async () => {
    const elements = new Map([
      ['type', Buffer.from('CCpp')],
      ['backtrace', Buffer.from('#0 0x1 in f () at a.c:1\n'.repeat(40))],
      ['empty', Buffer.alloc(0)],
      ['utf8', Buffer.from('Füße ✓')],
    ]);
    const dir = toProblemDirectory(await readArchive(packProblemDirectory(elements), LIMITS));
    expect(dir.name).toBe('problem');
    expect(new Map([...dir.elements].map(([k, v]) => [k, v.toString()]))).toEqual(new Map([...elements].map(([k, v]) => [k, v.toString()])));
  });
});
