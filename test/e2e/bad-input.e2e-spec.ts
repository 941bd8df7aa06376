import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compress, compressedZeros, craftTar, CraftEntry } from '../support/archive-builder';
import { startTestHub, TestHub } from '../support/test-hub';

const UPSTREAM = join(__dirname, '..', 'fixtures', 'upstream');
const CORE_UREPORT = JSON.parse(readFileSync(join(UPSTREAM, 'faf/tests/sample_reports/ureport_core'), 'utf8'));

const problemDir = (extra: CraftEntry[] = []): CraftEntry[] => [
  { name: 'ccpp-1/', type: 'dir' },
  { name: 'ccpp-1/type', body: 'CCpp' },
  { name: 'ccpp-1/backtrace', body: '#0  0x0000000000401136 in parse_entry () at a.c:3\n#1  0x0000000000401150 in main () at a.c:9\n' },
  ...extra,
];

interface BadCase {
  name: string;
  send: (hub: TestHub) => Promise<{ status: number; body: { message?: string | string[]; error?: string } }>;
  status: number;
  message: RegExp;
}

const archive = (entries: CraftEntry[], options?: { endMarker?: boolean }) => compress(craftTar(entries, options), 'gz');
const postArchive = (hub: TestHub, body: Buffer) =>
  hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(body);

const CASES: BadCase[] = [
  {
    name: 'malformed JSON uReport (FAF door)',
    send: (hub) => hub.http.post('/reports/new/').attach('file', Buffer.from('{"ureport_version": 2,'), 'u.json'),
    status: 400,
    message: /not valid JSON/,
  },
  {
    name: 'malformed JSON body (native API)',
    send: (hub) => hub.http.post('/api/v1/crash-reports').set('content-type', 'application/json').send('{"reportId": '),
    status: 400,
    message: /JSON/,
  },
  {
    name: 'uReport missing problem.component',
    send: (hub) => {
      const { component: _dropped, ...problem } = CORE_UREPORT.problem;
      return hub.http.post('/reports/new/').send({ ...CORE_UREPORT, problem });
    },
    status: 400,
    message: /problem\.component/,
  },
  {
    name: 'agent report without a valid reportId',
    send: (hub) => hub.http.post('/api/v1/crash-reports').send({ reportId: 'not-a-uuid', ureport: CORE_UREPORT }),
    status: 400,
    message: /reportId/,
  },
  {
    name: 'unknown problem type',
    send: (hub) => postArchive(hub, archive([{ name: 'x/type', body: 'Haskell' }, { name: 'x/backtrace', body: 'boom' }])),
    status: 422,
    message: /unknown problem type 'Haskell'/,
  },
  {
    name: 'archive without a type element',
    send: (hub) => postArchive(hub, archive([{ name: 'x/backtrace', body: 'boom' }])),
    status: 400,
    message: /not-a-problem-dir/,
  },
  {
    name: 'truncated archive',
    send: (hub) => {
      const whole = archive(problemDir([{ name: 'ccpp-1/maps', body: 'x'.repeat(50_000) }]));
      return postArchive(hub, whole.subarray(0, Math.floor(whole.length / 2)));
    },
    status: 400,
    message: /truncated|corrupt/,
  },
  {
    name: 'corrupt compressed bytes',
    send: (hub) => {
      const bytes = Buffer.from(archive(problemDir()));
      bytes.fill(0x55, 20, 60);
      return postArchive(hub, bytes);
    },
    status: 400,
    message: /corrupt|truncated/,
  },
  {
    name: 'not an archive at all',
    send: (hub) => postArchive(hub, Buffer.from('just some text, not a tarball')),
    status: 400,
    message: /unknown-format/,
  },
  {
    name: 'absolute path entry',
    send: (hub) => postArchive(hub, archive(problemDir([{ name: '/etc/cron.d/evil', body: '* * * * * root sh' }]))),
    status: 400,
    message: /unsafe-path.*\/etc\/cron\.d\/evil/,
  },
  {
    name: '.. path entry',
    send: (hub) => postArchive(hub, archive(problemDir([{ name: 'ccpp-1/../../escape', body: 'x' }]))),
    status: 400,
    message: /unsafe-path/,
  },
  {
    name: 'symlink entry',
    send: (hub) => postArchive(hub, archive(problemDir([{ name: 'ccpp-1/environ', type: 'symlink', linkname: '/etc/shadow' }]))),
    status: 400,
    message: /link-entry/,
  },
  {
    name: 'hardlink entry',
    send: (hub) => postArchive(hub, archive(problemDir([{ name: 'ccpp-1/maps', type: 'hardlink', linkname: 'ccpp-1/type' }]))),
    status: 400,
    message: /link-entry/,
  },
  {
    name: 'character device entry',
    send: (hub) => postArchive(hub, archive(problemDir([{ name: 'ccpp-1/null', type: 'char' }]))),
    status: 400,
    message: /device-entry/,
  },
  {
    name: 'decompression bomb over the unpacked-size limit',
    send: (hub) => postArchive(hub, compressedZeros(64 * 1024 * 1024, 'gz', craftTar(problemDir(), { endMarker: false }))),
    status: 413,
    message: /too-large|larger|limit/i,
  },
  {
    name: 'archive over the entry-count limit',
    send: (hub) =>
      postArchive(hub, archive(problemDir(Array.from({ length: 80 }, (_, i) => ({ name: `ccpp-1/e${i}`, body: 'x' }))))),
    status: 413,
    message: /entries/,
  },
  {
    name: 'body over the request size limit',
    send: (hub) => postArchive(hub, Buffer.alloc(3 * 1024 * 1024, 1)),
    status: 413,
    message: /too large/i,
  },
  {
    name: 'empty archive body',
    send: (hub) => hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip'),
    status: 400,
    message: /empty body/,
  },
];

