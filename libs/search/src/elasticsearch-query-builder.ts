import type { estypes } from '@elastic/elasticsearch';
import type { CandidateQuery } from '../../contracts/src';
import type { CandidatePage } from './candidate-search';
import { hardwareFilterGroups } from './hardware-filter-groups';

/** Terms-agg orderings per sort; `_key` breaks ties so pages are stable (as `c.id` does in SQL). */
const ORDERS: Record<CandidateQuery['sort'], Record<string, estypes.SortOrder>> = {
  count: { _count: 'desc' },
  lastSeen: { last_seen: 'desc' },
  hosts: { hosts: 'desc' },
  hot: { hot: 'desc' },
};

/** Counts are close to exact below this (the highest threshold the cardinality agg allows). */
const TOTAL_PRECISION = 40_000;
/** Per candidate: close to exact below this many hosts, while per-bucket memory stays small. */
const HOSTS_PRECISION = 3_000;

interface CandidateBucket {
  key: string;
  doc_count: number;
  hosts: { value: number };
  last_seen: { value: number | null };
  hot: { doc_count: number };
}

/** The slice of the response buildCandidateSearchRequest asks for. */
export interface CandidateAggregations {
  candidates?: { buckets?: CandidateBucket[] };
  /** `value` from the cardinality agg, `count` from stats_bucket when date windows apply. */
  total?: { value?: number | null; count?: number };
}

export interface CandidateSearchLimits {
  /**
   * Most candidates one query ranks: caps the terms agg when date windows must see every
   * candidate, and bounds how deep paging reaches. Windowed queries bucket every candidate
   * twice, so keep it under half of search.max_buckets (65,536 by default).
   */
  maxCandidates: number;
}

/**
 * One search request ranking candidates from per-report documents: the filters select reports,
 * a terms agg on candidateId groups them, and its order implements q.sort.
 */
export function buildCandidateSearchRequest(
  index: string,
  q: CandidateQuery,
  hotSince: Date,
  limits: CandidateSearchLimits,
): estypes.SearchRequest {
  const window = windowSelector(q);
  const lastSeen: estypes.AggregationsAggregationContainer = { max: { field: 'crashedAt' } };
  const seen: Record<string, estypes.AggregationsAggregationContainer> = window
    ? { first_seen: { min: { field: 'crashedAt' } }, last_seen: lastSeen, window }
    : {};
  const candidates: estypes.AggregationsAggregationContainer = {
    terms: {
      field: 'candidateId',
      // The terms agg keeps only its top `size` buckets: enough to reach the end of the page, or
      // every candidate when date windows prune buckets after grouping.
      size: window ? limits.maxCandidates : Math.min(q.offset + q.limit, limits.maxCandidates),
      order: [ORDERS[q.sort], { _key: 'asc' }],
    },
    aggs: {
      hosts: { cardinality: { field: 'hostKey', precision_threshold: HOSTS_PRECISION } },
      last_seen: lastSeen,
      hot: { filter: { range: { crashedAt: { gte: hotSince.toISOString() } } } },
      // Declared before `page`, so the window selector prunes before bucket_sort cuts the page.
      ...seen,
      page: { bucket_sort: { from: q.offset, size: q.limit } },
    },
  };
  const request: estypes.SearchRequest = {
    index,
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: reportFilters(q) } },
  };
  if (!window) {
    return { ...request, aggs: { candidates, total: { cardinality: { field: 'candidateId', precision_threshold: TOTAL_PRECISION } } } };
  }
  return {
    ...request,
    aggs: {
      candidates,
      // Cardinality cannot see the selector, and a sibling pipeline on `candidates` would see only
      // the page; so an unpaged twin is counted, and its buckets are left out of the response.
      windowed: { terms: { field: 'candidateId', size: limits.maxCandidates }, aggs: seen },
      total: { stats_bucket: { buckets_path: 'windowed>_count' } },
    },
    filter_path: ['aggregations.candidates.buckets', 'aggregations.total'],
  };
}

function reportFilters(q: CandidateQuery): estypes.QueryDslQueryContainer[] {
  const filters: estypes.QueryDslQueryContainer[] = [];
  const terms = (field: string, values: string[] | undefined) => {
    if (values?.length) filters.push({ terms: { [field]: values } });
  };
  terms('family', q.type);
  terms('component', q.component);
  terms('triageState', q.state);
  terms('packageVersion', q.packageVersion);
  terms('osRelease', q.osRelease);
  terms('kernel', q.kernel);
  if (q.label) {
    const at = q.label.indexOf('=');
    filters.push({ term: { [`labels.${q.label.slice(0, at)}`]: q.label.slice(at + 1) } });
  }
  if (q.function) filters.push(functionFilter(q.function));
  for (const group of hardwareFilterGroups(q)) terms('hardwareAttrs', group);
  return filters;
}

/**
 * Substring of a frame name, case-insensitive, like the SQL backend's ILIKE; the phrase matches
 * also catch words inside the signature text.
 */
function functionFilter(text: string): estypes.QueryDslQueryContainer {
  return {
    bool: {
      should: [
        { wildcard: { functions: { value: `*${text.replace(/[\\*?]/g, (ch) => `\\${ch}`)}*`, case_insensitive: true } } },
        { match_phrase: { 'functions.text': text } },
        { match_phrase: { signatureText: text } },
      ],
      minimum_should_match: 1,
    },
  };
}

/** A bucket_selector over the matched reports' first/last crash, or null without windows. */
function windowSelector(q: CandidateQuery): estypes.AggregationsAggregationContainer | null {
  const bounds = [
    { variable: 'first_seen', op: '>=', param: 'first_seen_from', iso: q.firstSeenFrom },
    { variable: 'first_seen', op: '<', param: 'first_seen_to', iso: q.firstSeenTo },
    { variable: 'last_seen', op: '>=', param: 'last_seen_from', iso: q.lastSeenFrom },
    { variable: 'last_seen', op: '<', param: 'last_seen_to', iso: q.lastSeenTo },
  ].filter((b) => b.iso !== undefined);
  if (!bounds.length) return null;
  return {
    bucket_selector: {
      buckets_path: { first_seen: 'first_seen', last_seen: 'last_seen' },
      script: {
        source: bounds.map((b) => `params.${b.variable} ${b.op} params.${b.param}`).join(' && '),
        // Bounds travel as params so the compiled script is cached across queries.
        params: Object.fromEntries(bounds.map((b) => [b.param, Date.parse(b.iso!)])),
      },
    },
  };
}

/** Turns the aggregations of a buildCandidateSearchRequest response into a page of hits. */
export function readCandidatePage(aggs: CandidateAggregations | undefined): CandidatePage {
  const items = (aggs?.candidates?.buckets ?? []).map((b) => ({
    id: b.key,
    matchedReports: b.doc_count,
    matchedHosts: b.hosts.value,
    hotCount: b.hot.doc_count,
    // Every bucket holds at least one report, and crashedAt is required, so max is never null.
    lastSeen: new Date(b.last_seen.value ?? 0),
  }));
  return { total: aggs?.total?.value ?? aggs?.total?.count ?? 0, items };
}
