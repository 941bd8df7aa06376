import { renderAdminPage, type AdminView } from './admin-page';
import { renderCandidatePage, type CandidatePageView } from './candidate-page';
import { renderCandidateQueuePage, type CandidateQueueView } from './candidate-queue-page';
import { dayRange, fillDays, sparkline, stackedDailyChart } from './charts';
import { renderErrorPage } from './error-page';
import { formatCount, formatDistance, formatRate, formatShare, formatTime } from './format';
import { renderHardwareSearchPage, type HardwareSearchView } from './hardware-search-page';
import { html, SafeHtml } from './html';
import { queueUrl, readQueueUrl } from './queue-query';
import { renderReportPage, type ReportPageView } from './report-page';
import { groupingExplanation } from './report-parts';
import { renderSignInPage } from './sign-in-page';
import { renderRigsPage, type RigsView } from './rigs-page';

/** Text a crash report or host could carry, crafted to break out of element content and attributes. */
const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>" onmouseover="alert(3)' x='&amp;`;

/** Every string in the view replaced by the hostile text tagged with its path, so each value's escaping is checked. */
function poison<T>(value: T, path = 'v'): T {
  if (typeof value === 'string') return `${HOSTILE}[${path}]` as T;
  if (Array.isArray(value)) return value.map((v, i) => poison(v, `${path}.${i}`)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [poison(k, `${path}.key`).startsWith(HOSTILE) && isRecordKey(path) ? `${HOSTILE}[${path}.${k}]` : k, poison(v, `${path}.${k}`)])) as T;
  }
  return value;
}
/** Labels are free-form maps: their keys come from reports too. */
const isRecordKey = (path: string) => /labels$/.test(path);

/** Paths of every string the poisoned view held. */
function stringPaths(value: unknown, path = 'v', out: string[] = []): string[] {
  if (typeof value === 'string') out.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => stringPaths(v, `${path}.${i}`, out));
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const [k, v] of Object.entries(value)) stringPaths(v, `${path}.${k}`, out);
  return out;
}

function expectNothingRaw(page: string): void {
  expect(page).not.toContain('<script>');
  expect(page).not.toContain('<img');
  expect(page).not.toContain('" onmouseover="');
  expect(page).not.toContain("' x='");
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot; onmouseover=&quot;alert(3)&#39; x=&#39;&amp;amp;');
}

const days = dayRange(new Date('2026-12-04T12:00:00Z'), 30);
const at = new Date('2026-12-01T10:00:00Z');

const queueView = (): CandidateQueueView => ({
  form: readQueueUrl({ cpuVendor: 'AMD', function: 'parse', attr: ['disk.model=X'] }).form,
  total: 120,
  items: [
    { id: 'c1', family: 'python', component: 'vzctl', signatureText: 'vzctl: a | b', reportCount: 10, hostCount: 4, matchedReports: 7, matchedHosts: 3, hotCount: 2, firstSeen: at, lastSeen: at, last30Days: { days, counts: days.map((_, i) => i % 3) } },
  ],
  suggestions: { cpuVendor: ['AMD', 'Intel'], component: ['vzctl'] },
  error: 'bad date',
  viewer: { name: 'qa-jane', role: 'qa' },
  notice: 'done',
  canMerge: true,
});

const candidateView = (): CandidatePageView => ({
  candidate: { id: 'c1', family: 'core', component: 'vzctl', signatureText: 'vzctl: a', reportCount: 3, occurrenceCount: 5, hostCount: 2, firstSeen: at, lastSeen: at, mergedIntoId: 'c0', fieldReports: 2, rigReports: 1 },
  thread: {
    reportId: 'r1',
    frames: [{ function: 'parse_entry', module: 'libvz.so', file: 'src/parse.c', line: 12, grouping: true }, { function: 'main', grouping: false }],
    raw: [{ function: 'parse_entry', file: 'src/parse.c', line: 12, module: 'libvz.so', address: 4096, functionOffset: 16 }],
    rawError: null,
  },
  occurrences: { days: days.slice(-3), series: [{ name: '7.0.1', counts: [1, 0, 2] }] },
  crashRates: [{ version: 'Virtuozzo 7.5', reports: 4, liveHosts: 2000 }, { version: 'OpenVZ 9', reports: 1, liveHosts: null }],
  hardware: { hosts: 2, liveServers: 100, rows: [{ attribute: 'cpu.vendor', value: 'AMD', clusterHosts: 2, clusterShare: 1, fleetShare: 0.2, lift: 5 }] },
  reports: { total: 30, offset: 0, limit: 25, items: [{ id: 'r1', crashedAt: at, packageVersion: '1.0', kernel: '5.14', hardwareAttrs: ['cpu.vendor=AMD', 'disk.kind=nvme'], labels: { rig: 'r-1' }, occurrences: 2, grouping: { method: 'near-duplicate', distance: 0.12, threshold: 0.3, nearestReportId: 'r0' } }] },
  similar: [{ id: 'c2', signatureText: 'vzctl: b', component: 'vzctl', reportCount: 4, distance: 0.4 }],
  rules: [{ kind: 'merge', source: 'c3', note: 'same bug', createdAt: at }],
  activity: [{ at, actor: 'jane', action: 'candidate.merge' }],
  triage: { state: 'ticketed', manual: { kind: 'muted', untilVersion: '7.1' }, probablyFixedIn: { version: '7.2', stillReporting: [] }, tickets: [{ key: 'OVZ-1', url: 'https://jira/browse/OVZ-1', status: 'Open', resolution: null }], log: [{ at, actor: 'jane', action: 'ticket.create' }] },
  ticketRequestId: 'req-1',
  canMerge: true,
  viewer: { name: 'dev', role: 'developer' },
  notice: 'merged',
});

const reportView = (): ReportPageView => ({
  id: 'r1', kind: 'ureport', source: 'agent', status: 'rejected', rejectReason: 'invalid uReport', attempts: 1, receivedAt: at, processedAt: at,
  payloadBytes: 2048, labels: { test_run: 'n-1' }, country: 'DE',
  content: [{ name: 'uReport (JSON)', text: '{"reason": "<b>boom</b>"}' }], contentNote: 'note',
  crash: {
    candidateId: 'c1', problemType: 'CCpp', component: 'vzctl', executable: '/usr/sbin/vzctl', reason: 'SIGSEGV', crashedAt: at, packageVersion: '7.0', osRelease: 'VZ 9',
    kernel: '5.14', architecture: 'x86_64', signatureText: 'vzctl: a', exactHash: 'abcdef0123456789abcdef', grouping: { method: 'exact-signature' },
    normalizedFrames: [{ function: 'a', module: 'm' }], hardwareAttrs: ['cpu.vendor=AMD'],
  },
  profile: { id: 'p1', validFrom: at, validTo: null, attributes: ['disk.kind=nvme'] },
  viewer: null,
});

const hardwareView = (): HardwareSearchView => ({
  form: readQueueUrl({ cpuVendor: 'AMD', diskKind: 'nvme' }).form,
  values: [{ filter: 'cpuVendor', attribute: 'cpu.vendor', value: 'AMD', liveHosts: 40 }, { filter: 'diskKind', attribute: 'disk.kind', value: 'nvme', liveHosts: null }],
  liveServers: 100,
  total: 1,
  clusters: [{ id: 'c1', signatureText: 'vzctl: a', family: 'core', component: 'vzctl', reportCount: 9, matchedReports: 3, matchedHosts: 2 }],
  suggestions: { cpuVendor: ['AMD'] },
  error: 'bad',
});

const adminView = (): AdminView => ({
  users: [{ id: 'u1', username: 'jane', displayName: 'Jane Q', role: 'qa', sso: false, disabledAt: null, createdAt: at }, { id: 'u2', username: 'bob', displayName: 'bob', role: 'viewer', sso: true, disabledAt: at, createdAt: at }],
  tokens: [{ id: 't1', userId: 'u1', name: 'ci', prefix: 'hub_ab12', scope: 'qa', createdAt: at, expiresAt: at, revokedAt: null, lastUsedAt: null }],
  rigKeys: [{ id: 'k1', rigName: 'rig-1', labels: { rig: 'rig-1' }, prefix: 'rig_cd34', createdAt: at, revokedAt: null, lastUsedAt: at }],
  audit: [{ id: 1, at, actorName: 'jane', action: 'candidate.merge', targetType: 'candidate', targetId: 'c1' }],
  auditAction: 'candidate.merge',
  jira: { url: 'https://jira.example.com', project: 'OVZ', issueType: 'Bug', auth: 'token', regressionPolicy: 'reopen' },
  jiraCheck: {
    at, by: 'root', ok: false, problems: ['required fields the hub does not fill: customfield_1'],
    server: { version: '9.12.2', deploymentType: 'Server', title: 'Jira', createmeta: 'paged' }, user: 'crashhub', project: { key: 'OVZ', name: 'OpenVZ' }, issueType: { name: 'Bug' },
  },
  secret: { what: 'Password of new', value: 's3cret' },
  viewer: { name: 'root', role: 'admin' },
  notice: 'done',
});

const rigsView = (): RigsView => ({ runs: [{ rig: 'rig-1', build: 'b-1', testRun: 'n-1', reports: 5, candidates: 2, newCandidates: 1, lastCrash: at }] });

describe('html template', () => {
  it('escapes interpolated text for content and quoted attributes, and keeps its own markup', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(String(html`<p title="${`"x' & <y>`}">${inner}</p>`)).toBe('<p title="&quot;x&#39; &amp; &lt;y&gt;">&lt;b&gt;</p>'.replace('&lt;b&gt;', '<b>&lt;i&gt;</b>'));
  });

  it('joins arrays and renders null, undefined and booleans as nothing', () => {
    expect(String(html`${['<', html`<br>`, 3]}|${null}|${undefined}|${false}|${true}|${0}`)).toBe('&lt;<br>3|||||0');
  });

  it('cannot be handed markup from outside: SafeHtml is made by the template only', () => {
    expect(() => new (SafeHtml as unknown as new (t: symbol, s: string) => SafeHtml)(Symbol('trusted-html'), '<script>')).toThrow();
  });
});

