import { compressedZeros, craftTar } from '../support/archive-builder';
import { startTestHub, TestHub } from '../support/test-hub';

const MiB = 1024 * 1024;

/**
 * bzip2 of a problem directory whose `maps` claims 1 GiB of zeros: a few hundred bytes that
 * seek-bzip (synchronous, ~20 MB/s) would spend many seconds inflating.
 */
const bomb = () =>
  compressedZeros(1024 * MiB, 'bz2', craftTar([{ name: 'pd/type', body: 'CCpp' }, { name: 'pd/maps', declaredSize: 1024 * MiB }], { endMarker: false }));

describe('decompression bombs are inflated off the request thread', () => {
  let hub: TestHub;
  let bombBytes: Buffer;
  beforeAll(async () => {
    bombBytes = bomb();
    hub = await startTestHub('bombs', {
      // The ratio bound would stop these bombs within a megabyte; lifted so each really inflates 48 MiB.
      ARCHIVE_MAX_RATIO: '1000000000',
      ARCHIVE_MAX_STREAM_BYTES: String(48 * MiB),
      ARCHIVE_WORKERS: '2',
    });
  });
  afterAll(() => hub.close());

  it('four concurrent bombs each get their 413 while /health keeps answering another client', async () => {
    expect(bombBytes.length).toBeLessThan(1024);
    const before = await hub.snapshot();
    let bombsDone = 0;
    const bombs = Array.from({ length: 4 }, () =>
      hub.http.post('/api/v1/crash-archives').set('content-type', 'application/x-bzip2').send(bombBytes).then((res) => {
        bombsDone++;
        return res;
      }),
    );
    const health: Array<{ status: number; duringBombs: boolean }> = [];
    while (bombsDone < 4) {
      const res = await fetch(`${hub.url}/health`);
      health.push({ status: res.status, duringBombs: bombsDone < 4 });
    }
    for (const res of await Promise.all(bombs)) {
      expect(res.status).toBe(413);
      expect(res.body.message).toBe(`archive rejected (too-large): archive unpacks to more than ${48 * MiB} bytes`);
    }
    // Answered while the bombs were still inflating, and every answer was a health answer.
    expect(health.filter((h) => h.duringBombs).length).toBeGreaterThan(1);
    expect(health.every((h) => h.status === 200)).toBe(true);
    expect(await hub.snapshot()).toEqual(before);
  });

  it('with the default ratio bound the same bomb is refused after a megabyte of work', async () => {
    const bounded = await startTestHub('bombs-ratio');
    try {
      const res = await bounded.http.put('/upload/pd.tar.bz2').set('content-type', 'application/x-bzip2').send(bombBytes);
      expect([res.status, res.body.message]).toEqual([413, `archive rejected (too-large): archive unpacks to more than ${MiB} bytes`]);
    } finally {
      await bounded.close();
    }
  });
});
