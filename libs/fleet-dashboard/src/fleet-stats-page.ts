import { attributeLabel, type PublishedAttribute } from '../../host-profiles/src/fleet-breakdown';
import { escapeHtml } from './html-escape';
import { formatCount, formatShare } from './number-format';
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

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 0 16px 48px; color: #1d2430; }
h1 { margin: 24px 0 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #d7dce3; padding-bottom: 4px; }
.live { font-size: 40px; font-weight: 600; margin: 16px 0 0; } .muted { color: #5b6573; }
nav ul { columns: 3; padding-left: 18px; } table { border-collapse: collapse; width: 100%; margin: 12px 0 20px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; } th, td { padding: 3px 8px; border-bottom: 1px solid #eef0f3; text-align: left; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; } td.bar { width: 35%; }
td.bar span { display: block; height: 10px; background: #3c78d8; } tr.rest td { color: #5b6573; font-style: italic; }
svg.trend { max-width: 100%; height: auto; } svg .line { fill: none; stroke: #3c78d8; stroke-width: 2; }
svg .point { fill: #3c78d8; } svg .axis { stroke: #9aa3af; } svg text { font-size: 11px; fill: #5b6573; }
`;

function valueRow(value: string, hosts: number, share: number): string {
  const width = Math.min(100, share * 100).toFixed(1);
  return (
    `<tr data-value="${escapeHtml(value)}" data-hosts="${hosts}"><td>${escapeHtml(value)}</td>` +
    `<td class="num">${formatCount(hosts)}</td><td class="num">${formatShare(share)}</td>` +
    `<td class="bar"><span style="width:${width}%"></span></td></tr>`
  );
}

function restRow(text: string, hosts: string): string {
  return `<tr class="rest"><td>${text}</td><td class="num">${hosts}</td><td></td><td></td></tr>`;
}

function attributeTable(a: PublishedAttribute, k: number): string {
  const rows = a.cells.map((c) => valueRow(c.value, c.hosts, c.share));
  if (a.other) {
    rows.push(restRow(`${formatCount(a.other.cells)} more values`, formatCount(a.other.hosts)));
  }
  if (a.suppressed.cells > 0) {
    const hosts = a.suppressed.hosts === null ? 'not shown' : formatCount(a.suppressed.hosts);
    rows.push(restRow(`${formatCount(a.suppressed.cells)} values held back (fewer than ${k} servers each, or needed to hide one)`, hosts));
  }
  if (rows.length === 0) rows.push(restRow('no servers report this yet', ''));
  return [
    `<table class="breakdown" data-attribute="${escapeHtml(a.attribute)}">`,
    `<caption>${escapeHtml(attributeLabel(a.attribute))}</caption>`,
    '<thead><tr><th>Value</th><th class="num">Servers</th><th class="num">Share of live servers</th><th></th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function trendTable(trend: readonly TrendPoint[]): string {
  const rows = [...trend]
    .reverse()
    .map((p) => `<tr><td>${escapeHtml(p.day)}</td><td class="num">${p.liveServers === null ? 'held back' : formatCount(p.liveServers)}</td></tr>`);
  return `<details><summary>Daily counts</summary><table class="trend-days"><thead><tr><th>Day</th><th class="num">Live servers</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></details>`;
}

/**
 * The public statistics page, in the spirit of stats7-web: live servers, their trend, and each
 * breakdown as counts and shares. A complete HTML document without scripts; every value escaped.
 */
export function renderFleetStatsPage(view: FleetStatsPageView): string {
  const k = view.minHostsPerCell;
  const live =
    view.liveServers === null
      ? `<p class="live" id="live-servers" data-live="">fewer than ${k}</p><p>Fewer than ${k} servers are live, so nothing is published yet.</p>`
      : `<p class="live" id="live-servers" data-live="${view.liveServers}">${formatCount(view.liveServers)}</p>`;
  const nav = view.breakdowns.map((b) => `<li><a href="#${escapeHtml(b.name)}">${escapeHtml(b.title)}</a></li>`).join('\n');
  const sections = view.breakdowns.map((b) =>
    [
      `<section id="${escapeHtml(b.name)}" class="breakdown-section">`,
      `<h2>${escapeHtml(b.title)}</h2>`,
      ...b.attributes.map((a) => attributeTable(a, k)),
      `<p class="muted"><a href="/api/v1/stats/breakdowns/${encodeURIComponent(b.name)}">JSON</a></p>`,
      '</section>',
    ].join('\n'),
  );
  const first = view.trend[0]?.day;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenVZ / Virtuozzo fleet statistics</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>OpenVZ / Virtuozzo fleet statistics</h1>
<p class="muted">Servers taking part in the Customer Experience Program, as of ${escapeHtml(view.day)} (UTC).</p>
</header>
<section>
${live}
<p class="muted">live servers: servers that sent a report in the last ${view.windowDays} days.</p>
</section>
<section>
<h2>Live servers${first ? ` since ${escapeHtml(first)}` : ''}</h2>
${renderTrendChart(view.trend)}
${trendTable(view.trend)}
</section>
<nav><h2>Breakdowns</h2><ul>
${nav}
</ul></nav>
${sections.join('\n')}
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
</body>
</html>
`;
}
