import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

const UPSTREAM = join(__dirname, '..', 'fixtures', 'upstream');
const UREPORT_CORE = readFileSync(join(UPSTREAM, 'faf/tests/sample_reports/ureport_core'), 'utf8');
/** ABRT Analytics' answer to reporter-ureport, as abrt's own test server gives it. */
const FAF_ANSWER = JSON.parse(readFileSync(join(UPSTREAM, 'abrt/tests/runtests/ureport/fakefaf-response.json'), 'utf8'));
/** What libreport wrote into a problem dir from such answers. */
const FAF_REPORTED_TO = readFileSync(join(UPSTREAM, 'abrt/tests/runtests/ureport-attachments/ex_crash_dir/reported_to'), 'utf8');
const SATYR_DIR = join(UPSTREAM, 'satyr/tests/problem_dir');

/** satyr's CCpp problem dir (uuid, hostname, time, core_backtrace), with some elements replaced. */
function satyrDir(overrides: Record<string, string> = {}): Record<string, string> {
  const elements: Record<string, string> = {};
  for (const name of readdirSync(SATYR_DIR)) elements[name] = readFileSync(join(SATYR_DIR, name), 'utf8');
  return { ...elements, ...overrides };
}

/** The same URL with every number and hash generalised: the shape FAF gives a link. */
function urlShape(url: string): string {
  return new URL(url).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{40}|\d+/g, '<id>').replace(/^\/faf/, '').replace(/\/$/, '');
}

