import { HARDWARE_FILTERS, HARDWARE_FILTER_NAMES } from '../../contracts/src/fleet/hardware-filters';

/** One query-string parameter as Express hands it over. */
export type UrlParams = Record<string, string | string[] | undefined>;

/** A filter of the candidate queue: the URL parameter (the JSON API's own name) and its form label. */
export interface FilterField {
  name: string;
  label: string;
  kind: 'text' | 'date';
  hint?: string;
}

export const CRASH_FILTERS: readonly FilterField[] = [
  { name: 'type', label: 'Kind', kind: 'text', hint: 'core, python, kerneloops, xorg, java, anaconda' },
  { name: 'component', label: 'Component', kind: 'text' },
  { name: 'function', label: 'Function', kind: 'text', hint: 'text in a frame name' },
  { name: 'packageVersion', label: 'Package version', kind: 'text' },
  { name: 'osRelease', label: 'OS release', kind: 'text' },
  { name: 'kernel', label: 'Kernel (of the crash)', kind: 'text' },
  { name: 'label', label: 'Rig label', kind: 'text', hint: 'name=value, e.g. test_run=nightly-42' },
  { name: 'firstSeenFrom', label: 'First seen from', kind: 'date' },
  { name: 'firstSeenTo', label: 'First seen before', kind: 'date' },
  { name: 'lastSeenFrom', label: 'Last seen from', kind: 'date' },
  { name: 'lastSeenTo', label: 'Last seen before', kind: 'date' },
];

const HARDWARE_LABELS: Record<keyof typeof HARDWARE_FILTERS, string> = {
  cpuVendor: 'CPU vendor',
  cpuModel: 'CPU model',
  diskKind: 'Disk kind',
  memory: 'Memory',
  bonding: 'Bonding (yes/no)',
  bondingMode: 'Bonding mode',
  product: 'Product',
  productVersion: 'Product version',
  hostKernel: 'Host kernel',
  country: 'Country',
  origin: 'Rig or field',
};

export const HARDWARE_FIELDS: readonly FilterField[] = HARDWARE_FILTER_NAMES.map((name) => ({
  name,
  label: HARDWARE_LABELS[name],
  kind: 'text' as const,
  hint: name === 'origin' ? 'rig or field' : 'comma = any of',
}));

export const SORTS = [
  { value: 'count', text: 'Reports' },
  { value: 'hosts', text: 'Distinct hosts' },
  { value: 'lastSeen', text: 'Last seen' },
  { value: 'hot', text: 'Hot (recent reports)' },
] as const;

export const PAGE_SIZES = [25, 50, 100] as const;

/** Queue tabs by triage state; `state` is the JSON API's filter value ('' = every state). */
export const STATE_TABS = [
  { state: 'new', text: 'New' },
  { state: 'ticketed', text: 'Ticketed' },
  { state: 'fix-pending', text: 'Fix pending' },
  { state: 'verified-fixed', text: 'Verified fixed' },
  { state: 'regressed', text: 'Regressed' },
  { state: 'wont-fix,duplicate,cannot-reproduce', text: "Won't fix / duplicate / cannot reproduce" },
  { state: 'muted,ignored', text: 'Muted / ignored' },
  { state: '', text: 'All' },
] as const;

/** The whole view a queue URL holds, as the form shows it back (strings as typed). */
export interface QueueForm {
  values: Record<string, string>;
  attrs: string[];
  /** Triage states shown, as in the URL ('' = all). */
  state: string;
  sort: string;
  limit: number;
  offset: number;
}

function first(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a queue URL into the form's values and the JSON API's query (CandidateQuerySchema's input).
 * A form submits every field, so empty ones are dropped; a day from a date field means its UTC
 * midnight.
 */
export function readQueueUrl(params: UrlParams): { form: QueueForm; query: Record<string, unknown> } {
  const values: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  for (const f of [...CRASH_FILTERS, ...HARDWARE_FIELDS]) {
    const v = first(params[f.name]);
    if (!v) continue;
    values[f.name] = v;
    query[f.name] = f.kind === 'date' && DAY.test(v) ? `${v}T00:00:00Z` : v;
  }
  const attrs = (Array.isArray(params.attr) ? params.attr : params.attr ? [params.attr] : []).map((a) => a.trim()).filter(Boolean);
  if (attrs.length) query.attr = attrs;
  const state = first(params.state);
  if (state) query.state = state;
  const sort = first(params.sort) || 'count';
  const limit = Number(first(params.limit)) || 50;
  const offset = Number(first(params.offset)) || 0;
  Object.assign(query, { sort, limit: String(limit), offset: String(offset) });
  return { form: { values, attrs, state, sort, limit, offset }, query };
}

/** The URL of a queue view; only non-default parts are written, so shared links stay short. */
export function queueUrl(form: QueueForm, change: Partial<Pick<QueueForm, 'offset' | 'sort' | 'state'>> = {}): string {
  const p = new URLSearchParams();
  const state = change.state ?? form.state;
  if (state) p.set('state', state);
  for (const [k, v] of Object.entries(form.values)) p.append(k, v);
  for (const a of form.attrs) p.append('attr', a);
  const sort = change.sort ?? form.sort;
  if (sort !== 'count') p.set('sort', sort);
  if (form.limit !== 50) p.set('limit', String(form.limit));
  const offset = change.offset ?? form.offset;
  if (offset > 0) p.set('offset', String(offset));
  const s = p.toString();
  return s ? `/candidates?${s}` : '/candidates';
}

/** Which filters are set, as "label: value" chips for the results heading. */
export function activeFilters(form: QueueForm): string[] {
  const labels = new Map([...CRASH_FILTERS, ...HARDWARE_FIELDS].map((f) => [f.name, f.label]));
  return [...Object.entries(form.values).map(([k, v]) => `${labels.get(k) ?? k}: ${v}`), ...form.attrs.map((a) => `Host attribute: ${a}`)];
}
