import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { craftTar } from '../support/archive-builder';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

const SAMPLES = join(__dirname, '..', 'fixtures', 'upstream', 'faf', 'tests', 'sample_reports');
const CORE_UREPORT = JSON.parse(readFileSync(join(SAMPLES, 'ureport_core'), 'utf8'));
const KERNEL_UREPORT = JSON.parse(readFileSync(join(SAMPLES, 'ureport_kerneloops'), 'utf8'));
const BACKTRACE = '#0  0x0000000000401136 in parse_entry () at a.c:3\n#1  0x0000000000401150 in main () at a.c:9\n';
const ccpp = (extra: Record<string, string> = {}) => problemDirArchive({ type: 'CCpp', component: 'demo', backtrace: BACKTRACE, ...extra });

/** A 20 MB backtrace on one line, as the reporter sent it; gzip makes it small on the wire. */
function oneLineBacktraceArchive(): Buffer {
  const line = `#0  0x0000000000401136 in ${'A'.repeat(20 * 1024 * 1024)} () at a.c:3`;
  return gzipSync(craftTar([{ name: 'pd/type', body: 'CCpp' }, { name: 'pd/component', body: 'demo' }, { name: 'pd/backtrace', body: line }]));
}

const agentReport = (patch: (report: Record<string, unknown>) => void = () => {}) => {
  const report: Record<string, unknown> = { reportId: randomUUID(), hostId: randomUUID(), ureport: structuredClone(CORE_UREPORT) };
  patch(report);
  return report;
};
const firstFrame = (report: Record<string, unknown>) =>
  ((report.ureport as typeof CORE_UREPORT).problem.stacktrace[0].frames[0]) as Record<string, unknown>;

type Res = { status: number; body: { message?: string | string[]; error?: string } };
interface BoundCase {
  name: string;
  send: (hub: TestHub) => Promise<Res>;
  status: number;
  message: RegExp;
}

const postArchive = (hub: TestHub, body: Buffer, headers: Record<string, string> = {}) =>
  hub.http.post('/api/v1/crash-archives').set({ 'content-type': 'application/gzip', ...headers }).send(body);
/** JSON written by hand: JSON.stringify would keep a lone surrogate escaped, which is the point, but this says so plainly. */
const postRawJson = (hub: TestHub, path: string, text: string) => hub.http.post(path).set('content-type', 'application/json').send(text);

const CASES: BoundCase[] = [
  {
    name: 'X-Occurrences: 1e12',
    send: (hub) => postArchive(hub, ccpp(), { 'x-occurrences': '1e12' }),
    status: 400,
    message: /X-Occurrences must be a positive decimal integer/,
  },
  {
    name: 'X-Occurrences above the per-report bound',
    send: (hub) => postArchive(hub, ccpp(), { 'x-occurrences': '1000000000000' }),
    status: 400,
    message: /X-Occurrences must be at most 1000000/,
  },
  {
    name: 'ABRT count of 20 digits',
    send: (hub) => postArchive(hub, ccpp({ count: '12345678901234567890' })),
    status: 400,
    message: /count: must be at most 1000000 \(got a 20-digit number\)/,
  },
  {
    name: 'agent occurrences near 2^31',
    send: (hub) => hub.http.post('/api/v1/crash-reports').send(agentReport((r) => (r.occurrences = 2 ** 31 - 2))),
    status: 400,
    message: /occurrences/,
  },
  {
    name: 'NUL in a label (X-Report-Labels)',
    send: (hub) => postArchive(hub, ccpp(), { 'x-report-labels': JSON.stringify({ build: 'a\u0000b' }) }),
    status: 400,
    message: /X-Report-Labels: build: must not contain NUL/,
  },
  {
    name: 'lone surrogate in an agent label',
    send: (hub) => postRawJson(hub, '/api/v1/crash-reports', JSON.stringify(agentReport((r) => (r.labels = { rig: 'x\ud800' })))),
    status: 400,
    message: /labels\.rig: must not contain NUL characters or lone UTF-16 surrogates/,
  },
  {
    name: 'NUL in kernel= (candidate filter)',
    send: (hub) => hub.as('viewer').get('/api/v1/candidates?kernel=5.14%00evil'),
    status: 400,
    message: /kernel/,
  },
  {
    name: 'lone surrogate in a kernel version (FAF door)',
    send: (hub) => {
      const report = structuredClone(KERNEL_UREPORT);
      report.problem.version = `${report.problem.version}\ud800`;
      return postRawJson(hub, '/reports/new/', JSON.stringify(report));
    },
    status: 400,
    message: /problem\.version: must not contain/,
  },
  {
    name: 'NUL in the kernel element of a problem directory',
    send: (hub) => postArchive(hub, ccpp({ kernel: '5.14.0\u0000-evil' })),
    status: 400,
    message: /kernel: contains a NUL character/,
  },
  {
    name: 'NUL in function_name (agent door)',
    send: (hub) => hub.http.post('/api/v1/crash-reports').send(agentReport((r) => (firstFrame(r).function_name = 'main\u0000'))),
    status: 400,
    message: /function_name: must not contain/,
  },
  {
    name: 'NUL in function_name of a core_backtrace',
    send: (hub) =>
      postArchive(hub, problemDirArchive({
        type: 'CCpp',
        core_backtrace: JSON.stringify({ signal: 11, executable: '/usr/bin/demo', stacktrace: [{ crash_thread: true, frames: [{ address: 1, build_id_offset: 1, function_name: 'f\u0000', file_name: '/usr/bin/demo' }] }] }),
      })),
    status: 400,
    message: /core_backtrace\.stacktrace\.0\.frames\.0\.function_name: contains a NUL/,
  },
  {
    name: 'a 20 MB one-line backtrace',
    send: (hub) => postArchive(hub, oneLineBacktraceArchive()),
    status: 400,
    message: /backtrace: line 1 is 20971\d+ characters long \(limit 16384\)/,
  },
  {
    name: 'more frames than a thread may have',
    send: (hub) =>
      hub.http.post('/api/v1/crash-reports').send(agentReport((r) => {
        const thread = (r.ureport as typeof CORE_UREPORT).problem.stacktrace[0];
        thread.frames = Array.from({ length: 5000 }, () => thread.frames[0]);
      })),
    status: 400,
    message: /frames: Too big/,
  },
];

