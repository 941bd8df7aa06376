import type { estypes } from '@elastic/elasticsearch';
import { CandidateQuerySchema } from '../../contracts/src';
import { buildCandidateSearchRequest, readCandidatePage } from './elasticsearch-query-builder';

const HOT = new Date('2026-11-06T12:00:00.000Z');
const LIMITS = { maxCandidates: 1000 };
const build = (input: Record<string, string | number>) =>
  buildCandidateSearchRequest('hub-candidates', CandidateQuerySchema.parse(input), HOT, LIMITS);
const filters = (input: Record<string, string | number>) =>
  (build(input).query as { bool: { filter: estypes.QueryDslQueryContainer[] } }).bool.filter;
const candidates = (req: estypes.SearchRequest) => req.aggs!.candidates!;

describe('buildCandidateSearchRequest', () => {
  it('asks only for aggregations over the alias', () => {
    const req = build({});
    expect(req).toMatchObject({ index: 'hub-candidates', size: 0, track_total_hits: false, query: { bool: { filter: [] } } });
    expect(req.filter_path).toBeUndefined();
  });

  it('groups reports by candidate with the per-candidate metrics', () => {
    const aggs = candidates(build({})).aggs!;
    expect(aggs.hosts).toEqual({ cardinality: { field: 'hostKey', precision_threshold: 3000 } });
    expect(aggs.last_seen).toEqual({ max: { field: 'crashedAt' } });
    expect(aggs.hot).toEqual({ filter: { range: { crashedAt: { gte: '2026-11-06T12:00:00.000Z' } } } });
    expect(aggs.first_seen).toBeUndefined();
    expect(build({}).aggs!.total).toEqual({ cardinality: { field: 'candidateId', precision_threshold: 40000 } });
  });

  it.each([
    ['count', { _count: 'desc' }],
    ['lastSeen', { last_seen: 'desc' }],
    ['hosts', { hosts: 'desc' }],
    ['hot', { hot: 'desc' }],
  ])('orders sort=%s by %j, ties by candidate id', (sort, order) => {
    expect(candidates(build({ sort })).terms).toMatchObject({ field: 'candidateId', order: [order, { _key: 'asc' }] });
  });

  it('buckets exactly as many candidates as the page reaches, then cuts the page out', () => {
    const agg = candidates(build({ limit: 20, offset: 40 }));
    expect(agg.terms!.size).toBe(60);
    expect(agg.aggs!.page).toEqual({ bucket_sort: { from: 40, size: 20 } });
    expect(candidates(build({ limit: 500, offset: 900 })).terms!.size).toBe(1000);
  });

  it.each([
    [{ type: 'core, python' }, { terms: { family: ['core', 'python'] } }],
    [{ component: 'glib2' }, { terms: { component: ['glib2'] } }],
    [{ packageVersion: '1.0,2.0' }, { terms: { packageVersion: ['1.0', '2.0'] } }],
    [{ osRelease: 'vz9' }, { terms: { osRelease: ['vz9'] } }],
    [{ kernel: '5.14.0-362' }, { terms: { kernel: ['5.14.0-362'] } }],
    [{ label: 'rig=alpha' }, { term: { 'labels.rig': 'alpha' } }],
    [{ label: 'test.name=a=b' }, { term: { 'labels.test.name': 'a=b' } }],
    [{ label: 'empty=' }, { term: { 'labels.empty': '' } }],
  ])('filters reports on %j', (input, clause) => {
    expect(filters(input)).toEqual([clause]);
  });

  it('skips empty lists', () => {
    expect(filters({ type: ' , ', component: '' })).toEqual([]);
  });

  it('matches function text as a case-insensitive substring or a phrase', () => {
    expect(filters({ function: 'g_main_loop' })).toEqual([
      {
        bool: {
          should: [
            { wildcard: { functions: { value: '*g_main_loop*', case_insensitive: true } } },
            { match_phrase: { 'functions.text': 'g_main_loop' } },
            { match_phrase: { signatureText: 'g_main_loop' } },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
  });

  it('escapes wildcard metacharacters so they match literally', () => {
    const [clause] = filters({ function: 'a*b?c\\d' });
    expect(clause!.bool!.should).toContainEqual({ wildcard: { functions: { value: '*a\\*b\\?c\\\\d*', case_insensitive: true } } });
  });

  it('combines every filter in one bool filter', () => {
    expect(filters({ type: 'core', kernel: 'k', label: 'rig=b', function: 'f' })).toHaveLength(4);
  });

  describe('with first/last-seen windows', () => {
    const req = build({
      firstSeenFrom: '2026-10-01T00:00:00Z',
      lastSeenTo: '2026-11-01T02:00:00+02:00',
      sort: 'hot',
      limit: 10,
      offset: 5,
    });

    it('prunes candidate buckets on their first and last matched crash', () => {
      const aggs = candidates(req).aggs!;
      expect(aggs.first_seen).toEqual({ min: { field: 'crashedAt' } });
      expect(aggs.window).toEqual({
        bucket_selector: {
          buckets_path: { first_seen: 'first_seen', last_seen: 'last_seen' },
          script: {
            source: 'params.first_seen >= params.first_seen_from && params.last_seen < params.last_seen_to',
            params: { first_seen_from: Date.parse('2026-10-01T00:00:00Z'), last_seen_to: Date.parse('2026-11-01T00:00:00Z') },
          },
        },
      });
    });

    it('buckets every candidate and prunes before paging', () => {
      const agg = candidates(req);
      expect(agg.terms).toMatchObject({ size: 1000, order: [{ hot: 'desc' }, { _key: 'asc' }] });
      const names = Object.keys(agg.aggs!);
      expect(names.indexOf('window')).toBeLessThan(names.indexOf('page'));
      expect(agg.aggs!.page).toEqual({ bucket_sort: { from: 5, size: 10 } });
    });

    it('counts the surviving candidates with an unpaged twin, left out of the response', () => {
      expect(req.aggs!.windowed).toEqual({
        terms: { field: 'candidateId', size: 1000 },
        aggs: { first_seen: candidates(req).aggs!.first_seen, last_seen: candidates(req).aggs!.last_seen, window: candidates(req).aggs!.window },
      });
      expect(req.aggs!.total).toEqual({ stats_bucket: { buckets_path: 'windowed>_count' } });
      expect(req.filter_path).toEqual(['aggregations.candidates.buckets', 'aggregations.total']);
    });

    it.each([
      [{ firstSeenTo: '2026-01-01T00:00:00Z' }, 'params.first_seen < params.first_seen_to'],
      [{ lastSeenFrom: '2026-01-01T00:00:00Z' }, 'params.last_seen >= params.last_seen_from'],
    ])('uses %j as %s', (input, source) => {
      expect(candidates(build(input)).aggs!.window!.bucket_selector!.script).toMatchObject({ source });
    });
  });
});

describe('readCandidatePage', () => {
  const bucket = (key: string, docs: number, hosts: number, hot: number, last: number) => ({
    key,
    doc_count: docs,
    hosts: { value: hosts },
    last_seen: { value: last, value_as_string: new Date(last).toISOString() },
    hot: { doc_count: hot },
  });

  it('maps buckets to hits in response order', () => {
    const last = Date.parse('2026-11-01T10:00:00Z');
    expect(readCandidatePage({ candidates: { buckets: [bucket('b', 5, 2, 1, last), bucket('a', 3, 3, 0, last - 1)] }, total: { value: 12 } })).toEqual({
      total: 12,
      items: [
        { id: 'b', matchedReports: 5, matchedHosts: 2, hotCount: 1, lastSeen: new Date(last) },
        { id: 'a', matchedReports: 3, matchedHosts: 3, hotCount: 0, lastSeen: new Date(last - 1) },
      ],
    });
  });

  it('reads the windowed total from stats_bucket', () => {
    expect(readCandidatePage({ candidates: { buckets: [] }, total: { count: 4 } }).total).toBe(4);
  });

  it('reads an answer that filter_path emptied', () => {
    expect(readCandidatePage(undefined)).toEqual({ total: 0, items: [] });
    expect(readCandidatePage({ total: { count: 0 } })).toEqual({ total: 0, items: [] });
  });
});
