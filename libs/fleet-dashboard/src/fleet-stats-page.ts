import { attributeLabel, type PublishedAttribute } from '../../host-profiles/src/fleet-breakdown';
import { shareBar } from '../../console-pages/src/charts';
import { formatCount, formatShare } from '../../console-pages/src/format';
import { html, type SafeHtml } from '../../console-pages/src/html';
import { renderLayout, type Viewer } from '../../console-pages/src/layout';
import { renderTrendChart, type TrendPoint } from './trend-chart';

/** Everything the public page shows; the same numbers the JSON statistics API serves. */
export interface FleetStatsPageView {
  day: string;
  windowDays: number;
  minHostsPerCell: number;
  /** null while fewer than k servers are live. */
  liveServers: number | null;
  trend: readonly TrendPoint[];
  breakdowns: ReadonlyArray<{ name: string; title: string; attributes: readonly PublishedAttribute[] }>;
}

function valueRow(value: string, hosts: number, share: number): SafeHtml {
  return html`<tr data-value="${value}" data-hosts="${hosts}"><td>${value}</td><td class="num">${formatCount(hosts)}</td><td class="num">${formatShare(share)}</td><td class="bar">${shareBar(share, formatShare(share))}</td></tr>`;
}

function restRow(text: string, hosts: string): SafeHtml {
  return html`<tr class="rest"><td>${text}</td><td class="num">${hosts}</td><td></td><td></td></tr>`;
}

function attributeTable(a: PublishedAttribute, k: number): SafeHtml {
  const rows = a.cells.map((c) => valueRow(c.value, c.hosts, c.share));
  if (a.other) rows.push(restRow(`${formatCount(a.other.cells)} more values`, formatCount(a.other.hosts)));
  if (a.suppressed.cells > 0) {
    const hosts = a.suppressed.hosts === null ? 'not shown' : formatCount(a.suppressed.hosts);
    rows.push(restRow(`${formatCount(a.suppressed.cells)} values held back (fewer than ${k} servers each, or needed to hide one)`, hosts));
  }
  if (rows.length === 0) rows.push(restRow('no servers report this yet', ''));
  return html`<div class="table-wrap" tabindex="0"><table class="breakdown" data-attribute="${a.attribute}">
<caption>${attributeLabel(a.attribute)}</caption>
<thead><tr><th scope="col">Value</th><th scope="col" class="num">Servers</th><th scope="col" class="num">Share of live servers</th><th scope="col"><span class="sr-only">Bar</span></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function trendTable(trend: readonly TrendPoint[]): SafeHtml {
  const rows = [...trend]
    .reverse()
    .map((p) => html`<tr><td>${p.day}</td><td class="num">${p.liveServers === null ? 'held back' : formatCount(p.liveServers)}</td></tr>`);
  return html`<details><summary>Daily counts</summary><table class="trend-days"><thead><tr><th scope="col">Day</th><th scope="col" class="num">Live servers</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

/**
 * The public statistics page, in the spirit of stats7-web: live servers, their trend, and each
 * breakdown as counts and shares. It shares the console's frame (navigation, stylesheet) but keeps
 * its own look; no scripts, every value escaped.
 */
export function renderFleetStatsPage(view: FleetStatsPageView, viewer?: Viewer | null): string {
  const k = view.minHostsPerCell;
  const live =
    view.liveServers === null
      ? html`<p class="live" id="live-servers" data-live="">fewer than ${k}</p><p>Fewer than ${k} servers are live, so nothing is published yet.</p>`
      : html`<p class="live" id="live-servers" data-live="${view.liveServers}">${formatCount(view.liveServers)}</p>`;
  const first = view.trend[0]?.day;
  const body = html`<div class="stats">
<h1>OpenVZ / Virtuozzo fleet statistics</h1>
<p class="muted">Servers taking part in the Customer Experience Program, as of ${view.day} (UTC).</p>
<section>
${live}
<p class="muted">live servers: servers that sent a report in the last ${view.windowDays} days.</p>
</section>
<section>
<h2>Live servers${first ? ` since ${first}` : ''}</h2>
${renderTrendChart(view.trend)}
${trendTable(view.trend)}
</section>
<nav class="breakdowns" aria-labelledby="breakdowns-h"><h2 id="breakdowns-h">Breakdowns</h2><ul>
${view.breakdowns.map((b) => html`<li><a href="#${b.name}">${b.title}</a></li>`)}
</ul></nav>
${view.breakdowns.map(
  (b) => html`<section id="${b.name}" class="breakdown-section">
<h2>${b.title}</h2>
${b.attributes.map((a) => attributeTable(a, k))}
<p class="muted"><a href="/api/v1/stats/breakdowns/${encodeURIComponent(b.name)}">JSON</a></p>
</section>`,
)}
<footer>
<h2>How these numbers are made</h2>
<p>Every share is of live servers; a server with several disks, VMs or NICs counts once per value, so shares of such
attributes can add up to more than 100 %. Values seen on fewer than ${k} servers are held back, together with enough
other values that they cannot be worked out from the total, so no single customer can be picked out.</p>
<p>The country is looked up from the sender's address when a report arrives; the address itself is never stored.
Servers can be erased from these statistics by their own agent (<code>cep-agent erase</code>).</p>
<p>The same numbers as JSON: <a href="/api/v1/stats">/api/v1/stats</a>, <a href="/api/v1/stats/breakdowns">/api/v1/stats/breakdowns</a>,
<a href="/api/v1/stats/live-servers">/api/v1/stats/live-servers</a>.</p>
</footer>
</div>`;
  return renderLayout({ title: 'OpenVZ / Virtuozzo fleet statistics', nav: 'stats', body, viewer, publicPage: true });
}
