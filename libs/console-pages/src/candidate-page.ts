import { attributeLabel } from '../../host-profiles/src/fleet-breakdown';
import { shareBar, stackedDailyChart, type StackedSeries } from './charts';
import { emptyState } from './form-controls';
import { formatCount, formatDistance, formatRate, formatShare, formatTime, shortId } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, renderLayout, type Viewer } from './layout';
import { triagePanel, type TriagePanelView } from './triage-panel';
import { groupingExplanation, type GroupingView, hardwareSummary, labelList } from './report-parts';

export interface ThreadFrame {
  function: string;
  module?: string;
  file?: string;
  line?: number;
  /** Part of the exact signature the report was grouped by. */
  grouping: boolean;
}

export interface RawFrame {
  function?: string;
  file?: string;
  line?: number;
  module?: string;
  address?: number;
  functionOffset?: number;
}

export interface CandidateReportRow {
  id: string;
  crashedAt: Date | string;
  packageVersion: string | null;
  kernel: string | null;
  hardwareAttrs: readonly string[];
  labels: Readonly<Record<string, string>>;
  occurrences: number;
  grouping: GroupingView;
}

export interface CandidatePageView {
  candidate: {
    id: string;
    family: string;
    component: string;
    signatureText: string;
    reportCount: number;
    occurrenceCount: number;
    hostCount: number;
    firstSeen: Date | string;
    lastSeen: Date | string;
    mergedIntoId: string | null;
    fieldReports: number;
    rigReports: number;
  };
  /** The normalized crash thread of the latest report, with its source positions. */
  thread: { reportId: string; frames: readonly ThreadFrame[]; raw: readonly RawFrame[] | null; rawError?: string | null } | null;
  occurrences: StackedSeries;
  crashRates: ReadonlyArray<{ version: string; reports: number; liveHosts: number | null }>;
  hardware: {
    hosts: number;
    liveServers: number;
    /** Most over-represented first (CandidatesService.hardware). */
    rows: ReadonlyArray<{ attribute: string; value: string; clusterHosts: number; clusterShare: number | null; fleetShare: number | null; lift: number | null }>;
  };
  reports: { total: number; offset: number; limit: number; items: readonly CandidateReportRow[] };
  similar: ReadonlyArray<{ id: string; signatureText: string; component: string; reportCount: number; distance: number }>;
  rules: ReadonlyArray<{ kind: string; source: string; note: string | null; createdAt: Date | string }>;
  /** Ticket and triage state from the QA workflow; null when the candidate was merged away. */
  triage: TriagePanelView | null;
  /** A fresh id for the file-a-ticket form: a resubmitted form files once. */
  ticketRequestId: string;
  /** Who changed this candidate, newest first (the audit trail). */
  activity: ReadonlyArray<{ at: Date | string; actor: string; action: string }>;
  canMerge: boolean;
  viewer?: Viewer | null;
  notice?: string | null;
}

function summary(v: CandidatePageView): SafeHtml {
  const c = v.candidate;
  const item = (term: string, value: SafeHtml | string) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  return html`<dl class="summary">
${item('Kind', c.family)}${item('Component', c.component)}
${item('Crash function', v.thread?.frames[0]?.function ?? '–')}
${item('State', c.mergedIntoId ? html`merged into <a href="/candidates/${c.mergedIntoId}">${shortId(c.mergedIntoId)}</a>` : (v.triage?.state ?? 'new'))}
${item('Ticket', v.triage?.tickets.length ? v.triage.tickets.map((t) => t.key).join(', ') : '–')}
${item('Reports', html`<span data-reports="${c.reportCount}">${formatCount(c.reportCount)}</span> <span class="muted">(${formatCount(c.occurrenceCount)} occurrences)</span>`)}
${item('Field / rig', `${formatCount(c.fieldReports)} / ${formatCount(c.rigReports)}`)}
${item('Hosts', formatCount(c.hostCount))}
${item('First seen', formatTime(c.firstSeen))}${item('Last seen', formatTime(c.lastSeen))}
</dl>`;
}

function position(f: { file?: string; line?: number }): string {
  return f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '';
}

function thread(v: CandidatePageView): SafeHtml {
  if (!v.thread) return emptyState('This candidate has no reports left (merged or split away).');
  const t = v.thread;
  const rows = t.frames.map(
    (f, i) => html`<tr${f.grouping ? html` class="grouping"` : ''}><td class="num">${i}</td><td><code>${f.function}</code>${f.grouping ? html` <span class="tag" title="used for grouping">grouping</span>` : ''}</td><td><code>${f.module ?? ''}</code></td><td><code>${position(f)}</code></td></tr>`,
  );
  const raw = t.raw
    ? html`<details><summary>Raw backtrace (${formatCount(t.raw.length)} frames)</summary><pre class="backtrace">${t.raw
        .map((f, i) => `#${i} ${f.function ?? '??'}${f.functionOffset !== undefined ? `+0x${f.functionOffset.toString(16)}` : ''}${f.module ? ` [${f.module}]` : ''}${f.address !== undefined ? ` 0x${f.address.toString(16)}` : ''}${position(f) ? ` at ${position(f)}` : ''}`)
        .join('\n')}</pre></details>`
    : html`<p class="muted">Raw backtrace unavailable${t.rawError ? `: ${t.rawError}` : ''}.</p>`;
  return html`<p class="muted">From report <a href="/reports/${t.reportId}">${shortId(t.reportId)}</a>, innermost frame first; marked frames form the grouping signature.</p>
