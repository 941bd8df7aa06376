import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveRejectedError, type ArchiveRejectionCode } from './archive-error';
import type { ArchiveLimits } from './archive-limits';
import { decompress } from './decompress';
import { readArchive } from './safe-archive-reader';
import {
  type Compression,
  type CraftEntry,
  compress,
  compressedZeros,
  craftTar,
  tarDirectory,
} from '../../../../test/support/archive-builder';

const MiB = 1024 * 1024;
const LIMITS: ArchiveLimits = {
  maxCompressedBytes: 16 * MiB,
  maxUnpackedBytes: 16 * MiB,
  maxEntries: 1000,
  maxEntryBytes: 8 * MiB,
};
const COMPRESSIONS: Compression[] = ['gz', 'xz', 'bz2'];
const SATYR_DIR = path.resolve(__dirname, '../../../../test/fixtures/upstream/satyr/tests/problem_dir');

async function rejection(promise: Promise<unknown>): Promise<ArchiveRejectedError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ArchiveRejectedError) return err;
    throw err;
  }
  throw new Error('expected the archive to be rejected');
}

async function expectRejected(
  data: Buffer,
  code: ArchiveRejectionCode,
  entry?: string,
  limits: ArchiveLimits = LIMITS,
): Promise<ArchiveRejectedError> {
  const err = await rejection(readArchive(data, limits));
  expect(err.code).toBe(code);
  if (entry !== undefined) {
    expect(err.entry).toBe(entry);
    expect(err.message).toContain(entry);
  }
  return err;
}

const craftGz = (entries: CraftEntry[], options?: { endMarker?: boolean }) => compress(craftTar(entries, options), 'gz');

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

