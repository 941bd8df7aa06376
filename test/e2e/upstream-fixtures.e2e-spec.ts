import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Compression, tarDirectory } from '../support/archive-builder';
import { startTestHub, TestHub } from '../support/test-hub';

const UPSTREAM = join(__dirname, '..', 'fixtures', 'upstream');

/** What ABRT Analytics itself does with each sample: accepts it, or refuses it for this reason. */
const UREPORT_EXPECTATIONS: Record<string, RegExp | 'accepted'> = {
  'faf/tests/sample_reports/ureport_core_invalid': /file_name/,
  'faf/tests/sample_reports/ureport1': /ureport_version 1 is obsolete/,
  'faf/tests/sample_reports/ureport_f20': /ureport_version 1 is obsolete/,
  'faf/tests/sample_reports/ureport_solution_99': /ureport_version 1 is obsolete/,
  'faf/tests/sample_reports/low_quality1': /ureport_version/,
  'faf/docs/ureport_sample': /ureport_version 1 is obsolete/,
  'satyr/tests/json_files/core-01': /ureport_version/,
};
const ATTACHMENTS = ['bugzilla_attachment', 'comment_attachment', 'contact_email_attachment', 'url_attachment'].map(
  (f) => `faf/tests/sample_reports/${f}`,
);

function ureportFiles(): string[] {
  const dirs = ['faf/tests/sample_reports', 'faf/docs', 'satyr/tests/json_files'];
  return dirs
    .flatMap((d) => readdirSync(join(UPSTREAM, d)).map((f) => `${d}/${f}`))
    .filter((f) => !ATTACHMENTS.includes(f) && !f.endsWith('attachment_sample'));
}

const PROBLEM_DIRS: Array<{ dir: string; compression: Compression; expect: 'processed' | RegExp }> = [
  { dir: 'satyr/tests/problem_dir', compression: 'gz', expect: 'processed' },
  { dir: 'libreport/src/plugins/python/fixtures/sample_problem', compression: 'xz', expect: 'processed' },
  { dir: 'abrt/tests/runtests/bugzilla-comment-format/problem_dir', compression: 'bz2', expect: 'processed' },
  { dir: 'libreport/tests/sample_problems/1', compression: 'gz', expect: 'processed' },
  { dir: 'abrt/tests/runtests/bugzilla-dupe-search/avc-problem-dir', compression: 'gz', expect: /unknown problem type 'libreport'/ },
  { dir: 'abrt/tests/runtests/ureport-attachments/ex_crash_dir', compression: 'gz', expect: /CCpp problem directory has no stack/ },
];

describe('upstream fixtures through the hub', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('upstream');
  });
  afterAll(() => hub.close());

  it.each(ureportFiles())('uReport %s is accepted or refused as FAF would', async (file) => {
    const body = readFileSync(join(UPSTREAM, file));
    const expected = UREPORT_EXPECTATIONS[file] ?? 'accepted';
    const res = await hub.http.post('/reports/new/').attach('file', body, 'ureport.json');
    if (expected === 'accepted') {
      expect(res.status).toBe(202);
      expect(res.body.bthash).toMatch(/^[0-9a-f]{40}$/);
      const id = (res.body.reported_to[0].value as string).split('/').pop()!;
      const final = await hub.settled(id);
      expect(final).toEqual({ status: 'processed', reject_reason: null });
    } else {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(expected);
    }
  });

  it.each(ATTACHMENTS)('attachment %s links to a bthash', async (file) => {
    const body = readFileSync(join(UPSTREAM, file));
    const res = await hub.as('qa').post('/reports/attach/').attach('file', body, 'attachment.json');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ result: true, stored: true });
    const rows = await hub.db.query('SELECT bthash, type FROM report_attachment WHERE bthash = $1', [JSON.parse(body.toString()).bthash]);
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(PROBLEM_DIRS)('problem directory $dir ($compression)', async ({ dir, compression, expect: expected }) => {
    const archive = tarDirectory(join(UPSTREAM, dir), compression, 'ccpp-2024-01-02-03:04:05.123456-4242');
    const res = await hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(archive);
    if (expected === 'processed') {
      expect(res.status).toBe(202);
      const final = await hub.settled(res.body.id);
      expect(final).toEqual({ status: 'processed', reject_reason: null });
      const report = await hub.db.query('SELECT candidate_id, normalized_frames FROM crash_report WHERE id = $1', [res.body.id]);
      expect(report[0].normalized_frames.length).toBeGreaterThan(0);
      const detail = await hub.as('viewer').get(`/api/v1/candidates/${report[0].candidate_id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.reports.map((r: { id: string }) => r.id)).toContain(res.body.id);
    } else {
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(expected);
    }
  });

  it('serves its OpenAPI document and health', async () => {
    const doc = await hub.http.get('/api/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/reports/new', '/api/v1/crash-reports', '/api/v1/crash-archives', '/api/v1/candidates', '/api/v1/cep-reports']),
    );
    const health = await hub.http.get('/health').expect(200);
    expect(health.body.info).toMatchObject({ database: { status: 'up' }, queue: { status: 'up' }, search: { status: 'up' } });
  });

  it('a FAF duplicate is answered as known, with its tracker link', async () => {
    const first = readFileSync(join(UPSTREAM, 'faf/tests/sample_reports/ureport_duplicate'));
    const a = await hub.http.post('/reports/new/').set('content-type', 'application/json').send(first.toString());
    await hub.settled((a.body.reported_to[0].value as string).split('/').pop()!);
    await hub.as('qa').post('/reports/attach/').send({ bthash: a.body.bthash, type: 'rhel-bugzilla', data: '1234567' }).expect(202);
    const b = await hub.http.post('/reports/new/').set('content-type', 'application/json').send(first.toString());
    expect(b.status).toBe(202);
    expect(b.body.result).toBe(true);
    expect(b.body.bthash).toBe(a.body.bthash);
    expect(b.body.reported_to).toEqual(expect.arrayContaining([{ reporter: 'rhel-bugzilla', type: 'bug', value: '1234567' }]));
  });
});
