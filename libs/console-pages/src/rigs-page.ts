import { emptyState } from './form-controls';
import { formatCount, formatTime } from './format';
import { html } from './html';
import { renderLayout, type Viewer } from './layout';

export interface RigRunRow {
  rig: string | null;
  build: string | null;
  testRun: string | null;
  reports: number;
  candidates: number;
  /** Candidates whose first report anywhere came from this run. */
  newCandidates: number;
  lastCrash: Date | string;
}

export interface RigsView {
  runs: readonly RigRunRow[];
  viewer?: Viewer | null;
}

function labelLink(name: string, value: string | null) {
  return value === null ? html`<span class="muted">–</span>` : html`<a href="/candidates?label=${encodeURIComponent(`${name}=${value}`)}">${value}</a>`;
}

/** Crashes from test rigs by rig, build and test run; what each run found first. */
export function renderRigsPage(v: RigsView): string {
  const table = v.runs.length
    ? html`<div class="table-wrap" tabindex="0"><table class="runs"><caption class="sr-only">Crashes by rig, build and test run</caption>
<thead><tr><th scope="col">Rig</th><th scope="col">Build</th><th scope="col">Test run</th><th scope="col" class="num">Reports</th><th scope="col" class="num">Candidates</th><th scope="col" class="num">New in this run</th><th scope="col">Last crash</th></tr></thead>
<tbody>${v.runs.map(
        (r) => html`<tr data-run="${r.testRun ?? ''}"><td>${labelLink('rig', r.rig)}</td><td>${labelLink('build', r.build)}</td><td>${labelLink('test_run', r.testRun)}</td><td class="num">${formatCount(r.reports)}</td><td class="num">${formatCount(r.candidates)}</td><td class="num" data-new="${r.newCandidates}">${formatCount(r.newCandidates)}</td><td>${formatTime(r.lastCrash)}</td></tr>`,
      )}</tbody></table></div>`
    : emptyState('No crash has come from a test rig yet (reports labelled rig, build or test_run).');
  return renderLayout({
    title: 'Rigs and test runs',
    nav: 'rigs',
    viewer: v.viewer,
    body: html`<h1>Rigs and test runs</h1><p class="muted">Follow a link to see that rig's, build's or run's candidates.</p>${table}`,
  });
}
