import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test-only Elasticsearch 8 speaking the REST shapes @elastic/elasticsearch 8.19 uses for the
 * hub's candidate search: ping, index exists/create with aliases, _bulk and _search. Queries and
 * aggregations are evaluated in memory over the stored documents, using the index mappings the
 * way Elasticsearch does (keyword = exact, text = analyzed words, date = epoch ms, flattened
 * leaves = keywords). Anything outside that subset is answered with a 400, never guessed at.
 * Writes are visible at once (as if every request refreshed).
 */

// Request bodies are arbitrary JSON; the evaluator checks what it reads and throws otherwise.
type Json = any;

interface FieldMapping {
  type: string;
  ignore_above?: number;
  fields?: Record<string, FieldMapping>;
}

export interface FakeIndex {
  name: string;
  mappings: { dynamic?: boolean | 'strict' | 'true' | 'false'; properties: Record<string, FieldMapping> };
  settings: Json;
  docs: Map<string, Record<string, unknown>>;
}

class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
  ) {
    super(reason);
  }
}

export class FakeElasticsearch {
  readonly indices = new Map<string, FakeIndex>();
  /** alias → physical index */
  readonly aliases = new Map<string, string>();
  /** "METHOD /path" of every request, for asserting what the client sent. */
  readonly requests: string[] = [];
  private nextId = 1;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeElasticsearch> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeElasticsearch(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    // The client refuses any 2xx response without this header (its "product check").
    res.setHeader('x-elastic-product', 'Elasticsearch');
    try {
      const { status, body } = this.route(method, url, Buffer.concat(chunks).toString('utf8'));
      this.send(res, method, status, body);
    } catch (err) {
      const e = err instanceof EsError ? err : new EsError(500, 'fake_internal_error', String(err));
      const cause = { type: e.type, reason: e.message };
      this.send(res, method, e.status, { error: { root_cause: [cause], ...cause }, status: e.status });
    }
  }

  private send(res: http.ServerResponse, method: string, status: number, body: unknown): void {
    const text = method === 'HEAD' || body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private route(method: string, url: URL, raw: string): { status: number; body?: unknown } {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0 && (method === 'HEAD' || method === 'GET')) return { status: 200, body: this.info() };
    if (parts.length === 1 && parts[0] === '_bulk' && method === 'POST') return this.bulk(undefined, raw);
    if (parts.length === 2 && parts[1] === '_bulk' && method === 'POST') return this.bulk(parts[0], raw);
    if (parts.length === 2 && parts[1] === '_search' && (method === 'POST' || method === 'GET')) {
      return { status: 200, body: this.search(parts[0]!, parseJson(raw || '{}'), url.searchParams) };
    }
    if (parts.length === 1 && method === 'HEAD') return { status: this.exists(parts[0]!) ? 200 : 404 };
    if (parts.length === 1 && method === 'PUT') return this.createIndex(parts[0]!, parseJson(raw || '{}'));
    throw new EsError(400, 'fake_unsupported', `the fake does not implement ${method} ${url.pathname}`);
  }

  private info() {
    return {
      name: 'fake-node',
      cluster_name: 'fake',
      cluster_uuid: 'fake-cluster',
      version: { number: '8.19.0', build_flavor: 'default', lucene_version: '9.12.0' },
      tagline: 'You Know, for Search',
    };
  }

  private exists(name: string): boolean {
    return this.indices.has(name) || this.aliases.has(name);
  }