describe('console pages escape every value', () => {
  const pages: Array<[string, (view: <T>(v: T) => T) => string, () => unknown]> = [
    ['queue', (f) => renderCandidateQueuePage(f(queueView())), queueView],
    ['candidate', (f) => renderCandidatePage(f(candidateView())), candidateView],
    ['report', (f) => renderReportPage(f(reportView())), reportView],
    ['hardware search', (f) => renderHardwareSearchPage(f(hardwareView())), hardwareView],
    ['rigs', (f) => renderRigsPage(f(rigsView())), rigsView],
    ['admin', (f) => renderAdminPage(f(adminView())), adminView],
    ['error', (f) => renderErrorPage(404, f('no such page'), { name: f('jane'), role: 'qa' }), () => ({})],
  ];
  const plain = <T>(v: T): T => v;

  it.each(pages)('%s page: no hostile text reaches the page unescaped', (_name, render) => {
    expectNothingRaw(render(poison));
  });

  it.each(pages.slice(0, 6))('%s page: shows (escaped) the strings a page is about', (_name, render, view) => {
    const page = render(poison);
    // Chart day keys are axis positions, not text; everything else a page is given it mostly shows.
    const given = stringPaths(poison(view())).filter((p) => !/\.days\.\d+$/.test(p));
    const shown = given.filter((p) => page.includes(`[${p}]`));
    expect(shown.length).toBeGreaterThan(given.length / 2);
  });

  it('report text crafted as HTML is shown as text inside the stored content', () => {
    const page = renderReportPage(reportView());
    expect(page).toContain('{&quot;reason&quot;: &quot;&lt;b&gt;boom&lt;/b&gt;&quot;}');
    expect(page).not.toContain('<b>boom');
  });

  it('no page carries a script other than htmx from our origin, nor an inline style', () => {
    for (const [, render] of pages) {
      const page = render(plain);
      expect(page.match(/<script\b[^>]*>/g) ?? []).toEqual(page.includes('htmx') ? ['<script src="/assets/htmx.min.js" defer>'] : []);
      expect(page).not.toMatch(/\sstyle=|<style/);
      expect(page).not.toMatch(/\son[a-z]+=/);
    }
  });
});