describe('bad input gets a clear 4xx and changes nothing', () => {
  let hub: TestHub;
  let storedId: string;
  beforeAll(async () => {
    hub = await startTestHub('badinput', {
      MAX_BODY_BYTES: String(2 * 1024 * 1024),
      ARCHIVE_MAX_UNPACKED_BYTES: String(4 * 1024 * 1024),
      ARCHIVE_MAX_ENTRIES: '50',
      UPLOAD_MAX_BYTES: String(2 * 1024 * 1024),
    });
    // Something already stored, which bad input must leave untouched.
    const res = await hub.http.post('/reports/new/').send(CORE_UREPORT).expect(202);
    storedId = (res.body.reported_to[0].value as string).split('/').pop()!;
    await hub.settled(storedId);
  });
  afterAll(() => hub.close());

  it.each(CASES)('$name → $status', async ({ send, status, message }) => {
    const before = await hub.snapshot();
    const storedBefore = await hub.db.query('SELECT status, payload FROM raw_report WHERE id = $1', [storedId]);
    const res = await send(hub);
    expect(res.status).toBe(status);
    expect([res.body.message ?? res.body.error].flat().join('; ')).toMatch(message);
    expect(await hub.snapshot()).toEqual(before);
    expect(await hub.db.query('SELECT status, payload FROM raw_report WHERE id = $1', [storedId])).toEqual(storedBefore);
  });

  it('a retried agent upload is stored and counted once', async () => {
    const reportId = randomUUID();
    const body = { reportId, hostId: randomUUID(), ureport: CORE_UREPORT };
    const first = await hub.http.post('/api/v1/crash-reports').send(body).expect(202);
    expect(first.body.duplicate).toBe(false);
    await hub.settled(reportId);
    const second = await hub.http.post('/api/v1/crash-reports').send(body).expect(202);
    expect(second.body).toMatchObject({ id: reportId, duplicate: true });
    const rows = await hub.db.query('SELECT count(*)::int AS n FROM crash_report WHERE id = $1', [reportId]);
    expect(rows[0].n).toBe(1);
    const status = await hub.http.get(`/api/v1/reports/${reportId}`).expect(200);
    expect(status.body.status).toBe('processed');
  });
});