describe('readArchive', () => {
  describe('accepts real archives', () => {
    it.each(COMPRESSIONS)('tar.%s of a problem directory, returning every file under its path', async (c) => {
      const entries = await readArchive(tarDirectory(SATYR_DIR, c, 'ccpp-2022-06-21-14:24:55.227430-1306000'), LIMITS);
      const expected = [...filesOf(SATYR_DIR)].map(([f, body]) => [`ccpp-2022-06-21-14:24:55.227430-1306000/${f}`, body]);
      expect(entries).toEqual(new Map(expected as [string, Buffer][]));
    });

    it("strips './' from archives made with `tar -C dir .`", async () => {
      const entries = await readArchive(tarDirectory(SATYR_DIR, 'gz', null), LIMITS);
      expect(entries).toEqual(filesOf(SATYR_DIR));
    });

    describe('long names, as written by GNU tar in each --format', () => {
      let dir: string;
      const longName = `${'x'.repeat(60)}/${'y'.repeat(60)}/${'z'.repeat(120)}`;
      beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-spec-'));
        fs.mkdirSync(path.join(dir, 'pd', path.dirname(longName)), { recursive: true });
        fs.writeFileSync(path.join(dir, 'pd', longName), 'deep');
      });
      afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

      it.each(['gnu', 'posix'] as const)('%s', async (format) => {
        const entries = await readArchive(tarDirectory(path.join(dir, 'pd'), 'gz', 'pd', format), LIMITS);
        expect(entries).toEqual(new Map([[`pd/${longName}`, Buffer.from('deep')]]));
      });
    });

    it.each(['ustar', 'gnu', 'pax'] as const)('crafted %s long-name encoding', async (nameEncoding) => {
      const name = `${'d'.repeat(80)}/${'e'.repeat(90)}`;
      const entries = await readArchive(craftGz([{ name, body: 'ok', nameEncoding }]), LIMITS);
      expect(entries).toEqual(new Map([[name, Buffer.from('ok')]]));
    });

    it.each(['base256', 'pax'] as const)('sizes stored as %s', async (sizeEncoding) => {
      const entries = await readArchive(
        craftGz([{ name: 'pd/backtrace', body: 'b'.repeat(700), sizeEncoding }, { name: 'pd/type', body: 'CCpp' }]),
        LIMITS,
      );
      expect(entries).toEqual(new Map([['pd/backtrace', Buffer.from('b'.repeat(700))], ['pd/type', Buffer.from('CCpp')]]));
    });

    it('skips directories, keeps empty files and normalises "./" and "//"', async () => {
      const entries = await readArchive(
        craftGz([
          { name: './', type: 'dir' },
          { name: './pd/', type: 'dir' },
          { name: './pd//type', body: 'CCpp' },
          { name: 'pd/./empty', body: '' },
        ]),
        LIMITS,
      );
      expect(entries).toEqual(new Map([['pd/type', Buffer.from('CCpp')], ['pd/empty', Buffer.alloc(0)]]));
    });
  });

  describe('rejects', () => {
    it.each([
      ['plain text', Buffer.from('hello, world\n')],
      ['a zip file', Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1')],
      ['an uncompressed tar', craftTar([{ name: 'type', body: 'CCpp' }])],
      ['an empty upload', Buffer.alloc(0)],
    ])('%s as unknown-format', async (_label, data) => {
      await expectRejected(data, 'unknown-format');
    });

    it.each(COMPRESSIONS)('tar.%s cut in half as truncated', async (c) => {
      const whole = tarDirectory(SATYR_DIR, c);
      await expectRejected(whole.subarray(0, Math.floor(whole.length / 2)), 'truncated');
    });

    it.each(COMPRESSIONS)('tar.%s with overwritten bytes as corrupt', async (c) => {
      const data = Buffer.from(tarDirectory(SATYR_DIR, c));
      data.fill(0x55, Math.floor(data.length / 2), Math.floor(data.length / 2) + 64);
      await expectRejected(data, 'corrupt');
    });

    it('a compressed stream that is not a tar as corrupt', async () => {
      await expectRejected(compress(Buffer.from('just some text, definitely not tar\n'.repeat(40)), 'gz'), 'corrupt');
    });

    it('a tar header with a bad checksum as corrupt', async () => {
      const tar = craftTar([{ name: 'type', body: 'CCpp' }, { name: 'reason', body: 'SIGSEGV' }]);
      tar[1024] ^= 0x01; // first byte of the second header's name
      await expectRejected(compress(tar, 'gz'), 'corrupt');
    });

    it('a tar without an end-of-archive marker as truncated', async () => {
      await expectRejected(craftGz([{ name: 'type', body: 'CCpp' }], { endMarker: false }), 'truncated');
    });

    it('a tar whose last body is shorter than its header says as truncated', async () => {
      await expectRejected(craftGz([{ name: 'type', body: 'CCpp', declaredSize: 5000 }], { endMarker: false }), 'truncated');
    });

    it.each([
      ['/etc/passwd', 'ustar'],
      ['../escape', 'ustar'],
      ['pd/../../escape', 'ustar'],
      ['pd/../type', 'ustar'],
      [`/${'a'.repeat(120)}`, 'gnu'],
      [`${'a'.repeat(120)}/../../x`, 'pax'],
      ['pd\\..\\x', 'ustar'],
    ] as const)('%s (%s name) as unsafe-path', async (name, nameEncoding) => {
      await expectRejected(craftGz([{ name, body: 'x', nameEncoding }]), 'unsafe-path', name);
    });

    it.each([
      ['symlink', 'pd/coredump'],
      ['hardlink', 'pd/coredump'],
    ] as const)('a %s as link-entry', async (type, name) => {
      const err = await expectRejected(
        craftGz([{ name: 'pd/type', body: 'CCpp' }, { name, type, linkname: '/etc/shadow' }]),
        'link-entry',
        name,
      );
      expect(err.message).toContain('/etc/shadow');
    });

    it.each(['char', 'block', 'fifo'] as const)('a %s entry as device-entry', async (type) => {
      await expectRejected(craftGz([{ name: 'pd/dev', type }]), 'device-entry', 'pd/dev');
    });

    it('an entry type we do not understand (GNU sparse) as unsupported-entry', async () => {
      await expectRejected(craftGz([{ name: 'pd/coredump', type: 'gnu-sparse', body: 'x' }]), 'unsupported-entry', 'pd/coredump');
    });

    it('the same path twice as duplicate-entry', async () => {
      await expectRejected(
        craftGz([{ name: 'pd/type', body: 'CCpp' }, { name: './pd/type', body: 'Kerneloops' }]),
        'duplicate-entry',
        './pd/type',
      );
    });

    it('more entries than maxEntries (directories count) as too-many-entries', async () => {
      const entries: CraftEntry[] = [{ name: 'pd/', type: 'dir' }, { name: 'pd/a' }, { name: 'pd/b' }, { name: 'pd/c' }];
      await expect(readArchive(craftGz(entries.slice(0, 3)), { ...LIMITS, maxEntries: 3 })).resolves.toBeDefined();
      await expectRejected(craftGz(entries), 'too-many-entries', 'pd/c', { ...LIMITS, maxEntries: 3 });
    });

    it('a real archive with more files than maxEntries as too-many-entries', async () => {
      await expectRejected(tarDirectory(SATYR_DIR, 'xz'), 'too-many-entries', undefined, { ...LIMITS, maxEntries: 10 });
    });

    it('an upload over maxCompressedBytes as too-large', async () => {
      const data = tarDirectory(SATYR_DIR, 'gz');
      await expectRejected(data, 'too-large', undefined, { ...LIMITS, maxCompressedBytes: data.length - 1 });
    });

    it('a single file over maxEntryBytes as too-large, naming it', async () => {
      const err = await expectRejected(
        craftGz([{ name: 'pd/type', body: 'CCpp' }, { name: 'pd/coredump', body: Buffer.alloc(2048) }]),
        'too-large',
        'pd/coredump',
        { ...LIMITS, maxEntryBytes: 1024 },
      );
      expect(err.message).toMatch(/2048 bytes \(limit 1024\)/);
    });

    it('files together over maxUnpackedBytes as too-large, naming the one that crosses it', async () => {
      const body = Buffer.alloc(3000);
      await expectRejected(
        craftGz([{ name: 'a', body }, { name: 'b', body }, { name: 'c', body }]),
        'too-large',
        'c',
        { ...LIMITS, maxUnpackedBytes: 8000 },
      );
    });
  });

  describe('decompression bombs', () => {
    const bombLimits: ArchiveLimits = { ...LIMITS, maxUnpackedBytes: 10 * MiB };

    it('200 MB of gzip-compressed zeros against a 10 MB limit: rejected while inflating', async () => {
      const bomb = compressedZeros(200 * MiB, 'gz');
      expect(bomb.length).toBeLessThan(LIMITS.maxCompressedBytes);
      const started = Date.now();
      const err = await expectRejected(bomb, 'too-large', undefined, bombLimits);
      // Zeros read as the end-of-archive marker; what follows it is refused long before 10 MB.
      expect(err.message).toMatch(/more than \d+ bytes past its end-of-archive marker/);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it.each(['gz', 'xz', 'bz2'] as const)('the %s decoder stops pulling output at the limit', async (c) => {
      const bomb = compressedZeros(c === 'gz' ? 200 * MiB : 64 * MiB, c);
      let pulled = 0;
      const compression = ({ gz: 'gzip', xz: 'xz', bz2: 'bzip2' } as const)[c];
      const err = await rejection(
        (async () => {
          for await (const chunk of decompress(compression, bomb, 10 * MiB)) pulled += chunk.length;
        })(),
      );
      expect(err.code).toBe('too-large');
      expect(pulled).toBeLessThanOrEqual(10 * MiB);
    });

    it('a tar header declaring a 200 MB file is rejected at the header, naming the file', async () => {
      const header = craftTar([{ name: 'pd/coredump', declaredSize: 200 * MiB }], { endMarker: false });
      const bomb = compressedZeros(200 * MiB, 'gz', header);
      const started = Date.now();
      await expectRejected(bomb, 'too-large', 'pd/coredump', bombLimits);
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('an aborted xz bomb does not block later xz uploads (xz-decompress has a global lock)', async () => {
      await expectRejected(compressedZeros(64 * MiB, 'xz'), 'too-large', undefined, bombLimits);
      await expectRejected(compressedZeros(64 * MiB, 'xz'), 'too-large', undefined, bombLimits);
      const entries = await readArchive(tarDirectory(SATYR_DIR, 'xz'), LIMITS);
      expect(entries.size).toBe(filesOf(SATYR_DIR).size);
    });
  });
});
