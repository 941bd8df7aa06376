import { attributeLabel } from '../../host-profiles/src/fleet-breakdown';
import { emptyState } from './form-controls';
import { formatCount, formatTime, shortId } from './format';
import { html, type SafeHtml } from './html';
import { renderLayout, type Viewer } from './layout';
import { groupingExplanation, type GroupingView, labelList } from './report-parts';

export interface ReportPageView {
  id: string;
  kind: string;
  source: string;
  status: string;
  rejectReason: string | null;
  attempts: number;
  receivedAt: Date | string;
  processedAt: Date | string | null;
  payloadBytes: number;
  labels: Readonly<Record<string, string>>;
  country: string | null;
  /** The stored (agent-scrubbed) content, as text: pretty JSON or the archive's files. */
  content: ReadonlyArray<{ name: string; text: string }>;
  contentNote?: string | null;
  crash: {
    candidateId: string;
    problemType: string;
    component: string;
    executable: string | null;
    reason: string | null;
    crashedAt: Date | string;
    packageVersion: string | null;
    osRelease: string | null;
    kernel: string | null;
    architecture: string | null;
    signatureText: string;
    exactHash: string;
    grouping: GroupingView;
    normalizedFrames: ReadonlyArray<{ function: string; module?: string }>;
    hardwareAttrs: readonly string[];
  } | null;
  profile: { id: string; validFrom: Date | string; validTo: Date | string | null; attributes: readonly string[] } | null;
  viewer?: Viewer | null;
}

function attributeTable(attrs: readonly string[], caption: string): SafeHtml {
  if (!attrs.length) return emptyState('Nothing known.');
  const rows = [...attrs].sort().map((a) => {
    const at = a.indexOf('=');
    return html`<tr><th scope="row">${attributeLabel(a.slice(0, at))}</th><td>${a.slice(at + 1)}</td></tr>`;
  });
  return html`<div class="table-wrap" tabindex="0"><table class="attrs"><caption class="sr-only">${caption}</caption><tbody>${rows}</tbody></table></div>`;
}

/** One stored report: status and reason, what it said, the host profile at crash time, why grouped. */
export function renderReportPage(v: ReportPageView): string {
  const item = (term: string, value: SafeHtml | string) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`;
  const c = v.crash;
  const crash = c
    ? html`<dl class="summary">
${item('Candidate', html`<a href="/candidates/${c.candidateId}">${c.signatureText}</a>`)}
${item('Why grouped', groupingExplanation(c.grouping))}
${item('Problem type', c.problemType)}${item('Component', c.component)}
${item('Executable', c.executable ?? '–')}${item('Reason', c.reason ?? '–')}
${item('Crashed', formatTime(c.crashedAt))}${item('Package version', c.packageVersion ?? '–')}
${item('OS release', c.osRelease ?? '–')}${item('Kernel', c.kernel ?? '–')}${item('Architecture', c.architecture ?? '–')}
${item('Exact signature', html`<code>${c.exactHash.slice(0, 16)}</code>`)}
</dl>
<h3>Normalized crash thread</h3>
<ol class="frames" start="0">${c.normalizedFrames.map((f) => html`<li><code>${f.function}</code>${f.module ? html` <span class="muted">${f.module}</span>` : ''}</li>`)}</ol>
<h3>Host facts at crash time</h3>${attributeTable(c.hardwareAttrs, 'Host facts of the crash')}`
    : emptyState(v.status === 'rejected' ? 'This report was rejected, so it was not grouped.' : 'Not grouped yet.');
  return renderLayout({
    title: `Report ${shortId(v.id)}`,
    nav: 'candidates',
    viewer: v.viewer,
    body: html`<p class="crumbs"><a href="/candidates">Candidates</a>${c ? html` › <a href="/candidates/${c.candidateId}">${shortId(c.candidateId)}</a>` : ''} › report</p>
<h1>Report <code>${v.id}</code></h1>
<dl class="summary">
${item('Status', html`<span class="status status-${v.status}" data-status="${v.status}">${v.status}</span>`)}
${v.rejectReason ? item('Reason', v.rejectReason) : ''}
${item('Kind', `${v.kind} via ${v.source}`)}${item('Attempts', formatCount(v.attempts))}
${item('Received', formatTime(v.receivedAt))}${item('Processed', formatTime(v.processedAt))}
${item('Size', `${formatCount(v.payloadBytes)} bytes`)}${item('Country', v.country ?? '–')}
${item('Labels', labelList(v.labels))}
</dl>
<section aria-labelledby="crash-h"><h2 id="crash-h">Crash</h2>${crash}</section>
<section aria-labelledby="profile-h"><h2 id="profile-h">Host profile at crash time</h2>${
      v.profile
        ? html`<p class="muted">Profile <code>${shortId(v.profile.id)}</code>, valid ${formatTime(v.profile.validFrom)} – ${v.profile.validTo ? formatTime(v.profile.validTo) : 'now'}.</p>${attributeTable(v.profile.attributes, 'Host profile')}`
        : emptyState('No CEP profile is linked to this crash (the host sent none, or it was erased).')
    }</section>
<section aria-labelledby="content-h"><h2 id="content-h">Stored content</h2>
${v.contentNote ? html`<p class="muted">${v.contentNote}</p>` : ''}
${v.content.length ? v.content.map((f) => html`<details><summary>${f.name} <span class="muted">(${formatCount(f.text.length)} characters)</span></summary><pre class="content">${f.text}</pre></details>`) : emptyState('Nothing stored to show.')}
</section>`,
  });
}
