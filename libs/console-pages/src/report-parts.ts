import { formatDistance, shortId } from './format';
import { html, type SafeHtml } from './html';

/** A report's grouping decision as stored (crash_report.grouping). */
export interface GroupingView {
  method: string;
  distance?: number;
  nearestReportId?: string;
  via?: string;
  threshold?: number;
  normalizationVersion?: number;
  /** Frames resolved with debuginfo before grouping (DEBUGINFO_DIRS). */
  retraced?: { frames: number; inlinedFrames: number };
}

/** "Why grouped", in words, with links to the report it was measured against. */
export function groupingExplanation(g: GroupingView): SafeHtml {
  const decision = groupingDecision(g);
  if (!g.retraced) return decision;
  return html`${decision}; ${g.retraced.frames} frames retraced with debuginfo${g.retraced.inlinedFrames ? `, ${g.retraced.inlinedFrames} inlined frames added` : ''}`;
}

function groupingDecision(g: GroupingView): SafeHtml {
  switch (g.method) {
    case 'exact-signature':
      return html`same exact signature`;
    case 'near-duplicate':
      return html`near duplicate${g.distance !== undefined ? ` (distance ${formatDistance(g.distance)}${g.threshold !== undefined ? ` ≤ ${formatDistance(g.threshold)}` : ''})` : ''}${g.nearestReportId ? html` of <a href="/reports/${g.nearestReportId}">${shortId(g.nearestReportId)}</a>` : ''}`;
    case 'new-candidate':
      return html`opened this candidate`;
    case 'merge-rule':
      return html`followed a merge${g.via ? html` from <a href="/candidates/${g.via}">${shortId(g.via)}</a>` : ''}`;
    case 'split-rule':
      return html`followed a split rule`;
    default:
      return html`${g.method}`;
  }
}

const SUMMARY_ATTRIBUTES = ['cpu.vendor', 'cpu.model', 'memory.size', 'disk.kind', 'bonding.mode', 'product.version', 'kernel', 'country'];

/** The few host attributes that tell hosts apart at a glance, e.g. "AMD · EPYC 7302 · 64G · nvme". */
export function hardwareSummary(attrs: readonly string[]): SafeHtml {
  const byAttr = new Map<string, string[]>();
  for (const a of attrs) {
    const at = a.indexOf('=');
    const k = a.slice(0, at);
    if (SUMMARY_ATTRIBUTES.includes(k)) byAttr.set(k, [...(byAttr.get(k) ?? []), a.slice(at + 1)]);
  }
  const parts = SUMMARY_ATTRIBUTES.filter((k) => byAttr.has(k)).map((k) => byAttr.get(k)!.join('/'));
  return parts.length ? html`${parts.join(' · ')}` : html`<span class="muted">unknown</span>`;
}

export function labelList(labels: Readonly<Record<string, string>>): SafeHtml {
  const entries = Object.entries(labels);
  return entries.length ? html`<ul class="labels">${entries.map(([k, v]) => html`<li><code>${k}=${v}</code></li>`)}</ul>` : html`<span class="muted">field</span>`;
}
