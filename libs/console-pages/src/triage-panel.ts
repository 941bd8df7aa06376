import { emptyState } from './form-controls';
import { formatTime } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, type Viewer } from './layout';

/** The QA workflow's view of a candidate (TriageService.view), as the panel shows it. */
export interface TriagePanelView {
  state: string;
  manual: { kind: string; untilVersion?: string; untilCount?: number } | null;
  probablyFixedIn: { version: string; stillReporting: string[] } | null;
  tickets: ReadonlyArray<{ key: string; url: string | null; status: string | null; resolution: string | null }>;
  log: ReadonlyArray<{ at: Date | string; actor: string; action: string }>;
}

/** Ticket and triage panel: state, tickets with their Jira state, file/link/mute forms for QA, and the triage log. */
export function triagePanel(candidateId: string, t: TriagePanelView, canAct: boolean, requestId: string, viewer: Viewer | null | undefined): SafeHtml {
  const base = `/candidates/${candidateId}`;
  const tickets = t.tickets.length
    ? html`<ul class="tickets">${t.tickets.map(
        (k) => html`<li data-ticket="${k.key}">${k.url ? html`<a href="${k.url}">${k.key}</a>` : k.key} <span class="muted">${k.status ?? 'not synced yet'}${k.resolution ? ` · ${k.resolution}` : ''}</span></li>`,
      )}</ul>`
    : emptyState('No ticket yet.');
  const manual = t.manual
    ? html` <span class="muted">(${t.manual.kind}${t.manual.untilVersion ? ` until version ${t.manual.untilVersion}` : ''}${t.manual.untilCount ? ` until ${t.manual.untilCount} more reports` : ''})</span>`
    : '';
  const actions = canAct
    ? html`<div class="triage-actions">
<form method="post" action="${base}/ticket">${csrfField(viewer)}<input type="hidden" name="requestId" value="${requestId}"><button type="submit">File a ticket</button></form>
<form method="post" action="${base}/ticket/link" class="inline-form">${csrfField(viewer)}<div class="field"><label for="link-issue">Link an existing issue</label><input id="link-issue" name="issue" placeholder="OVZ-1234" required></div><button type="submit" class="secondary">Link</button></form>
${t.manual
  ? html`<form method="post" action="${base}/unmute">${csrfField(viewer)}<button type="submit" class="secondary">Lift ${t.manual.kind}</button></form>`
  : html`<form method="post" action="${base}/mute" class="inline-form">${csrfField(viewer)}<div class="field"><label for="mute-until">Mute until version (optional)</label><input id="mute-until" name="untilVersion" placeholder="7.5.2"></div><button type="submit" class="secondary">Mute</button></form>`}
</div>`
    : '';
  const log = t.log.length
    ? html`<div class="table-wrap" tabindex="0"><table class="triage-log"><caption>Triage log</caption><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th></tr></thead><tbody>${[...t.log].reverse().map(
        (e) => html`<tr><td>${formatTime(e.at)}</td><td>${e.actor}</td><td>${e.action}</td></tr>`,
      )}</tbody></table></div>`
    : '';
  return html`<p>State: <strong data-state="${t.state}">${t.state}</strong>${manual}${t.probablyFixedIn ? html` · probably fixed in <strong>${t.probablyFixedIn.version}</strong>` : ''}</p>
${tickets}
${actions}
${log}`;
}