  private createIndex(name: string, body: Json): { status: number; body: unknown } {
    if (this.exists(name)) {
      throw new EsError(400, 'resource_already_exists_exception', `index [${name}] already exists`);
    }
    this.indices.set(name, {
      name,
      mappings: { properties: {}, ...body.mappings },
      settings: body.settings ?? {},
      docs: new Map(),
    });
    for (const alias of Object.keys(body.aliases ?? {})) this.aliases.set(alias, name);
    return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: name } };
  }

  /** The physical index a name stands for; `autoCreate` mimics a write to a missing index. */
  private resolve(name: string, autoCreate = false): FakeIndex {
    const index = this.indices.get(this.aliases.get(name) ?? name);
    if (index) return index;
    if (!autoCreate) throw new EsError(404, 'index_not_found_exception', `no such index [${name}]`);
    this.createIndex(name, { mappings: { dynamic: true } });
    return this.indices.get(name)!;
  }

  private bulk(pathIndex: string | undefined, raw: string): { status: number; body: unknown } {
    const lines = raw.split('\n').filter((l) => l.trim() !== '');
    const items: Json[] = [];
    for (let i = 0; i < lines.length; i++) {
      const action = parseJson(lines[i]!);
      const [op] = Object.keys(action);
      const meta = action[op!];
      const target = meta?._index ?? pathIndex;
      if (!target) throw new EsError(400, 'action_request_validation_exception', 'index is missing');
      const index = this.resolve(target, true);
      const base = { _index: index.name, _id: meta._id };
      if (op === 'index' || op === 'create') {
        const source = parseJson(lines[++i] ?? '');
        const id = meta._id ?? `fake-${this.nextId++}`;
        const unmapped = Object.keys(source).filter((k) => !(k in index.mappings.properties));
        if (unmapped.length && String(index.mappings.dynamic) === 'strict') {
          const reason = `mapping set to strict, dynamic introduction of [${unmapped[0]}] within [_doc] is not allowed`;
          items.push({ [op]: { ...base, _id: id, status: 400, error: { type: 'strict_dynamic_mapping_exception', reason } } });
          continue;
        }
        if (op === 'create' && index.docs.has(id)) {
          const reason = `[${id}]: version conflict, document already exists`;
          items.push({ create: { ...base, status: 409, error: { type: 'version_conflict_engine_exception', reason } } });
          continue;
        }
        const existed = index.docs.has(id);
        index.docs.set(id, source);
        items.push({ [op]: { ...base, _id: id, status: existed ? 200 : 201, result: existed ? 'updated' : 'created' } });
      } else if (op === 'delete') {
        const existed = index.docs.delete(meta._id);
        items.push({ delete: { ...base, status: existed ? 200 : 404, result: existed ? 'deleted' : 'not_found' } });
      } else {
        throw new EsError(400, 'illegal_argument_exception', `the fake does not implement bulk [${op}]`);
      }
    }
    return { status: 200, body: { took: 1, errors: items.some((it) => Object.values(it).some((r: Json) => r.error)), items } };
  }

  private search(target: string, body: Json, qs: URLSearchParams): unknown {
    const index = this.resolve(target);
    const all = [...index.docs.entries()].map(([id, source]) => ({ id, source }));
    const matcher = body.query ? compileQuery(index, body.query) : () => true;
    const hits = all.filter((d) => matcher(d.source));
    const size = Number(body.size ?? qs.get('size') ?? 10);
    const response: Json = {
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        ...(body.track_total_hits === false ? {} : { total: { value: hits.length, relation: 'eq' } }),
        max_score: null,
        hits: hits.slice(0, size).map((d) => ({ _index: index.name, _id: d.id, _score: 0, _source: d.source })),
      },
    };
    const aggs = body.aggs ?? body.aggregations;
    if (aggs) response.aggregations = aggregate(index, aggs, hits.map((d) => d.source));
    const filterPath = qs.get('filter_path');
    return filterPath ? keepPaths(response, filterPath.split(',')) ?? {} : response;
  }
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EsError(400, 'parse_exception', `request body is not JSON: ${String(err)}`);
  }
}

// ---------- fields ----------

type Doc = Record<string, unknown>;

/** A field's indexed values for one document, typed by the mapping that indexes them. */
function fieldValues(index: FakeIndex, doc: Doc, path: string): { type: string; values: unknown[] } {
  const props = index.mappings.properties;
  const direct = props[path];
  if (direct) return { type: direct.type, values: keepIndexed(direct, arrayOf(doc[path])) };
  const dot = path.indexOf('.');
  const head = dot < 0 ? undefined : props[path.slice(0, dot)];
  const rest = path.slice(dot + 1);
  if (head?.fields?.[rest]) return { type: head.fields[rest].type, values: arrayOf(doc[path.slice(0, dot)]) };
  if (head?.type === 'flattened') {
    return { type: 'keyword', values: flattenedLeaves(doc[path.slice(0, dot)], '').filter(([k]) => k === rest).flatMap(([, v]) => arrayOf(v)) };
  }
  return { type: 'unmapped', values: [] };
}

function keepIndexed(mapping: FieldMapping, values: unknown[]): unknown[] {
  const limit = mapping.ignore_above;
  return limit === undefined ? values : values.filter((v) => String(v).length <= limit);
}

function arrayOf(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined);
}