<div class="table-wrap" tabindex="0"><table class="thread"><caption class="sr-only">Normalized crash thread</caption>
<thead><tr><th scope="col" class="num">#</th><th scope="col">Function</th><th scope="col">Module</th><th scope="col">File:line</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${raw}`;
}

function crashRates(v: CandidatePageView): SafeHtml {
  if (!v.crashRates.length) return emptyState('No report came from a host with a known product version.');
  const max = Math.max(...v.crashRates.map((r) => (r.liveHosts ? (r.reports / r.liveHosts) * 1000 : 0)), 0);
  return html`<div class="table-wrap" tabindex="0"><table class="rates"><caption class="sr-only">Crash rate per product version</caption>
<thead><tr><th scope="col">Product version</th><th scope="col" class="num">Reports</th><th scope="col" class="num">Live hosts</th><th scope="col" class="num">Reports per 1,000 live hosts</th><th scope="col"><span class="sr-only">Bar</span></th></tr></thead>
<tbody>${v.crashRates.map((r) => {
    const rate = r.liveHosts ? (r.reports / r.liveHosts) * 1000 : null;
    return html`<tr data-version="${r.version}"><td>${r.version}</td><td class="num">${formatCount(r.reports)}</td><td class="num">${r.liveHosts === null ? '–' : formatCount(r.liveHosts)}</td><td class="num" data-rate="${rate ?? ''}">${rate === null ? 'no live hosts' : formatRate(rate)}</td><td class="bar-cell">${rate === null ? '' : shareBar(max ? rate / max : 0, `${formatRate(rate)} per 1,000`)}</td></tr>`;
  })}</tbody></table></div>`;
}

