import type { ArchiveLimits } from './archive-limits';
import { readArchive } from './safe-archive-reader';
import { packTarGz } from './tar-writer';

const LIMITS: ArchiveLimits = { maxCompressedBytes: 1 << 24, maxUnpackedBytes: 1 << 24, maxEntries: 100, maxEntryBytes: 1 << 22 };

describe('packTarGz', () => {
  it('round-trips through the safe reader, long names and empty files included', async () => {
    const long = `ccpp-2024-01-02-03:04:05.000000-1/${'element-with-a-very-long-name-'.repeat(5)}é`;
    const entries = new Map<string, Buffer>([
      ['ccpp-1/type', Buffer.from('CCpp')],
      ['ccpp-1/empty', Buffer.alloc(0)],
      ['ccpp-1/block', Buffer.alloc(512, 7)],
      [long, Buffer.from('deep\n'.repeat(300))],
    ]);
    expect(await readArchive(packTarGz(entries), LIMITS)).toEqual(entries);
  });

  it.each([98, 99, 100, 101, 200, 997, 998])('a name of %i bytes survives', async (n) => {
    const name = `d/${'x'.repeat(n - 2)}`;
    const entries = new Map([[name, Buffer.from('v')]]);
    expect([...(await readArchive(packTarGz(entries), LIMITS)).keys()]).toEqual([name]);
  });
});
