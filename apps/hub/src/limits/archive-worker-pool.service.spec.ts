import { PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { loadHubConfig } from '../../../../libs/config/src';
import { compressedZeros, craftTar } from '../../../../test/support/archive-builder';
import { problemDirArchive } from '../../../../test/support/problem-dir-archive';
import { ArchiveWorkerPool } from './archive-worker-pool.service';

const MiB = 1024 * 1024;

describe('ArchiveWorkerPool (real worker threads)', () => {
  const config = loadHubConfig({ ARCHIVE_WORKERS: '1', ARCHIVE_QUEUE_MAX: '1', ARCHIVE_MAX_RATIO: '1000000000' });
  let pool: ArchiveWorkerPool;
  beforeAll(() => {
    pool = new ArchiveWorkerPool(config);
  });
  afterAll(() => pool.onModuleDestroy());

  it('inspects a problem directory off the main thread', async () => {
    const archive = problemDirArchive({ type: 'CCpp', backtrace: '#0  0x1 in main () at a.c:1\n' });
    const dir = await pool.problemDir(archive, archive.length, config.limits.archive, config.limits.upload.maxStreamBytes);
    expect({ type: dir.problemType, skipped: dir.skipped, packed: dir.packed.length > 0 }).toEqual({ type: 'CCpp', skipped: [], packed: true });
  });

  it('queues one job behind the busy worker and refuses the next with 503; the queued one still gets its answer', async () => {
    const bomb = compressedZeros(64 * MiB, 'bz2', craftTar([{ name: 'pd/type', body: 'CCpp' }, { name: 'pd/maps', declaredSize: 64 * MiB }], { endMarker: false }));
    const limits = config.limits.archive;
    const jobs = [0, 1, 2].map(() => pool.problemDir(bomb, bomb.length, limits, 16 * MiB).then(() => 'ok', (error: Error) => error));
    const [first, second, third] = await Promise.all(jobs);
    expect(first).toBeInstanceOf(PayloadTooLargeException);
    expect(second).toBeInstanceOf(PayloadTooLargeException);
    expect(third).toBeInstanceOf(ServiceUnavailableException);
    expect((third as Error).message).toBe('all 1 archive decoders are busy and 1 uploads wait; retry later');
  });
});