function hardware(v: CandidatePageView): SafeHtml {
  const h = v.hardware;
  if (!h.rows.length) return emptyState('No hardware is known for the hosts of this candidate.');
  const rows = h.rows.slice(0, 40).map(
    (r) => html`<tr data-attribute="${r.attribute}" data-value="${r.value}">
<th scope="row">${attributeLabel(r.attribute)}</th><td>${r.value}</td>
<td class="num">${formatCount(r.clusterHosts)}</td><td class="num">${formatShare(r.clusterShare ?? 0)}</td>
<td class="num">${r.fleetShare === null ? '–' : formatShare(r.fleetShare)}</td>
<td class="num">${r.lift === null ? '–' : `×${r.lift.toFixed(1)}`}</td>
<td class="bar-cell">${shareBar(r.clusterShare ?? 0, `cluster ${formatShare(r.clusterShare ?? 0)}`)}${shareBar(r.fleetShare ?? 0, `fleet ${r.fleetShare === null ? 'unknown' : formatShare(r.fleetShare)}`, 'fleet')}</td></tr>`,
  );
  return html`<p class="muted">${formatCount(h.hosts)} crashing host${h.hosts === 1 ? '' : 's'} against ${formatCount(h.liveServers)} live servers; most over-represented first. Upper bar: share among this candidate's hosts; lower bar: share of the live fleet.</p>
<div class="table-wrap" tabindex="0"><table class="hardware"><caption class="sr-only">Hardware over-representation</caption>
<thead><tr><th scope="col">Attribute</th><th scope="col">Value</th><th scope="col" class="num">Hosts</th><th scope="col" class="num">Share here</th><th scope="col" class="num">Share in fleet</th><th scope="col" class="num">Lift</th><th scope="col"><span class="sr-only">Bars</span></th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function reports(v: CandidatePageView): SafeHtml {
  const r = v.reports;
  if (!r.items.length) return emptyState('No reports.');
  const base = `/candidates/${v.candidate.id}`;
  const prev = r.offset > 0 ? html`<a rel="prev" href="${base}?reports=${Math.max(0, r.offset - r.limit)}#reports">← Newer</a>` : '';
  const next = r.offset + r.limit < r.total ? html`<a rel="next" href="${base}?reports=${r.offset + r.limit}#reports">Older →</a>` : '';
  const rows = r.items.map(
    (x) => html`<tr data-report="${x.id}">
<td><a href="/reports/${x.id}">${shortId(x.id)}</a><div class="muted small">${formatTime(x.crashedAt)}${x.occurrences > 1 ? ` · ×${x.occurrences}` : ''}</div></td>
<td>${x.packageVersion ?? '–'}<div class="muted small">${x.kernel ?? ''}</div></td>
<td class="small">${hardwareSummary(x.hardwareAttrs)}</td>
<td class="small">${labelList(x.labels)}</td>
<td class="small">${groupingExplanation(x.grouping)}</td>
${v.canMerge && r.total > 1 ? html`<td><form method="post" action="${base}/split">${csrfField(v.viewer)}<input type="hidden" name="reportId" value="${x.id}"><button type="submit" class="secondary">Split out<span class="sr-only"> report ${shortId(x.id)}</span></button></form></td>` : ''}
</tr>`,
  );
  return html`<div class="table-wrap" tabindex="0"><table class="reports"><caption class="sr-only">Reports</caption>
<thead><tr><th scope="col">Report</th><th scope="col">Version / kernel</th><th scope="col">Host hardware</th><th scope="col">Labels</th><th scope="col">Why grouped</th>${v.canMerge && r.total > 1 ? html`<th scope="col"><span class="sr-only">Action</span></th>` : ''}</tr></thead>
<tbody>${rows}</tbody></table></div>
<nav class="pager" aria-label="Report pages">${prev} <span>${formatCount(r.offset + 1)}–${formatCount(r.offset + r.items.length)} of ${formatCount(r.total)}</span> ${next}</nav>`;
}

function similar(v: CandidatePageView): SafeHtml {
  if (!v.similar.length) return emptyState('No other open candidate of this kind is near.');
  return html`<div class="table-wrap" tabindex="0"><table class="similar"><caption class="sr-only">Similar candidates</caption>
<thead><tr><th scope="col">Candidate</th><th scope="col" class="num">Distance</th><th scope="col" class="num">Reports</th>${v.canMerge ? html`<th scope="col"><span class="sr-only">Action</span></th>` : ''}</tr></thead>
<tbody>${v.similar.map(
    (s) => html`<tr data-candidate="${s.id}"><td><a href="/candidates/${s.id}">${s.signatureText}</a></td><td class="num">${formatDistance(s.distance)}</td><td class="num">${formatCount(s.reportCount)}</td>
${v.canMerge ? html`<td><form method="post" action="/candidates/${v.candidate.id}/merge">${csrfField(v.viewer)}<input type="hidden" name="sourceId" value="${s.id}"><button type="submit" class="secondary">Merge into this<span class="sr-only"> candidate: ${s.signatureText}</span></button></form></td>` : ''}</tr>`,
  )}</tbody></table></div>`;
}

const ACTIONS: Readonly<Record<string, string>> = { 'candidate.merge': 'merged', 'candidate.split': 'split' };

function history(v: CandidatePageView): SafeHtml {
  if (!v.rules.length && !v.activity.length) return emptyState('No merge or split has touched this candidate.');
  const who = v.activity.length
    ? html`<div class="table-wrap" tabindex="0"><table class="activity"><caption>Who did what</caption><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th></tr></thead><tbody>${v.activity.map(
        (a) => html`<tr><td>${formatTime(a.at)}</td><td>${a.actor}</td><td>${ACTIONS[a.action] ?? a.action}</td></tr>`,
      )}</tbody></table></div>`
    : '';
  return html`${who}<ul class="history">${v.rules.map(
    (r) => html`<li><time datetime="${new Date(r.createdAt).toISOString()}">${formatTime(r.createdAt)}</time> ${r.kind === 'merge' ? html`merged in <a href="/candidates/${r.source}">${shortId(r.source)}</a>` : html`split out signature <code>${shortId(r.source)}</code>`}${r.note ? html` — ${r.note}` : ''}</li>`,
  )}</ul>`;
}

/** One candidate: summary, thread, charts, hardware, reports, similar candidates and history. */
export function renderCandidatePage(v: CandidatePageView): string {
  const c = v.candidate;
  const section = (id: string, title: string, body: SafeHtml) => html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${body}</section>`;
  return renderLayout({
    title: c.signatureText,
    nav: 'candidates',
    viewer: v.viewer,
    notice: v.notice,
    body: html`<p class="crumbs"><a href="/candidates">Candidates</a> › <code>${shortId(c.id)}</code></p>
<h1 class="signature">${c.signatureText}</h1>
${summary(v)}
<nav class="toc" aria-label="On this page"><ul><li><a href="#ticket">Ticket</a></li><li><a href="#thread">Crash thread</a></li><li><a href="#history-chart">Over time</a></li><li><a href="#rates">Crash rate</a></li><li><a href="#hardware">Hardware</a></li><li><a href="#reports">Reports</a></li><li><a href="#similar">Similar</a></li><li><a href="#triage">History</a></li></ul></nav>
${v.triage ? section('ticket', 'Ticket and triage', triagePanel(c.id, v.triage, v.canMerge, v.ticketRequestId, v.viewer)) : ''}
${section('thread', 'Crash thread', thread(v))}
${section('history-chart', 'Occurrences over time by package version', v.occurrences.series.length ? stackedDailyChart(v.occurrences, `Reports per day by package version, ${v.occurrences.days[0]} to ${v.occurrences.days[v.occurrences.days.length - 1]}`) : emptyState('No reports in this period.'))}
${section('rates', 'Crash rate per 1,000 live hosts by product version', crashRates(v))}
${section('hardware', 'Hardware over-representation', hardware(v))}
${section('reports', 'Reports', reports(v))}
${section('similar', 'Similar candidates', similar(v))}
${section('triage', 'Triage history', history(v))}`,
  });
}
