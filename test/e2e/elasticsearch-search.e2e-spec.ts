import { FakeElasticsearch } from '../support/fake-elasticsearch';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

/** The hub with SEARCH_BACKEND=elasticsearch, against a local server speaking the ES REST API. */
describe('candidate search on the Elasticsearch backend', () => {
  let es: FakeElasticsearch;
  let hub: TestHub;

  beforeAll(async () => {
    es = await FakeElasticsearch.start();
    hub = await startTestHub('essearch', { SEARCH_BACKEND: 'elasticsearch', ELASTICSEARCH_URL: es.url, ELASTICSEARCH_INDEX: 'hub-test' });
  });
  afterAll(async () => {
    await hub.close();
    await es.close();
  });

  /** Each call is its own crash (own pid): the same archive twice would be one. */
  let pid = 100;
  async function crash(fn: string, version: string): Promise<string> {
    const archive = problemDirArchive({
      pid: String(++pid),
      type: 'CCpp',
      component: 'vzes',
      pkg_name: 'vzes',
      pkg_version: version,
      pkg_release: '1',
      backtrace: `#0  0x0000000000401136 in ${fn} () at e.c:3\n#1  0x0000000000401150 in ${fn}_caller () at e.c:9\n`,
    });
    const res = await hub.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(archive).expect(202);
    await hub.settled(res.body.id);
    return (await hub.db.query('SELECT candidate_id FROM crash_report WHERE id = $1', [res.body.id]))[0].candidate_id;
  }

  it('indexes processed reports and ranks candidates from the index, rows from PostgreSQL', async () => {
    const hot = await crash('es_hot', '1.0');
    await crash('es_hot', '1.0');
    await crash('es_hot', '1.1');
    const cold = await crash('es_cold', '2.0');
    expect(es.requests.some((r) => r.includes('_bulk'))).toBe(true);

    const list = await hub.as('viewer').get('/api/v1/candidates').query({ component: 'vzes', sort: 'count' }).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([hot, cold]);
    expect(list.body.items[0]).toMatchObject({ reportCount: 3, matchedReports: 3, signatureText: expect.stringContaining('es_hot') });

    const filtered = await hub.as('viewer').get('/api/v1/candidates').query({ packageVersion: '1.1-1' }).expect(200);
    expect(filtered.body.items.map((c: { id: string; matchedReports: number }) => [c.id, c.matchedReports])).toEqual([[hot, 1]]);

    // A merge moves reports; the index follows, so the merged-away candidate no longer ranks.
    await hub.as('qa').post(`/api/v1/candidates/${hot}/merge`).send({ sourceId: cold }).expect(200);
    const merged = await hub.as('viewer').get('/api/v1/candidates').query({ component: 'vzes' }).expect(200);
    expect(merged.body.items.map((c: { id: string; matchedReports: number }) => [c.id, c.matchedReports])).toEqual([[hot, 4]]);
    const health = await hub.http.get('/health').expect(200);
    expect(health.body.info.search.status).toBe('up');
  });

  it('filters by triage state from the index, which follows a mute and its lifting', async () => {
    const muted = await crash('es_state_muted', '3.0');
    const open = await crash('es_state_open', '3.0');
    const ids = async (state: string) =>
      (await hub.as('viewer').get('/api/v1/candidates').query({ component: 'vzes', state, sort: 'lastSeen' }).expect(200)).body.items.map((c: { id: string }) => c.id);
    expect(await ids('new')).toEqual(expect.arrayContaining([muted, open]));
    await hub.as('qa').put(`/api/v1/candidates/${muted}/triage/manual`).send({ kind: 'muted' }).expect(200);
    expect(await ids('muted,ignored')).toEqual([muted]);
    expect(await ids('new')).not.toContain(muted);
    expect(await ids('new')).toContain(open);
    await hub.as('qa').delete(`/api/v1/candidates/${muted}/triage/manual`).expect(200);
    expect(await ids('muted')).toEqual([]);
    expect(await ids('new')).toContain(muted);
  });
});