describe('input bounds: refused at intake with a 4xx naming the field, nothing stored, the hub alive', () => {
  let hub: TestHub;
  let storedId: string;
  beforeAll(async () => {
    hub = await startTestHub('bounds');
    const res = await hub.http.post('/api/v1/crash-reports').send(agentReport()).expect(202);
    storedId = res.body.id;
    await hub.settled(storedId);
  });
  afterAll(() => hub.close());

  it.each(CASES)('$name → $status', async ({ send, status, message }) => {
    const before = await hub.snapshot();
    const storedBefore = await hub.db.query('SELECT status, payload, occurrences FROM raw_report WHERE id = $1', [storedId]);
    const res = await send(hub);
    expect({ status: res.status, message: [res.body.message ?? res.body.error].flat().join('; ') }).toEqual({ status, message: expect.stringMatching(message) });
    expect(await hub.snapshot()).toEqual(before);
    expect(await hub.db.query('SELECT status, payload, occurrences FROM raw_report WHERE id = $1', [storedId])).toEqual(storedBefore);
    await hub.http.get('/health').expect(200);
  });

  it('a candidate past 2^31 occurrences keeps counting, and the API answers numbers', async () => {
    const first = agentReport((r) => (r.occurrences = 1_000_000));
    await hub.http.post('/api/v1/crash-reports').send(first).expect(202);
    expect((await hub.settled(first.reportId as string)).status).toBe('processed');
    const { body: status } = await hub.http.get(`/api/v1/reports/${first.reportId}`).expect(200);
    // As if two thousand maximal reports had come before (the poisoning, without sending them all).
    await hub.db.query('UPDATE bug_candidate SET occurrence_count = $2 WHERE id = $1', [status.candidateId, 2 ** 31 - 10]);
    const second = agentReport((r) => (r.occurrences = 1_000_000));
    await hub.http.post('/api/v1/crash-reports').send(second).expect(202);
    expect(await hub.settled(second.reportId as string)).toEqual({ status: 'processed', reject_reason: null });
    const { body: detail } = await hub.as('viewer').get(`/api/v1/candidates/${status.candidateId}`).expect(200);
    expect(detail.occurrenceCount).toBe(2 ** 31 - 10 + 1_000_000);
  });

  it('a bucket key is a bounded prefix of a long function name (multi-byte names fit the btree)', async () => {
    const name = `${'€'.repeat(1000)}_tail`; // 3000+ bytes of UTF-8 (a btree row holds ~2.7 kB), within the 1024-character field bound
    const report = agentReport((r) => {
      for (const frame of (r.ureport as typeof CORE_UREPORT).problem.stacktrace[0].frames) frame.function_name = `${name}${frame.function_name ?? ''}`.slice(0, 1024);
    });
    await hub.http.post('/api/v1/crash-reports').send(report).expect(202);
    expect(await hub.settled(report.reportId as string)).toEqual({ status: 'processed', reject_reason: null });
    const [{ longest }] = await hub.db.query('SELECT max(octet_length(function_name))::int AS longest FROM candidate_bucket');
    expect(longest).toBeLessThanOrEqual(512);
  });
});
