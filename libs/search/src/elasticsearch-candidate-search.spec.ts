import { Client } from '@elastic/elasticsearch';
import { FakeElasticsearch } from '../../../test/support/fake-elasticsearch';
import { describeRankingContract, expectedPage, FILTERS, HOT_SINCE, query, SORTS, syntheticReports } from '../test/candidate-search-fixture';
import { CRASH_REPORT_MAPPINGS } from './elasticsearch-candidate-index';
import { ElasticsearchCandidateSearch } from './elasticsearch-candidate-search';
import { buildCandidateSearchRequest } from './elasticsearch-query-builder';

describe('ElasticsearchCandidateSearch (against the fake server)', () => {
  let fake: FakeElasticsearch;
  let client: Client;
  let search: ElasticsearchCandidateSearch;
  const docs = syntheticReports();

  beforeAll(async () => {
    fake = await FakeElasticsearch.start();
    client = new Client({ node: fake.url });
    search = new ElasticsearchCandidateSearch(client, { index: 'hub-candidates' });
    await search.indexReports(docs);
  });

  afterAll(async () => {
    await client.close();
    await fake.close();
  });

  it('holds enough variety for the ranking checks to mean something', () => {
    expect(docs.length).toBeGreaterThanOrEqual(30);
    expect(new Set(docs.map((d) => d.candidateId)).size).toBe(8);
    for (const sort of SORTS) {
      const ids = expectedPage(docs, query({ sort }), HOT_SINCE).items.map((h) => h.id);
      expect(ids).toHaveLength(8);
      if (sort !== 'count') expect(ids).not.toEqual(expectedPage(docs, query({ sort: 'count' }), HOT_SINCE).items.map((h) => h.id));
    }
    // Each filter keeps something and changes the answer (which candidates, or their counts).
    const unfiltered = expectedPage(docs, query({}), HOT_SINCE);
    for (const filter of FILTERS.slice(1, -1)) {
      const page = expectedPage(docs, query(filter), HOT_SINCE);
      expect({ filter, matchesSome: page.total > 0 }).toEqual({ filter, matchesSome: true });
      expect({ filter, page }).not.toEqual({ filter, page: unfiltered });
    }
  });

  it('creates a versioned index behind an alias, with explicit mappings', () => {
    expect(fake.aliases.get('hub-candidates')).toBe('hub-candidates_v2');
    expect(fake.indices.get('hub-candidates_v2')?.mappings).toEqual(CRASH_REPORT_MAPPINGS);
    expect(fake.indices.get('hub-candidates_v2')?.docs.size).toBe(docs.length);
    expect(fake.requests.slice(0, 3)).toEqual(['HEAD /hub-candidates', 'PUT /hub-candidates_v2', 'POST /_bulk']);
  });

  describeRankingContract(() => search, docs);

  it('leaves the windowed twin aggregation out of the response', async () => {
    const q = query({ lastSeenFrom: '2026-10-01T00:00:00Z' });
    const response = await client.search(buildCandidateSearchRequest('hub-candidates', q, HOT_SINCE, { maxCandidates: 100 }));
    expect(Object.keys(response)).toEqual(['aggregations']);
    expect(Object.keys(response.aggregations!)).toEqual(['candidates', 'total']);
  });

  it('counts a host once and ignores reports without one', async () => {
    const page = await search.search(query({ sort: 'hosts', limit: 500 }), HOT_SINCE);
    for (const hit of page.items) {
      const mine = docs.filter((d) => d.candidateId === hit.id);
      expect(hit.matchedHosts).toBe(new Set(mine.flatMap((d) => (d.hostKey ? [d.hostKey] : []))).size);
    }
  });

  it('moves a re-indexed report to its new candidate and forgets removed ones', async () => {
    const fresh = new ElasticsearchCandidateSearch(client, { index: 'hub-moves' });
    const local = syntheticReports();
    await fresh.indexReports(local);
    const moved = local.filter((d) => d.candidateId === local[0]!.candidateId).slice(0, 3);
    const target = local[local.length - 1]!.candidateId;
    await fresh.indexReports(moved.map((d) => ({ ...d, candidateId: target })));
    await fresh.removeReports([local[10]!.reportId, local[11]!.reportId, '10000000-0000-4000-8000-0000deadbeef']);
    const now = local
      .filter((d) => d !== local[10] && d !== local[11])
      .map((d) => (moved.includes(d) ? { ...d, candidateId: target } : d));
    const q = query({ sort: 'count' });
    await expect(fresh.search(q, HOT_SINCE)).resolves.toEqual(expectedPage(now, q, HOT_SINCE));
  });

  it('searches an empty index (creating it) without failing', async () => {
    const empty = new ElasticsearchCandidateSearch(client, { index: 'hub-empty' });
    await expect(empty.search(query({}), HOT_SINCE)).resolves.toEqual({ total: 0, items: [] });
    await expect(empty.search(query({ firstSeenFrom: '2026-01-01T00:00:00Z' }), HOT_SINCE)).resolves.toEqual({ total: 0, items: [] });
    expect(fake.aliases.get('hub-empty')).toBe('hub-empty_v2');
  });

  it('tolerates another process creating the index at the same time', async () => {
    const a = new ElasticsearchCandidateSearch(client, { index: 'hub-race' });
    const b = new ElasticsearchCandidateSearch(client, { index: 'hub-race' });
    await Promise.all([a.indexReports(docs.slice(0, 2)), b.indexReports(docs.slice(2, 4))]);
    expect(fake.requests.filter((r) => r === 'PUT /hub-race_v2')).toHaveLength(2);
    expect(fake.indices.get('hub-race_v2')?.docs.size).toBe(4);
  });

  it('reports documents the index rejects', async () => {
    const bad = { ...docs[0]!, reportId: '10000000-0000-4000-8000-00000000bad0', extra: 1 };
    await expect(search.indexReports([docs[1]!, bad])).rejects.toThrow(
      /1 of 2 operations failed; first: 10000000-0000-4000-8000-00000000bad0: strict_dynamic_mapping_exception/,
    );
  });

  it('does not touch the server for empty batches', async () => {
    const before = fake.requests.length;
    await search.indexReports([]);
    await search.removeReports([]);
    expect(fake.requests.length).toBe(before);
  });

  it('pings the server, and fails when it is gone', async () => {
    await expect(search.ping()).resolves.toBeUndefined();
    const gone = await FakeElasticsearch.start();
    const goneClient = new Client({ node: gone.url, maxRetries: 0 });
    await gone.close();
    await expect(new ElasticsearchCandidateSearch(goneClient, { index: 'x' }).ping()).rejects.toThrow();
    await goneClient.close();
  });
});
