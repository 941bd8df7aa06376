import { type DailySeries, sparkline } from './charts';
import { datalist, emptyState, field, select } from './form-controls';
import { formatCount, formatTime, shortId } from './format';
import { html } from './html';
import { csrfField, renderLayout, type Viewer } from './layout';
import { activeFilters, CRASH_FILTERS, HARDWARE_FIELDS, PAGE_SIZES, type QueueForm, queueUrl, SORTS, STATE_TABS } from './queue-query';

export interface QueueItem {
  id: string;
  family: string;
  component: string;
  signatureText: string;
  reportCount: number;
  hostCount: number;
  matchedReports: number;
  matchedHosts: number;
  hotCount: number;
  firstSeen: Date | string;
  lastSeen: Date | string;
  last30Days: DailySeries;
}

export interface CandidateQueueView {
  form: QueueForm;
  total: number;
  items: readonly QueueItem[];
  /** Known values per filter name, offered as suggestions. */
  suggestions: Readonly<Record<string, readonly string[]>>;
  /** The query was refused (e.g. a malformed date); the form is shown back with the reason. */
  error?: string | null;
  viewer?: Viewer | null;
  notice?: string | null;
  /** QA may merge selected candidates. */
  canMerge: boolean;
  /** Candidates per triage state over the whole queue; only given when no other filter is set. */
  stateCounts?: Readonly<Record<string, number>> | null;
}

/** Tabs by triage state; each link keeps the rest of the view (filters, sort, page size). */
function stateTabs(v: CandidateQueueView) {
  const count = (state: string) => {
    if (!v.stateCounts) return null;
    const states = state ? state.split(',') : Object.keys(v.stateCounts);
    return states.reduce((sum, s) => sum + (v.stateCounts![s] ?? 0), 0);
  };
  return html`<nav class="tabs" aria-label="Triage state"><ul>${STATE_TABS.map((t) => {
    const n = count(t.state);
    return html`<li><a href="${queueUrl(v.form, { state: t.state, offset: 0 })}"${t.state === v.form.state ? html` aria-current="page"` : ''}>${t.text}${n === null ? '' : html` <span class="count">${formatCount(n)}</span>`}</a></li>`;
  })}</ul></nav>`;
}

function filterPanel(v: CandidateQueueView) {
  const f = v.form;
  const lists = Object.entries(v.suggestions).map(([name, values]) => datalist(`dl-${name}`, values));
  const attrs = [...f.attrs, ''].map(
    (a, i) =>
      html`<div class="field"><label for="f-attr-${i}">Host attribute</label><input id="f-attr-${i}" name="attr" value="${a}" aria-describedby="f-attr-hint-${i}"><small id="f-attr-hint-${i}" class="muted">attribute=value, e.g. disk.model=Samsung SSD 980</small></div>`,
  );
  return html`<form class="filters" method="get" action="/candidates" role="search" aria-label="Filter candidates"
 hx-get="/candidates" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, change delay:300ms">
<fieldset><legend>Crash</legend><div class="grid">${CRASH_FILTERS.map((c) => field(c, f.values[c.name] ?? '', v.suggestions[c.name] ? `dl-${c.name}` : undefined))}</div></fieldset>
<fieldset><legend>Crashing host's hardware</legend><div class="grid">${HARDWARE_FIELDS.map((c) => field(c, f.values[c.name] ?? '', v.suggestions[c.name] ? `dl-${c.name}` : undefined))}${attrs}</div></fieldset>
<div class="grid">${select('sort', 'Sort by', SORTS, f.sort)}${select('limit', 'Per page', PAGE_SIZES.map((n) => ({ value: String(n), text: String(n) })), String(f.limit))}</div>
${lists}
${f.state ? html`<input type="hidden" name="state" value="${f.state}">` : ''}
<div class="actions"><button type="submit">Apply filters</button> <a href="/candidates">Clear</a></div>
</form>`;
}