describe('empty states', () => {
  it('queue: nothing grouped yet vs nothing matching the filters', () => {
    const empty = { ...queueView(), items: [], total: 0, error: null };
    expect(renderCandidateQueuePage({ ...empty, form: readQueueUrl({}).form })).toContain('No crash reports have been grouped yet.');
    const filtered = renderCandidateQueuePage(empty);
    expect(filtered).toContain('No candidate matches these filters.');
    expect(filtered).not.toContain('Merge selected');
    const noneInState = renderCandidateQueuePage({ ...empty, form: readQueueUrl({ state: 'regressed', sort: 'hot' }).form });
    expect(noneInState).toContain('No candidate is in this triage state.');
    expect(noneInState).toContain('href="/candidates?sort=hot">Show all states');
  });

  it('admin Jira section: not configured, configured but untested, and a test result', () => {
    const none = renderAdminPage({ ...adminView(), jira: null, jiraCheck: null });
    expect(none).toContain('Jira is not configured: set JIRA_URL');
    expect(none).not.toContain('action="/admin/jira/check"');
    const untested = renderAdminPage({ ...adminView(), jiraCheck: null, viewer: { name: 'root', role: 'admin', csrfToken: 'tok' } });
    expect(untested).toContain('Not tested yet.');
    expect(untested).toMatch(/<form method="post" action="\/admin\/jira\/check" class="inline"><input type="hidden" name="_csrf" value="tok"><button type="submit">Test connection<\/button>/);
    expect(untested).toContain('data-auth="token">personal access token (bearer)');
    const failed = renderAdminPage(adminView());
    expect(failed).toContain('data-jira-check="failed"');
    expect(failed).toContain('<li>required fields the hub does not fill: customfield_1</li>');
    expect(failed).toContain('Signed in as <code>crashhub</code>; project OVZ (OpenVZ), issue type Bug.');
    const ok = renderAdminPage({ ...adminView(), jiraCheck: { ...adminView().jiraCheck!, ok: true, problems: [] } });
    expect(ok).toContain('data-jira-check="ok"');
    expect(ok).toContain('Connection works');
  });

  it('candidate page without thread, history, rates, hardware, similar or rules', () => {
    const page = renderCandidatePage({
      ...candidateView(),
      thread: null,
      occurrences: { days, series: [] },
      crashRates: [],
      hardware: { hosts: 0, liveServers: 0, rows: [] },
      reports: { total: 0, offset: 0, limit: 25, items: [] },
      similar: [],
      rules: [],
      activity: [],
      triage: { state: 'new', manual: null, probablyFixedIn: null, tickets: [], log: [] },
    });
    for (const text of ['no reports left', 'No reports in this period.', 'No report came from a host with a known product version.', 'No hardware is known', 'No reports.', 'No other open candidate', 'No merge or split', 'No ticket yet.']) {
      expect(page).toContain(text);
    }
  });

  it('hardware search before a search, report page without crash or profile, rigs without runs', () => {
    expect(renderHardwareSearchPage({ ...hardwareView(), values: [], clusters: [], total: 0, error: null, form: readQueueUrl({}).form })).toContain('Choose hardware values above');
    expect(renderHardwareSearchPage({ ...hardwareView(), clusters: [], total: 0 })).toContain('No crash report came from a host with these values.');
    const report = renderReportPage({ ...reportView(), crash: null, profile: null, content: [] });
    expect(report).toContain('This report was rejected, so it was not grouped.');
    expect(report).toContain('No CEP profile is linked');
    expect(report).toContain('Nothing stored to show.');
    expect(renderRigsPage({ runs: [] })).toContain('No crash has come from a test rig yet');
    const admin = renderAdminPage({ ...adminView(), users: [], tokens: [], rigKeys: [], audit: [], secret: null });
    for (const text of ['No accounts yet.', 'No API tokens.', 'No rig keys.', 'Nothing recorded yet.']) expect(admin).toContain(text);
    expect(admin).not.toContain('class="secret"');
  });
});

