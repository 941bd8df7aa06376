import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readArchive, packTarGz } from '../../libs/storage/src/archive';
import { cepReport, newHostId } from '../support/cep-report';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

const CORE_UREPORT = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'upstream', 'faf', 'tests', 'sample_reports', 'ureport_core'), 'utf8'));
const BACKTRACE = '#0  0x0000000000401136 in parse_entry () at a.c:3\n#1  0x0000000000401150 in main () at a.c:9\n';
const LIMITS = { maxCompressedBytes: 1 << 24, maxUnpackedBytes: 1 << 24, maxEntries: 100, maxEntryBytes: 1 << 22 };

interface Door {
  name: string;
  /** Two uploads under one report id: `a` twice is a retry, `b` carries other content. */
  make(): Promise<{ id: string; a: (hub: TestHub) => Promise<{ status: number; body: Record<string, unknown> }>; b: (hub: TestHub) => Promise<{ status: number; body: Record<string, unknown> }> }>;
}

// Each problem directory carries its own ABRT uuid, as real ones do: otherwise two doors' equal dirs are one crash.
const DOORS: Door[] = [
  {
    name: 'agent crash report (POST /api/v1/crash-reports)',
    async make() {
      const id = randomUUID();
      const report = { reportId: id, hostId: randomUUID(), ureport: CORE_UREPORT };
      const other = { ...report, ureport: { ...CORE_UREPORT, reason: 'another crash entirely' } };
      return { id, a: (hub) => hub.http.post('/api/v1/crash-reports').send(report), b: (hub) => hub.http.post('/api/v1/crash-reports').send(other) };
    },
  },
  {
    name: 'problem directory (POST /api/v1/crash-archives)',
    async make() {
      const id = randomUUID();
      const send = (body: Buffer) => (hub: TestHub) =>
        hub.http.post('/api/v1/crash-archives').set({ 'content-type': 'application/gzip', 'x-report-id': id }).send(body);
      return { id, a: send(problemDirArchive({ type: 'CCpp', uuid: id, backtrace: BACKTRACE })), b: send(problemDirArchive({ type: 'CCpp', uuid: id, backtrace: BACKTRACE, reason: 'other' })) };
    },
  },
  {
    name: 'problem directory (PUT /upload/<name>)',
    async make() {
      const id = randomUUID();
      const send = (body: Buffer) => (hub: TestHub) =>
        hub.http.put('/upload/ccpp-1.tar.gz').set({ 'content-type': 'application/gzip', 'x-report-id': id }).send(body);
      return { id, a: send(problemDirArchive({ type: 'CCpp', uuid: id, backtrace: BACKTRACE })), b: send(problemDirArchive({ type: 'CCpp', uuid: id, backtrace: `${BACKTRACE}#2  0x1 in start ()\n` })) };
    },
  },
  {
    name: 'CEP report (POST /api/v1/cep-reports)',
    async make() {
      const report = await cepReport({ hostId: newHostId(), createdAt: new Date(), collectors: { os: { kernel: '5.14.0' } } });
      // Same manifest (same report id), one more file: other content under the same id.
      const entries = await readArchive(report.tarball, LIMITS);
      const altered = packTarGz(new Map([...entries, ['extra.json', Buffer.from('{}')]]));
      const send = (body: Buffer) => (hub: TestHub) => hub.http.post('/api/v1/cep-reports').set('content-type', 'application/gzip').send(body);
      return { id: report.reportId, a: send(report.tarball), b: send(altered) };
    },
  },
];

describe('the same report id: identical content is a duplicate, other content a 409 naming the id', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('conflicts');
  });
  afterAll(() => hub.close());

  it.each(DOORS)('$name', async (door) => {
    const { id, a, b } = await door.make();
    const first = await a(hub);
    expect([first.status, first.body.id, first.body.duplicate]).toEqual([202, id, false]);
    expect((await hub.settled(id)).status).toBe('processed');
    const stored = await hub.db.query('SELECT content_sha256, payload FROM raw_report WHERE id = $1', [id]);

    const retry = await a(hub);
    expect([retry.status, retry.body.id, retry.body.duplicate]).toEqual([202, id, true]);

    const before = await hub.snapshot();
    const conflict = await b(hub);
    expect(conflict.status).toBe(409);
    expect(String(conflict.body.message)).toContain(`report ${id} was already received with different content`);
    expect(await hub.snapshot()).toEqual(before);
    expect(await hub.db.query('SELECT content_sha256, payload FROM raw_report WHERE id = $1', [id])).toEqual(stored);
  });
});
