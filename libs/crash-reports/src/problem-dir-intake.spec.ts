import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compress, craftTar } from '../../../test/support/archive-builder';
import { readArchive, type ArchiveLimits } from '../../storage/src/archive';
import { inspectProblemDirUpload, keepProblemDirEntry, ProblemDirRefusal } from './problem-dir-intake';

const MiB = 1024 * 1024;
const LIMITS: ArchiveLimits = { maxCompressedBytes: 64 * MiB, maxUnpackedBytes: 4 * MiB, maxEntries: 100, maxEntryBytes: 2 * MiB };
const BACKTRACE = '#0  0x0000000000401136 in parse_entry () at a.c:3\n#1  0x0000000000401150 in main () at a.c:9\n';

const dir = (entries: Record<string, string | Buffer>) =>
  craftTar(Object.entries(entries).map(([name, body]) => ({ name: `ccpp-1/${name}`, body })));

async function refusal(promise: Promise<unknown>): Promise<ProblemDirRefusal> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemDirRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('keepProblemDirEntry', () => {
  it.each([
    ['ccpp-1/coredump', 10, false],
    ['ccpp-1/backtrace', 50 * MiB, true],
    ['ccpp-1/core_backtrace', 10, true],
    ['ccpp-1/maps', 1000, true],
    ['ccpp-1/maps', 2 * MiB, false],
    ['cpuinfo', 2 * MiB, true],
  ] as const)('%s of %i bytes → kept %s', (path, size, kept) => {
    expect(keepProblemDirEntry(path, size)).toBe(kept);
  });
});

describe('inspectProblemDirUpload', () => {
  it('skips the core (larger than every limit) while streaming, keeps and re-packs the rest', async () => {
    const core = Buffer.alloc(8 * MiB, 0xab);
    const upload = compress(dir({ type: 'CCpp', component: 'demo', backtrace: BACKTRACE, coredump: core }), 'xz');
    const inspected = await inspectProblemDirUpload(upload, LIMITS, 64 * MiB);
    expect(inspected).toMatchObject({ problemType: 'CCpp', occurrences: 1, skipped: [`skipped: coredump, ${8 * MiB}`] });
    expect(inspected.waitingReason).toBeUndefined();
    const kept = await readArchive(inspected.packed, LIMITS);
    expect([...kept.keys()].sort()).toEqual(['ccpp-1/backtrace', 'ccpp-1/component', 'ccpp-1/type']);
    expect(kept.get('ccpp-1/backtrace')!.toString()).toBe(BACKTRACE);
  });

  it('reads a spooled file the same way', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pd-intake-'));
    try {
      const file = join(work, 'upload');
      writeFileSync(file, compress(dir({ type: 'CCpp', backtrace: BACKTRACE, count: '6', coredump: Buffer.alloc(MiB) }), 'bz2'));
      expect(await inspectProblemDirUpload({ file }, LIMITS, 64 * MiB)).toMatchObject({ occurrences: 6, skipped: [`skipped: coredump, ${MiB}`] });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a core without any stack text waits for a backtrace, saying why', async () => {
    const inspected = await inspectProblemDirUpload(gzipSync(dir({ type: 'CCpp', coredump: Buffer.alloc(4096, 1) })), LIMITS, 64 * MiB);
    expect(inspected.waitingReason).toMatch(/^waiting for a backtrace: the directory has a coredump \(4096 bytes\) but none of core_backtrace, backtrace/);
  });

  it('no stack and no core is refused (422)', async () => {
    const err = await refusal(inspectProblemDirUpload(gzipSync(dir({ type: 'CCpp', reason: 'crashed' })), LIMITS, 64 * MiB));
    expect([err.status, err.message]).toEqual([422, 'CCpp problem directory has no stack: expected one of core_backtrace, backtrace']);
  });

  it.each([
    ['a NUL in reason', { reason: 'a\u0000b' }, /^reason: contains a NUL character at offset 1$/],
    ['a 300-character component', { component: 'c'.repeat(300) }, /^component: 300 characters long \(limit 256\)$/],
    ['a stack line over the bound', { backtrace: `${BACKTRACE}#2 ${'x'.repeat(20_000)}\n` }, /^backtrace: line 3 is 20003 characters long/],
  ])('refuses %s (400, naming the element)', async (_label, extra, message) => {
    const err = await refusal(inspectProblemDirUpload(gzipSync(dir({ type: 'CCpp', backtrace: BACKTRACE, ...extra })), LIMITS, 64 * MiB));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
  });
});