/** Flattened fields index each leaf under its dotted key path. */
function flattenedLeaves(v: unknown, prefix: string): Array<[string, unknown]> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return prefix ? [[prefix, v]] : [];
  return Object.entries(v).flatMap(([k, child]) => flattenedLeaves(child, prefix ? `${prefix}.${k}` : k));
}

/** Close to the standard analyzer: lowercased Unicode words, keeping `a.b` and `x_y` whole. */
function analyze(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+(?:[.'][\p{L}\p{N}_]+)*/gu) ?? [];
}

function toMillis(v: unknown): number {
  const ms = typeof v === 'number' ? v : Date.parse(String(v));
  if (Number.isNaN(ms)) throw new EsError(400, 'parse_exception', `failed to parse date [${String(v)}]`);
  return ms;
}

// ---------- queries ----------

type Matcher = (doc: Doc) => boolean;

function single(obj: Json, what: string): [string, Json] {
  const entries = Object.entries(obj ?? {});
  if (entries.length !== 1) throw new EsError(400, 'parsing_exception', `[${what}] expects exactly one field`);
  return entries[0] as [string, Json];
}

function compileQuery(index: FakeIndex, query: Json): Matcher {
  const [kind, spec] = single(query, 'query');
  const values = (doc: Doc, field: string) => fieldValues(index, doc, field);
  switch (kind) {
    case 'match_all':
      return () => true;
    case 'bool': {
      const list = (v: Json): Matcher[] => arrayOf(v).map((q) => compileQuery(index, q));
      const [must, filter, should, mustNot] = [list(spec.must), list(spec.filter), list(spec.should), list(spec.must_not)];
      const msm = Number(spec.minimum_should_match ?? (should.length && !must.length && !filter.length ? 1 : 0));
      return (doc) =>
        [...must, ...filter].every((m) => m(doc)) &&
        !mustNot.some((m) => m(doc)) &&
        should.filter((m) => m(doc)).length >= msm;
    }
    case 'term': {
      const [field, raw] = single(spec, 'term');
      const wanted = typeof raw === 'object' && raw !== null ? raw.value : raw;
      return (doc) => termMatches(values(doc, field), [wanted]);
    }
    case 'terms': {
      const [field, wanted] = single(spec, 'terms');
      if (!Array.isArray(wanted)) throw new EsError(400, 'parsing_exception', '[terms] expects an array of values');
      return (doc) => termMatches(values(doc, field), wanted);
    }
    case 'range': {
      const [field, b] = single(spec, 'range');
      return (doc) => {
        const { type, values: vs } = values(doc, field);
        const num = (v: unknown) => (type === 'date' ? toMillis(v) : Number(v));
        return vs.some((raw) => {
          const v = num(raw);
          return (
            (b.gte === undefined || v >= num(b.gte)) &&
            (b.gt === undefined || v > num(b.gt)) &&
            (b.lte === undefined || v <= num(b.lte)) &&
            (b.lt === undefined || v < num(b.lt))
          );
        });
      };
    }
    case 'exists': {
      return (doc) => values(doc, spec.field).values.length > 0;
    }
    case 'wildcard': {
      const [field, raw] = single(spec, 'wildcard');
      const opts = typeof raw === 'object' ? raw : { value: raw };
      const re = wildcardRegExp(String(opts.value ?? opts.wildcard), opts.case_insensitive === true);
      return (doc) => {
        const { type, values: vs } = values(doc, field);
        // On text fields a wildcard applies to each analyzed word, as Lucene's terms are words.
        const terms = type === 'text' ? vs.flatMap((v) => analyze(String(v))) : vs.map(String);
        return terms.some((t) => re.test(t));
      };
    }
    case 'match':
    case 'match_phrase': {
      const [field, raw] = single(spec, kind);
      const opts = typeof raw === 'object' ? raw : { query: raw };
      const wanted = analyze(String(opts.query));
      if (!wanted.length) return () => false;
      return (doc) => {
        const { type, values: vs } = values(doc, field);
        if (type !== 'text') return termMatches({ type, values: vs }, [opts.query]);
        return vs.some((v) => {
          const words = analyze(String(v));
          if (kind === 'match_phrase') return words.some((_, i) => wanted.every((w, j) => words[i + j] === w));
          const found = wanted.filter((w) => words.includes(w)).length;
          return opts.operator?.toLowerCase() === 'and' ? found === wanted.length : found > 0;
        });
      };
    }
    default:
      throw new EsError(400, 'parsing_exception', `unknown query [${kind}] (outside the subset this fake evaluates)`);
  }
}

function termMatches(field: { type: string; values: unknown[] }, wanted: unknown[]): boolean {
  if (field.type === 'date') {
    const ms = wanted.map(toMillis);
    return field.values.some((v) => ms.includes(toMillis(v)));
  }
  const terms = field.type === 'text' ? field.values.flatMap((v) => analyze(String(v))) : field.values.map(String);
  return wanted.some((w) => terms.includes(String(w)));
}

function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------- aggregations ----------

const PIPELINES = new Set(['bucket_selector', 'bucket_sort', 'stats_bucket']);

/** Computes `aggs` over `docs`, then the sibling pipelines, which see the pruned buckets. */
function aggregate(index: FakeIndex, aggs: Json, docs: Doc[]): Json {
  const out: Json = {};
  const siblings: Array<[string, Json]> = [];
  for (const [name, spec] of Object.entries<Json>(aggs)) {
    const [kind, body] = aggKind(spec);
    if (kind === 'stats_bucket') siblings.push([name, body]);
    else if (!PIPELINES.has(kind)) out[name] = aggregateOne(index, kind, body, spec.aggs ?? spec.aggregations, docs);
  }
  for (const [name, body] of siblings) out[name] = statsBucket(out, body.buckets_path);
  return out;
}

function aggKind(spec: Json): [string, Json] {
  const kinds = Object.keys(spec).filter((k) => k !== 'aggs' && k !== 'aggregations' && k !== 'meta');
  if (kinds.length !== 1) throw new EsError(400, 'parsing_exception', 'an aggregation needs exactly one type');
  return [kinds[0]!, spec[kinds[0]!]];
}

function aggregateOne(index: FakeIndex, kind: string, body: Json, subAggs: Json, docs: Doc[]): Json {
  const values = (doc: Doc) => fieldValues(index, doc, body.field);
  switch (kind) {
    case 'terms':
      return termsAgg(index, body, subAggs ?? {}, docs);
    case 'filter': {
      const m = compileQuery(index, body);
      const inside = docs.filter(m);
      return { doc_count: inside.length, ...(subAggs ? aggregate(index, subAggs, inside) : {}) };
    }
    case 'cardinality':
      return { value: new Set(docs.flatMap((d) => values(d).values.map(String))).size };
    case 'max':
    case 'min': {
      let type = 'unmapped';
      const nums = docs.flatMap((d) => {
        const f = values(d);
        type = f.type;
        return f.values.map((v) => (f.type === 'date' ? toMillis(v) : Number(v)));
      });
      if (!nums.length) return { value: null };
      const value = kind === 'max' ? Math.max(...nums) : Math.min(...nums);
      return type === 'date' ? { value, value_as_string: new Date(value).toISOString() } : { value };
    }
    default:
      throw new EsError(400, 'parsing_exception', `unknown aggregation [${kind}] (outside the subset this fake evaluates)`);
  }
}

function termsAgg(index: FakeIndex, body: Json, subAggs: Json, docs: Doc[]): Json {
  const groups = new Map<string, Doc[]>();
  for (const doc of docs) {
    for (const v of new Set(fieldValues(index, doc, body.field).values.map(String))) {
      const list = groups.get(v) ?? [];
      list.push(doc);
      groups.set(v, list);
    }
  }
  let buckets: Json[] = [...groups.entries()].map(([key, members]) => ({
    key,
    doc_count: members.length,
    ...aggregate(index, subAggs, members),
  }));
  // Elasticsearch breaks ties on the key, ascending, after the requested order.
  const order = [...arrayOf(body.order ?? { _count: 'desc' }), { _key: 'asc' }].map((o: Json) => {
    const [path, dir] = single(o, 'order');
    return { path, desc: String(dir).toLowerCase() === 'desc' };
  });
  buckets.sort((a, b) => compareBuckets(a, b, order));
  const size = Number(body.size ?? 10);
  const total = buckets.reduce((n, b) => n + b.doc_count, 0);
  buckets = buckets.slice(0, size);
  const shown = buckets.reduce((n, b) => n + b.doc_count, 0);
  // Parent pipelines run in the order they are declared.
  for (const spec of Object.values<Json>(subAggs)) {
    const [kind, pipe] = aggKind(spec);
    if (kind === 'bucket_selector') buckets = buckets.filter((b) => runSelector(pipe, b));
    if (kind === 'bucket_sort') buckets = bucketSort(pipe, buckets);
  }
  return { doc_count_error_upper_bound: 0, sum_other_doc_count: total - shown, buckets };
}

function compareBuckets(a: Json, b: Json, order: Array<{ path: string; desc: boolean }>): number {
  for (const { path, desc } of order) {
    const [x, y] = [bucketValue(a, path), bucketValue(b, path)];
    if (x === y) continue;
    // Buckets without a value sort last whatever the direction.
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * (desc ? -1 : 1);
  }
  return 0;
}

/** buckets_path syntax: `_count`, `_key`, `agg`, `agg.metric`, `single_bucket_agg>...`. */
function bucketValue(bucket: Json, path: string): number | string | null {
  let node = bucket;
  const steps = path.split('>');
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step === '_count') return node.doc_count;
    if (step === '_key') return node.key;
    const [name, metric] = step.split('.') as [string, string | undefined];
    const child = node[name];
    if (child === undefined) throw new EsError(400, 'illegal_argument_exception', `no aggregation [${name}] for path [${path}]`);
    if (i < steps.length - 1) {
      node = child;
      continue;
    }
    if (metric) return child[metric] ?? null;
    return 'value' in child ? child.value : child.doc_count;
  }
  return null;
}