function pager(v: CandidateQueueView) {
  const { offset, limit } = v.form;
  const prev = offset > 0 ? html`<a rel="prev" href="${queueUrl(v.form, { offset: Math.max(0, offset - limit) })}">← Previous</a>` : '';
  const next = offset + limit < v.total ? html`<a rel="next" href="${queueUrl(v.form, { offset: offset + limit })}">Next →</a>` : '';
  const shown = v.items.length ? `${formatCount(offset + 1)}–${formatCount(offset + v.items.length)} of ${formatCount(v.total)}` : `0 of ${formatCount(v.total)}`;
  return html`<nav class="pager" aria-label="Pages">${prev} <span>${shown}</span> ${next}</nav>`;
}

function row(item: QueueItem, canMerge: boolean) {
  return html`<tr data-candidate="${item.id}">
${canMerge ? html`<td><input type="checkbox" name="ids" value="${item.id}" form="bulk" id="sel-${item.id}" aria-label="Select ${item.signatureText}"></td>` : ''}
<td class="sig"><a href="/candidates/${item.id}">${item.signatureText}</a><div class="muted small">${item.family} · ${item.component} · <code>${shortId(item.id)}</code></div></td>
<td class="num" data-reports="${item.matchedReports}">${formatCount(item.matchedReports)}${item.matchedReports !== item.reportCount ? html`<div class="muted small">of ${formatCount(item.reportCount)}</div>` : ''}</td>
<td class="num">${formatCount(item.matchedHosts)}</td>
<td class="num">${formatCount(item.hotCount)}</td>
<td class="when">${formatTime(item.lastSeen)}<div class="muted small">first ${formatTime(item.firstSeen)}</div></td>
<td class="spark-cell">${sparkline(item.last30Days)}</td>
</tr>`;
}

function results(v: CandidateQueueView) {
  const chips = activeFilters(v.form);
  const table = v.items.length
    ? html`<div class="table-wrap" tabindex="0"><table class="queue">
<caption class="sr-only">Candidates</caption>
<thead><tr>${v.canMerge ? html`<th scope="col"><span class="sr-only">Select</span></th>` : ''}<th scope="col">Candidate</th><th scope="col" class="num">Reports</th><th scope="col" class="num">Hosts</th><th scope="col" class="num">Hot</th><th scope="col">Last seen</th><th scope="col">Last 30 days</th></tr></thead>
<tbody>${v.items.map((i) => row(i, v.canMerge))}</tbody></table></div>`
    : chips.length
      ? emptyState('No candidate matches these filters.', html`<a href="${queueUrl({ ...v.form, values: {}, attrs: [] }, { offset: 0 })}">Clear the filters</a>.`)
      : v.form.state
        ? emptyState('No candidate is in this triage state.', html`<a href="${queueUrl(v.form, { state: '', offset: 0 })}">Show all states</a>.`)
        : emptyState('No crash reports have been grouped yet.');
  const bulk = v.canMerge && v.items.length > 0
    ? html`<form id="bulk" class="bulk" method="post" action="/candidates/merge">${csrfField(v.viewer)}<button type="submit">Merge selected</button> <span class="muted small">into the one with the most reports</span> <button type="submit" class="secondary" formaction="/candidates/mute">Mute selected</button></form>`
    : '';
  return html`<section id="results" aria-labelledby="results-h">
${stateTabs(v)}
<h2 id="results-h">${formatCount(v.total)} candidate${v.total === 1 ? '' : 's'}</h2>
${chips.length ? html`<ul class="chips" aria-label="Active filters">${chips.map((c) => html`<li>${c}</li>`)}</ul>` : ''}
${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
${bulk}
${table}
${pager(v)}
</section>`;
}

/** The candidate queue: filters (the URL holds them all), sorted results with sparklines, paging, bulk merge. */
export function renderCandidateQueuePage(v: CandidateQueueView): string {
  return renderLayout({
    title: 'Candidates',
    nav: 'candidates',
    viewer: v.viewer,
    notice: v.notice,
    htmx: true,
    body: html`<h1>Bug candidates</h1>
<div class="queue-layout">
${filterPanel(v)}
${results(v)}
</div>`,
  });
}