describe('stock ABRT clients: one crash whichever client sends it, FAF answers, clear refusals', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('stock_clients');
  });
  afterAll(() => hub.close());

  async function occurrencesOf(reportIds: string[]): Promise<number> {
    const [row] = await hub.db.query('SELECT COALESCE(SUM(occurrences), 0)::int AS n FROM crash_report WHERE id = ANY($1::uuid[])', [reportIds]);
    return row.n;
  }

  async function upload(elements: Record<string, string>, dirName?: string) {
    return hub.http.put('/upload/problem.tar.gz').set('content-type', 'application/gzip').send(problemDirArchive(elements, dirName));
  }

  it('the same archive twice is one crash', async () => {
    const elements = satyrDir({ uuid: 'archive-twice-uuid' });
    const a = await upload(elements);
    const b = await upload(elements);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.duplicate).toBe(false);
    expect(b.body).toMatchObject({ duplicate: true, id: a.body.id });
    await hub.settled(a.body.id);
    const rows = await hub.db.query('SELECT count(*)::int AS n FROM raw_report WHERE crash_key = (SELECT crash_key FROM raw_report WHERE id = $1)', [a.body.id]);
    expect(rows[0].n).toBe(1);
    // ABRT's count in satyr's dir: the crash happened that many times, counted once.
    expect(await occurrencesOf([a.body.id])).toBe(Number(elements.count));
  });

  it('count 5 then 6 gives 6 occurrences, and a re-sent dir with the same count adds none', async () => {
    const five = await upload(satyrDir({ uuid: 'count-uuid', count: '5' }), 'ccpp-1');
    // ABRT rewrote count and last_occurrence; the archive differs byte for byte.
    const six = await upload(satyrDir({ uuid: 'count-uuid', count: '6', last_occurrence: '1461672000' }), 'ccpp-1');
    const again = await upload(satyrDir({ uuid: 'count-uuid', count: '6', last_occurrence: '1461672000' }), 'ccpp-1');
    expect([five.body.duplicate, six.body.duplicate, again.body.duplicate]).toEqual([false, false, true]);
    await hub.settled(five.body.id);
    await hub.settled(six.body.id);
    expect(await occurrencesOf([five.body.id, six.body.id])).toBe(6);
    const [candidate] = await hub.db.query('SELECT occurrence_count::int AS occurrence_count FROM bug_candidate WHERE id = (SELECT candidate_id FROM crash_report WHERE id = $1)', [six.body.id]);
    expect(candidate.occurrence_count).toBeGreaterThanOrEqual(6);
  });

  it('the same crash through /reports/new/ and then as an archive is one crash', async () => {
    const sent = await hub.http.post('/reports/new/').attach('file', Buffer.from(UREPORT_CORE), 'ureport.json');
    expect(sent.status).toBe(202);
    const ureportId = (sent.body.reported_to[0].value as string).split('/').pop()!;
    // What libreport writes into the dir after that answer (format of the abrt fixture).
    const reportedTo = [
      `uReport: BTHASH=${sent.body.bthash}`,
      `ABRT Server: URL=${hub.url}/reports/bthash/${sent.body.bthash}`,
      `ABRT Server: URL=${sent.body.reported_to[0].value}`,
    ].join('\n');
    const archive = await upload(satyrDir({ uuid: 'both-clients-uuid', reported_to: reportedTo, count: '1' }));
    expect(archive.status).toBe(202);
    expect(archive.body).toMatchObject({ duplicate: true, id: ureportId });
    await hub.settled(ureportId);
    expect(await occurrencesOf([ureportId])).toBe(1);
    // A later occurrence uploaded again adds exactly one.
    const later = await upload(satyrDir({ uuid: 'both-clients-uuid', reported_to: reportedTo, count: '2' }));
    expect(later.body.duplicate).toBe(false);
    await hub.settled(later.body.id);
    expect(await occurrencesOf([ureportId, later.body.id])).toBe(2);
  });

  it('a dir whose reported_to holds only the uReport BTHASH line (as in the abrt fixture) is matched by bthash', async () => {
    const ureport = JSON.parse(UREPORT_CORE);
    ureport.problem.stacktrace[0].frames[0].function_name = 'bthash_only_claim';
    const sent = await hub.http.post('/reports/new/').set('content-type', 'application/json').send(ureport).expect(202);
    const ureportId = (sent.body.reported_to[0].value as string).split('/').pop()!;
    const archive = await upload(satyrDir({ uuid: 'bthash-only-uuid', count: '1', reported_to: `uReport: BTHASH=${sent.body.bthash}\n` }));
    expect(archive.body).toMatchObject({ duplicate: true, id: ureportId });
    // The uReport is claimed once: another dir naming the same bthash is a crash of its own.
    const other = await upload(satyrDir({ uuid: 'bthash-only-other', count: '1', reported_to: `uReport: BTHASH=${sent.body.bthash}\n` }));
    expect(other.body.duplicate).toBe(false);
  });

  it('answers /reports/new/ field by field as ABRT Analytics does, attached RHBZ bugs included', async () => {
    const first = await hub.http.post('/reports/new/').set('content-type', 'application/json').send(UREPORT_CORE);
    await hub.settled((first.body.reported_to[0].value as string).split('/').pop()!);
    // reporter-ureport -A -b 1234 attaches the bug to the bthash (kept only from QA or a rig key).
    await hub.as('qa').post('/reports/attach/').send({ bthash: first.body.bthash, type: 'rhel-bugzilla', data: '851210' }).expect(202);
    const known = await hub.http.post('/reports/new/').attach('file', Buffer.from(UREPORT_CORE), 'ureport.json');
    expect(known.status).toBe(202);

    expect(Object.keys(known.body)).toEqual(expect.arrayContaining(Object.keys(FAF_ANSWER)));
    expect(known.body.result).toBe(FAF_ANSWER.result);
    expect(known.body.bthash).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof known.body.message).toBe('string');
    expect(known.body.reported_to).toHaveLength(FAF_ANSWER.reported_to.length);
    for (const [i, expected] of (FAF_ANSWER.reported_to as Array<{ reporter: string; type: string; value: string }>).entries()) {
      const got = known.body.reported_to[i];
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
      expect(got.reporter).toBe(expected.reporter);
      expect(got.type).toBe(expected.type);
      expect(urlShape(got.value)).toBe(urlShape(expected.value));
      expect(new URL(got.value).search.replace(/\d+/, '<id>')).toBe(new URL(expected.value).search.replace(/\d+/, '<id>'));
    }
    expect(known.body.reported_to[1].value).toBe('https://bugzilla.redhat.com/show_bug.cgi?id=851210');
    // Each item becomes a reported_to line like those libreport wrote in the abrt fixture.
    const fixtureLines = FAF_REPORTED_TO.split('\n').filter((l) => /^(ABRT Server|Bugzilla): URL=/.test(l) && !l.includes('/bthash/'));
    const ourLines = (known.body.reported_to as Array<{ reporter: string; value: string }>).map((r) => `${r.reporter}: URL=${r.value}`);
    const shape = (line: string) => `${line.split(':')[0]} ${urlShape(line.slice(line.indexOf('URL=') + 4))}`;
    expect(new Set(ourLines.map(shape))).toEqual(new Set(fixtureLines.map(shape)));
  });

  it('the links libreport keeps resolve: /reports/bthash/<hash> to the candidate, /reports/<id> to the report', async () => {
    const sent = await hub.http.post('/reports/new/').set('content-type', 'application/json').send(UREPORT_CORE);
    const id = (sent.body.reported_to[0].value as string).split('/').pop()!;
    await hub.settled(id);
    const [row] = await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [id]);
    const viewer = hub.as('viewer');
    const bthash = await viewer.get(`/reports/bthash/${sent.body.bthash}`).redirects(0);
    expect(bthash.status).toBe(302);
    expect(bthash.headers.location).toBe(`/candidates/${row.candidate_id}`);
    const candidate = await viewer.get(bthash.headers.location);
    expect(candidate.status).toBe(200);
    expect(candidate.text).toContain(`<code>${(row.candidate_id as string).slice(0, 8)}</code>`);
    const report = await viewer.get(`/reports/${id}`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toMatch(/text\/html/);
    expect(report.text).toContain(`/candidates/${row.candidate_id}`);
    expect((await viewer.get(`/reports/bthash/${'0'.repeat(40)}`)).status).toBe(404);
    // Without a session a person is sent to sign in, never shown the crash.
    expect((await hub.http.get(`/reports/${id}`).redirects(0)).status).toBeGreaterThanOrEqual(300);
  });

  it('a content type a door does not take gets 415 listing the accepted types; nothing is stored', async () => {
    const before = await hub.snapshot();
    const faf = await hub.http.post('/reports/new/').set('content-type', 'application/xml').send('<ureport/>');
    expect(faf.status).toBe(415);
    expect(faf.body.error).toMatch(/multipart\/form-data, application\/json/);
    const archive = await hub.http.post('/api/v1/crash-archives').set('content-type', 'text/html').send('<html/>');
    expect(archive.status).toBe(415);
    expect(archive.body.message).toMatch(/application\/gzip/);
    const cep = await hub.http.post('/api/v1/cep-reports').set('content-type', 'application/json').send('{}');
    expect(cep.status).toBe(415);
    const crash = await hub.http.post('/api/v1/crash-reports').set('content-type', 'application/gzip').send(Buffer.from([0x1f, 0x8b]));
    expect(crash.status).toBe(415);
    expect(crash.body.message).toMatch(/accepted: application\/json/);
    expect(await hub.snapshot()).toEqual(before);
  });

  it('a JSON body sent as curl --data does gets a hint to send application/json or a multipart file', async () => {
    // curl --data @ureport.json sends application/x-www-form-urlencoded.
    const res = await hub.http.post('/reports/new/').set('content-type', 'application/x-www-form-urlencoded').send(UREPORT_CORE);
    expect(res.status).toBe(415);
    expect(res.body.error).toMatch(/Content-Type: application\/json/);
    expect(res.body.error).toMatch(/multipart\/form-data field named `file`/);
    const native = await hub.http.post('/api/v1/crash-reports').set('content-type', 'text/plain').send(UREPORT_CORE);
    expect(native.status).toBe(415);
    expect(native.body.message).toMatch(/Content-Type: application\/json/);
  });
});