/** The scripts the hub generates: `params.a OP params.b` joined by `&&`. */
function runSelector(pipe: Json, bucket: Json): boolean {
  const script = typeof pipe.script === 'string' ? { source: pipe.script } : pipe.script;
  const vars: Record<string, unknown> = { ...script.params };
  for (const [name, path] of Object.entries<string>(pipe.buckets_path)) vars[name] = bucketValue(bucket, path);
  return String(script.source)
    .split('&&')
    .every((clause) => {
      const m = /^\s*(\S+)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$/.exec(clause);
      if (!m) throw new EsError(400, 'script_exception', `the fake cannot run [${clause.trim()}]`);
      const operand = (t: string) => {
        if (t.startsWith('params.')) return vars[t.slice('params.'.length)] as number;
        const n = Number(t);
        if (Number.isNaN(n)) throw new EsError(400, 'script_exception', `the fake cannot read operand [${t}]`);
        return n;
      };
      const [a, b] = [operand(m[1]!), operand(m[3]!)];
      switch (m[2]) {
        case '>=': return a >= b;
        case '<=': return a <= b;
        case '>': return a > b;
        case '<': return a < b;
        case '==': return a === b;
        default: return a !== b;
      }
    });
}

function bucketSort(pipe: Json, buckets: Json[]): Json[] {
  const order = arrayOf(pipe.sort).map((s: Json) => {
    if (typeof s === 'string') return { path: s, desc: false };
    const [path, o] = single(s, 'sort');
    return { path, desc: String(typeof o === 'object' ? o.order : o).toLowerCase() === 'desc' };
  });
  const sorted = order.length ? [...buckets].sort((a, b) => compareBuckets(a, b, order)) : buckets;
  const from = Number(pipe.from ?? 0);
  return sorted.slice(from, pipe.size === undefined ? undefined : from + Number(pipe.size));
}