describe('numbers, charts and URLs', () => {
  it('formats counts, shares, rates, distances and times the same in every locale', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatShare(0.0456)).toBe('4.6 %');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(2)).toBe('2');
    expect(formatRate(0.012345)).toBe('0.0123');
    expect(formatRate(12.345)).toBe('12.3');
    expect(formatRate(1234.5)).toBe('1,235');
    expect(formatRate(Infinity)).toBe('–');
    expect(formatDistance(0.3)).toBe('0.30');
    expect(formatTime('2026-12-04T18:03:59Z')).toBe('2026-12-04 18:03');
    expect(formatTime(null)).toBe('–');
    expect(formatTime('not a date')).toBe('–');
  });

  it('crash rate per 1,000 live hosts on the candidate page', () => {
    const page = renderCandidatePage(candidateView());
    // 4 reports on 2,000 live hosts of that version = 2 per 1,000; a version without live hosts has no rate.
    expect(page).toContain('data-rate="2">2<');
    expect(page).toContain('no live hosts');
  });

  it('sparkline: one bar per day, the tallest for the busiest day, totals in its accessible name', () => {
    const counts = fillDays(days, new Map([[days[29], 6], [days[10], 3]]));
    const svg = String(sparkline({ days, counts }));
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(30);
    expect(heights.indexOf(Math.max(...heights))).toBe(29);
    expect(heights[10]).toBeCloseTo(heights[29] / 2, 1);
    expect(svg).toContain('9 reports in the last 30 days, at most 6 a day');
    expect(String(sparkline({ days, counts: days.map(() => 0) }))).not.toContain('NaN');
  });

  it('stacked chart: each series stacked per day with a legend of totals', () => {
    const svg = String(stackedDailyChart({ days: ['d1', 'd2'], series: [{ name: 'v1', counts: [2, 0] }, { name: 'v2', counts: [1, 3] }] }, 'c'));
    expect(svg.match(/<rect class="s\d"[^>]*>/g)).toHaveLength(3 + 2);
    expect(svg).toContain('v2 <span class="muted">(4)</span>');
  });

  it('state tabs: each keeps the rest of the view, marks the current one, and sums its states', () => {
    const { form, query } = readQueueUrl({ state: 'muted,ignored', cpuVendor: 'AMD', sort: 'hot', offset: '50', limit: '25' });
    expect(query).toMatchObject({ state: 'muted,ignored' });
    const page = renderCandidateQueuePage({ ...queueView(), form, stateCounts: { new: 1200, muted: 3, ignored: 4, 'wont-fix': 1, duplicate: 2 } });
    const strip = page.slice(page.indexOf('<nav class="tabs"'), page.indexOf('</nav>', page.indexOf('<nav class="tabs"')));
    const tabs = [...strip.matchAll(/<li><a href="([^"]*)"( aria-current="page")?>([^<]*)(?:<span class="count">([^<]*)<\/span>)?<\/a><\/li>/g)].map((m) => ({
      href: m[1]!.replace(/&amp;/g, '&'), current: Boolean(m[2]), text: m[3]!.trim(), count: m[4] ?? null,
    }));
    expect(tabs.map((t) => t.text)).toEqual(['New', 'Ticketed', 'Fix pending', 'Verified fixed', 'Regressed', 'Won&#39;t fix / duplicate / cannot reproduce', 'Muted / ignored', 'All']);
    expect(tabs.filter((t) => t.current).map((t) => t.text)).toEqual(['Muted / ignored']);
    // Counts: a tab's states summed, All = every state.
    expect(tabs.map((t) => t.count)).toEqual(['1,200', '0', '0', '0', '0', '3', '7', '1,210']);
    for (const t of tabs) {
      const params = new URL(t.href, 'http://x').searchParams;
      expect(params.get('cpuVendor')).toBe('AMD');
      expect(params.get('sort')).toBe('hot');
      expect(params.get('limit')).toBe('25');
      // A new tab starts at its first page.
      expect(params.has('offset')).toBe(false);
    }
    expect(tabs.find((t) => t.text === 'All')!.href).not.toContain('state=');
    expect(new URL(tabs[5]!.href, 'http://x').searchParams.get('state')).toBe('wont-fix,duplicate,cannot-reproduce');
    // The filter form carries the tab, so applying filters stays on it.
    expect(page).toContain('<input type="hidden" name="state" value="muted,ignored">');
    // Without counts (a filtered view) the tabs carry none.
    expect(renderCandidateQueuePage({ ...queueView(), form, stateCounts: null })).not.toContain('class="count"');
  });

  it('the queue URL holds the whole view, and reading it back gives the same view', () => {
    const { form, query } = readQueueUrl({ cpuVendor: 'AMD,Intel', lastSeenFrom: '2026-11-01', attr: ['disk.kind=nvme', 'nic.speed=25G'], sort: 'hot', offset: '50', kernel: '' });
    expect(query).toMatchObject({ cpuVendor: 'AMD,Intel', lastSeenFrom: '2026-11-01T00:00:00Z', attr: ['disk.kind=nvme', 'nic.speed=25G'], sort: 'hot', offset: '50' });
    expect(query).not.toHaveProperty('kernel');
    const url = queueUrl(form);
    const again = readQueueUrl(Object.fromEntries([...new URL(url, 'http://x').searchParams.keys()].map((k) => [k, new URL(url, 'http://x').searchParams.getAll(k).length > 1 ? new URL(url, 'http://x').searchParams.getAll(k) : new URL(url, 'http://x').searchParams.get(k)!])));
    expect(again.form).toEqual(form);
    expect(queueUrl(form, { offset: 0 })).not.toContain('offset');
  });
});

