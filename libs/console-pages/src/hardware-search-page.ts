import { attributeLabel } from '../../host-profiles/src/fleet-breakdown';
import { datalist, emptyState, field } from './form-controls';
import { formatCount, formatShare, shortId } from './format';
import { html } from './html';
import { renderLayout, type Viewer } from './layout';
import { HARDWARE_FIELDS, type QueueForm, queueUrl } from './queue-query';

export interface HardwareSearchView {
  form: QueueForm;
  /** Each value asked for, with how many live servers have it today (null: none reports it, or held back). */
  values: ReadonlyArray<{ filter: string; attribute: string; value: string; liveHosts: number | null }>;
  liveServers: number;
  total: number;
  clusters: ReadonlyArray<{ id: string; signatureText: string; family: string; component: string; reportCount: number; matchedReports: number; matchedHosts: number }>;
  suggestions: Readonly<Record<string, readonly string[]>>;
  error?: string | null;
  viewer?: Viewer | null;
}

/** Hardware first: which crash clusters hit hosts like these, and how common such hosts are. */
export function renderHardwareSearchPage(v: HardwareSearchView): string {
  const asked = v.values.length > 0;
  const form = html`<form class="filters" method="get" action="/hardware" role="search" aria-label="Hardware search">
<div class="grid">${HARDWARE_FIELDS.map((f) => field(f, v.form.values[f.name] ?? '', v.suggestions[f.name] ? `dl-${f.name}` : undefined))}
${[...v.form.attrs, ''].map((a, i) => html`<div class="field"><label for="h-attr-${i}">Host attribute</label><input id="h-attr-${i}" name="attr" value="${a}" placeholder="nic.speed=25G"></div>`)}</div>
${Object.entries(v.suggestions).map(([name, values]) => datalist(`dl-${name}`, values))}
<div class="actions"><button type="submit">Search</button> <a href="/hardware">Clear</a></div>
</form>`;
  const values = asked
    ? html`<div class="table-wrap" tabindex="0"><table class="values"><caption>Live servers with each value (of ${formatCount(v.liveServers)})</caption>
<thead><tr><th scope="col">Attribute</th><th scope="col">Value</th><th scope="col" class="num">Live servers</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>${v.values.map(
        (x) => html`<tr data-attribute="${x.attribute}" data-value="${x.value}"><td>${attributeLabel(x.attribute)}</td><td>${x.value}</td><td class="num" data-live="${x.liveHosts ?? ''}">${x.liveHosts === null ? 'none reported' : formatCount(x.liveHosts)}</td><td class="num">${x.liveHosts === null || !v.liveServers ? '–' : formatShare(x.liveHosts / v.liveServers)}</td></tr>`,
      )}</tbody></table></div>`
    : '';
  const clusters = !asked
    ? emptyState('Choose hardware values above, e.g. CPU vendor AMD and disk kind nvme.')
    : v.clusters.length
      ? html`<div class="table-wrap" tabindex="0"><table class="clusters"><caption class="sr-only">Crash clusters on this hardware</caption>
<thead><tr><th scope="col">Candidate</th><th scope="col" class="num">Matching reports</th><th scope="col" class="num">Matching hosts</th><th scope="col" class="num">All reports</th></tr></thead>
<tbody>${v.clusters.map(
          (c) => html`<tr data-candidate="${c.id}"><td><a href="/candidates/${c.id}">${c.signatureText}</a><div class="muted small">${c.family} · ${c.component} · <code>${shortId(c.id)}</code></div></td><td class="num">${formatCount(c.matchedReports)}</td><td class="num">${formatCount(c.matchedHosts)}</td><td class="num">${formatCount(c.reportCount)}</td></tr>`,
        )}</tbody></table></div>
<p><a href="${queueUrl(v.form)}">Open all ${formatCount(v.total)} in the candidate queue</a> to filter further.</p>`
      : emptyState('No crash report came from a host with these values.');
  return renderLayout({
    title: 'Hardware search',
    nav: 'hardware',
    viewer: v.viewer,
    body: html`<h1>Hardware search</h1>
<p class="muted">Values of one attribute are alternatives (comma-separated); different attributes must all hold.</p>
${form}
${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<section aria-labelledby="hw-results-h"><h2 id="hw-results-h">${asked ? `${formatCount(v.total)} crash cluster${v.total === 1 ? '' : 's'}` : 'Crash clusters'}</h2>
${values}
${clusters}
</section>`,
  });
}