function statsBucket(siblings: Json, path: string): Json {
  const [aggName, ...rest] = path.split('>');
  const target = siblings[aggName!];
  if (!target?.buckets) throw new EsError(400, 'illegal_argument_exception', `no multi-bucket aggregation [${aggName}]`);
  const nums = (target.buckets as Json[]).map((b) => bucketValue(b, rest.join('>'))).filter((v): v is number => typeof v === 'number');
  if (!nums.length) return { count: 0, min: null, max: null, avg: null, sum: 0 };
  const sum = nums.reduce((a, b) => a + b, 0);
  return { count: nums.length, min: Math.min(...nums), max: Math.max(...nums), avg: sum / nums.length, sum };
}

// ---------- filter_path ----------

/** Keeps only the dotted paths asked for; objects left empty disappear, as in Elasticsearch. */
function keepPaths(value: Json, paths: string[]): Json {
  if (paths.some((p) => p === '')) return value;
  if (Array.isArray(value)) {
    const kept = value.map((v) => keepPaths(v, paths)).filter((v) => v !== undefined);
    return kept.length ? kept : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    const rest = paths.filter((p) => p === key || p.startsWith(`${key}.`)).map((p) => p.slice(key.length + 1));
    if (!rest.length) continue;
    const kept = keepPaths(child, rest);
    if (kept !== undefined) out[key] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}