describe('why grouped', () => {
  it('says when frames were retraced with debuginfo, after the decision', () => {
    expect(groupingExplanation({ method: 'exact-signature' }).toString()).toBe('same exact signature');
    expect(groupingExplanation({ method: 'exact-signature', retraced: { frames: 2, inlinedFrames: 1 } }).toString()).toBe(
      'same exact signature; 2 frames retraced with debuginfo, 1 inlined frames added',
    );
    expect(groupingExplanation({ method: 'new-candidate', retraced: { frames: 3, inlinedFrames: 0 } }).toString()).toBe('opened this candidate; 3 frames retraced with debuginfo');
  });
});

describe('sign-in page', () => {
  it('escapes every value it shows', () => {
    const page = renderSignInPage({ csrfToken: '"><script>x</script>', next: '/a"b', username: '<img src=x>', error: 'bad & <b>wrong</b>', ssoUrl: '/x"><b>' });
    expect(page).not.toMatch(/<script>|<img|<b>/);
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(page).toContain('value="/a&quot;b"');
    expect(page).toContain('value="&lt;img src=x&gt;"');
    expect(page).toContain('bad &amp; &lt;b&gt;wrong&lt;/b&gt;');
  });

  it('sits in the console layout: stylesheet, public navigation, labelled fields, no script, no link back to itself', () => {
    const page = renderSignInPage({ csrfToken: 'tok', next: '/' });
    expect(page).toContain('<link rel="stylesheet" href="/assets/console.css">');
    expect(page).toContain('<nav class="site" aria-label="Main"><a class="brand" href="/stats">');
    expect(page).toContain('<li><a href="/stats">Fleet statistics</a></li>');
    expect(page).not.toContain('href="/candidates"');
    expect(page).not.toContain('href="/sign-in"');
    expect(page).toContain('<main id="main" tabindex="-1">');
    expect(page).toContain('<form method="post" action="/sign-in" class="filters">');
    expect(page).toContain('<label for="username">');
    expect(page).toContain('<label for="password">');
    expect(page).toContain('name="_csrf" value="tok"');
    expect(page).not.toMatch(/<script\b|\sstyle=|<style/);
    expect(page).not.toContain('single sign-on');
    expect(renderSignInPage({ csrfToken: 't', next: '/', ssoUrl: '/sign-in/oidc' })).toContain('href="/sign-in/oidc"');
  });
});
