import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { craftTar } from '../support/archive-builder';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

const BACKTRACE = '#0  0x0000000000401136 in parse_entry () at a.c:3\n#1  0x0000000000401150 in main () at a.c:9\n';
const MiB = 1024 * 1024;

describe('problem-directory uploads stream and keep what matters', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('streaming', {
      // Small limits so the test's uploads cross them: what is kept is bounded, not what streams past.
      ARCHIVE_MAX_ENTRY_BYTES: String(MiB),
      ARCHIVE_MAX_UNPACKED_BYTES: String(2 * MiB),
      MAX_BODY_BYTES: String(MiB),
      UPLOAD_MAX_BYTES: String(32 * MiB),
      UPLOAD_MIN_BYTES_PER_SEC: String(MiB),
      HTTP_IDLE_TIMEOUT_MS: '2000',
    });
  });
  afterAll(() => hub.close());

  it('a core larger than every kept-entry limit is skipped and said so; the report is processed', async () => {
    const core = Buffer.alloc(6 * MiB);
    for (let i = 0; i < core.length; i += 4096) core.writeUInt32LE(i, i); // barely compressible pages, like a real core
    const upload = gzipSync(craftTar([
      { name: 'ccpp-9/type', body: 'CCpp' },
      { name: 'ccpp-9/component', body: 'demo' },
      { name: 'ccpp-9/coredump', body: core },
      { name: 'ccpp-9/backtrace', body: BACKTRACE },
    ]));
    const res = await hub.http.put('/upload/ccpp-9.tar.gz').set('content-type', 'application/gzip').send(upload).expect(202);
    expect(res.body).toMatchObject({ status: 'queued', duplicate: false, problemType: 'CCpp', skipped: [`skipped: coredump, ${6 * MiB}`] });
    expect((await hub.settled(res.body.id)).status).toBe('processed');
    const status = await hub.http.get(`/api/v1/reports/${res.body.id}`).expect(200);
    expect(status.body).toMatchObject({ status: 'processed', skippedEntries: [`skipped: coredump, ${6 * MiB}`], waitingReason: null });
    expect(status.body.candidateId).toEqual(expect.any(String));
    const [{ bytes }] = await hub.db.query('SELECT payload_bytes AS bytes FROM raw_report WHERE id = $1', [res.body.id]);
    expect(bytes).toBeLessThan(4096);
  });

  it('a core-only directory is recorded as waiting for a backtrace, with its reason, and not processed', async () => {
    const upload = gzipSync(craftTar([{ name: 'ccpp-7/type', body: 'CCpp' }, { name: 'ccpp-7/coredump', body: Buffer.alloc(2 * MiB, 7) }]));
    const res = await hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(upload).expect(202);
    expect(res.body).toMatchObject({ status: 'waiting', reason: expect.stringMatching(/^waiting for a backtrace: the directory has a coredump/) });
    const status = await hub.http.get(`/api/v1/reports/${res.body.id}`).expect(200);
    expect(status.body).toMatchObject({
      status: 'waiting',
      waitingReason: expect.stringContaining('none of core_backtrace, backtrace'),
      skippedEntries: [`skipped: coredump, ${2 * MiB}`],
      candidateId: null,
    });
    expect(await hub.db.query('SELECT count(*)::int AS n FROM crash_report WHERE id = $1', [res.body.id])).toEqual([{ n: 0 }]);
  });

  it('multipart `file` streams too; a second file is refused', async () => {
    const archive = problemDirArchive({ type: 'CCpp', backtrace: BACKTRACE });
    const ok = await hub.http.post('/api/v1/crash-archives').attach('file', archive, 'pd.tar.gz').expect(202);
    expect((await hub.settled(ok.body.id)).status).toBe('processed');
    const before = await hub.snapshot();
    const twice = await hub.http.post('/api/v1/crash-archives').attach('file', archive, 'a.tar.gz').attach('other', archive, 'b.tar.gz');
    expect([twice.status, twice.body.message]).toEqual([413, 'multipart body has too many files']);
    expect(await hub.snapshot()).toEqual(before);
  });

  it('a body over the upload limit is refused (413) from its Content-Length, and while streaming without one', async () => {
    const before = await hub.snapshot();
    const big = Buffer.alloc(40 * MiB, 1);
    const declared = await hub.http.put('/upload/big.tar.gz').set('content-type', 'application/gzip').send(big);
    expect([declared.status, declared.body.message]).toEqual([413, `upload is too large: ${40 * MiB} bytes (limit ${32 * MiB})`]);
    const chunked = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = request(`${hub.url}/upload/big.tar.gz`, { method: 'PUT', headers: { 'content-type': 'application/gzip' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(MiB, 1);
      let sent = 0;
      const pump = () => {
        while (sent < 40 && req.write(chunk)) sent++;
        if (sent >= 40) req.end();
        else req.once('drain', () => { sent++; pump(); });
      };
      pump();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).message).toBe(`upload is too large: more than ${32 * MiB} bytes`);
    expect(await hub.snapshot()).toEqual(before);
  });

  it('buffered multipart doors stop reading at the body limit (multer limits)', async () => {
    const res = await hub.http.post('/reports/new/').attach('file', Buffer.alloc(2 * MiB, 0x20), 'u.json');
    expect(res.status).toBe(413);
  });

  /** Sends `head` then a byte every `everyMs` (never, when 0); resolves with the status line, or how the socket ended. */
  const trickle = (head: string, everyMs: number) =>
    new Promise<string>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const socket = connect(Number(new URL(hub.url).port), '127.0.0.1', () => {
        socket.write(head);
        if (everyMs > 0) timer = setInterval(() => socket.write(Buffer.from([0x1f])), everyMs);
      });
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('close', () => {
        clearInterval(timer);
        resolve(answer.split('\r\n')[0] || 'closed without an answer');
      });
      socket.on('error', () => undefined);
    });

  it('an upload that trickles in slower than the minimum rate is cut (408)', async () => {
    const before = await hub.snapshot();
    const head = `PUT /upload/slow.tar.gz HTTP/1.1\r\nHost: x\r\nContent-Type: application/gzip\r\nContent-Length: ${MiB}\r\nX-Report-Id: ${randomUUID()}\r\n\r\n`;
    // A byte every half second keeps the connection alive, but is far below the 1 MiB/s minimum.
    expect(await trickle(head, 500)).toMatch(/^(HTTP\/1\.1 408|closed without an answer)/);
    expect(await hub.snapshot()).toEqual(before);
    await hub.http.get('/health').expect(200);
  }, 60_000);

  it('a JSON body that stops arriving is cut after the idle timeout', async () => {
    const head = 'POST /api/v1/crash-reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"reportId":';
    const started = Date.now();
    expect(await trickle(head, 0)).toBe('closed without an answer');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    await hub.http.get('/health').expect(200);
  }, 60_000);
});
