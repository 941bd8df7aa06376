import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArchiveRejectedError } from './archive-error';
import type { ArchiveLimits } from './archive-limits';
import { toProblemDirectory } from './problem-directory';
import { readArchive } from './safe-archive-reader';
import { type Compression, compress, craftTar, tarDirectory } from '../../../../test/support/archive-builder';

const UPSTREAM = path.resolve(__dirname, '../../../../test/fixtures/upstream');
const LIMITS: ArchiveLimits = {
  maxCompressedBytes: 16 * 1024 * 1024,
  maxUnpackedBytes: 16 * 1024 * 1024,
  maxEntries: 200,
  maxEntryBytes: 8 * 1024 * 1024,
};
const ABRT_DIR_NAME = 'ccpp-2022-06-21-14:24:55.227430-1306000';

const FIXTURES: [string, string][] = [
  ['satyr/tests/problem_dir', 'CCpp'],
  ['libreport/src/plugins/python/fixtures/sample_problem', 'CCpp'],
  ['abrt/tests/runtests/bugzilla-comment-format/problem_dir', 'CCpp'],
  ['abrt/tests/runtests/bugzilla-dupe-search/avc-problem-dir', 'libreport'],
];
const CASES = FIXTURES.flatMap(([dir, type]) =>
  (['gz', 'xz', 'bz2'] as Compression[]).map((c) => [dir, c, type] as const),
);

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

function rejectionOf(fn: () => unknown): ArchiveRejectedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ArchiveRejectedError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('toProblemDirectory', () => {
  it.each(CASES)('%s as .tar.%s under an ABRT-named directory', async (dir, compression, type) => {
    const fixture = path.join(UPSTREAM, dir);
    const pd = toProblemDirectory(await readArchive(tarDirectory(fixture, compression, ABRT_DIR_NAME), LIMITS));
    expect(pd.name).toBe(ABRT_DIR_NAME);
    expect(pd.elements).toEqual(filesOf(fixture));
    expect(pd.text('type')).toBe(type);
  });

  it('elements at the archive root have no name', async () => {
    const fixture = path.join(UPSTREAM, 'abrt/tests/runtests/bugzilla-dupe-search/avc-problem-dir');
    const pd = toProblemDirectory(await readArchive(tarDirectory(fixture, 'gz', null), LIMITS));
    expect(pd.name).toBeUndefined();
    expect(pd.elements).toEqual(filesOf(fixture));
    expect(pd.text('hashmarkername')).toBe(fs.readFileSync(path.join(fixture, 'hashmarkername'), 'utf8'));
  });

  it('text() returns undefined for a missing element and keeps empty ones', async () => {
    const fixture = path.join(UPSTREAM, 'libreport/src/plugins/python/fixtures/sample_problem');
    const pd = toProblemDirectory(await readArchive(tarDirectory(fixture, 'gz'), LIMITS));
    expect(pd.text('no-such-element')).toBeUndefined();
    expect(pd.text('coredump')).toBe('');
  });

  const entries = (...pairs: [string, string][]) => new Map(pairs.map(([k, v]) => [k, Buffer.from(v)]));

  it.each([
    ['no type element', entries(['pd/reason', 'SIGSEGV'], ['pd/analyzer', 'CCpp'])],
    ['an empty type element', entries(['pd/type', '\n'])],
    ['no entries at all', entries()],
    ['files nested two directories deep', entries(['pd/type', 'CCpp'], ['pd/sub/backtrace', 'x'])],
    ['two top-level directories', entries(['a/type', 'CCpp'], ['b/type', 'CCpp'])],
    ['root files next to a directory', entries(['type', 'CCpp'], ['pd/type', 'CCpp'])],
  ])('rejects %s as not-a-problem-dir', (_label, archive) => {
    expect(rejectionOf(() => toProblemDirectory(archive)).code).toBe('not-a-problem-dir');
  });

  it('names the nested entry it refuses', async () => {
    const archive = await readArchive(
      compress(craftTar([{ name: 'pd/type', body: 'CCpp' }, { name: 'pd/sub/backtrace', body: 'x' }]), 'gz'),
      LIMITS,
    );
    const err = rejectionOf(() => toProblemDirectory(archive));
    expect(err.entry).toBe('pd/sub/backtrace');
    expect(err.message).toContain('pd/sub/backtrace');
  });
});
