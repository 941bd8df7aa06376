import { existsSync, statSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, overflowingElements, screenshotBothWidths, seriousViolations, WIDTHS } from '../support/browser';
import { candidateOf, seedConsole, STACKS, type SeededConsole } from '../support/console-seed';
import { FakeJira } from '../support/fake-jira';
import { startTestHub, TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

/**
 * The console in real Chromium: a QA engineer signs in, filters by hardware, reads a candidate,
 * merges a similar one, splits a report out and signs out; an admin manages people. Axe and
 * screenshots at 1280 and 390 px on every page.
 */
describe('console in Chromium', () => {
  let hub: TestHub;
  let jira: FakeJira;
  let seed: SeededConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    jira = new FakeJira({ token: 'jira-pat-secret' });
    await jira.start();
    hub = await startTestHub('consolebrowser', { JIRA_URL: jira.url, JIRA_TOKEN: 'jira-pat-secret', JIRA_SYNC_INTERVAL_MS: '3600000' });
    seed = await seedConsole(hub);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: WIDTHS.desktop });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('dialog', (d) => {
      cspViolations.push(`a dialog opened: ${d.message()}`);
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await jira?.stop();
  });

  /** Every page: no serious accessibility violation, nothing wider than a phone, screenshots at both widths. */
  async function checkPage(name: string): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
    const shots = await screenshotBothWidths(page, name);
    for (const f of shots) expect(statSync(f).size).toBeGreaterThan(5_000);
    await page.setViewportSize(WIDTHS.phone);
    expect(await overflowingElements(page)).toEqual([]);
    await page.setViewportSize(WIDTHS.desktop);
  }

  /** Signs in through the sign-in form, from the page the console sent the browser to. */
  async function signIn(role: 'qa' | 'admin', path: string): Promise<void> {
    await page.goto(`${hub.url}${path}`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.fill('#username', hub.people[role].username);
    await page.fill('#password', hub.people[role].password);
    await page.press('#password', 'Enter');
    await page.waitForURL(`${hub.url}${path}`);
  }

  async function signOut(): Promise<void> {
    await page.click('header .who button:has-text("Sign out")');
    await page.waitForURL(/\/sign-in/);
  }

  it('signs in through the form and lands on the page asked for', async () => {
    await page.goto(`${hub.url}/candidates`);
    await page.waitForURL(/\/sign-in\?next=%2Fcandidates/);
    // The sign-in page shares the console's layout: its stylesheet applies, its navigation shows only public links.
    expect(await page.locator('header.site nav.site a').allInnerTexts()).toEqual(['Crash hub', 'Fleet statistics']);
    expect(await page.locator('#username').evaluate((el) => el.labels?.[0]?.textContent)).toBe('Username');
    expect(await page.evaluate('getComputedStyle(document.body).margin')).toBe('0px');
    await checkPage('sign-in');
    await signIn('qa', '/candidates');
    expect(await page.locator('header .who > span').innerText()).toBe(`${hub.people.qa.username} (qa)`);
  });

  it('filters the queue by a hardware value, by keyboard, and the URL holds the view', async () => {
    await page.goto(`${hub.url}/candidates`);
    expect(await page.locator('tr[data-candidate]').count()).toBe(4);
    await checkPage('candidates');
    await page.focus('#f-cpuVendor');
    await page.keyboard.type('AMD');
    await page.keyboard.press('Enter');
    await page.waitForURL(/cpuVendor=AMD/);
    await page.waitForFunction("document.querySelectorAll('tr[data-candidate]').length === 2");
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const twin = await candidateOf(hub, seed.reports.amdTwin[0]);
    expect(new Set(await page.locator('tr[data-candidate]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-candidate') ?? '')))).toEqual(new Set([amd, twin]));
    // The same URL loaded afresh (no JavaScript state) shows the same view.
    await page.goto(page.url());
    expect(await page.locator('tr[data-candidate]').count()).toBe(2);
    expect(await page.inputValue('#f-cpuVendor')).toBe('AMD');
    await checkPage('candidates-amd');
  });

  it('opens a candidate and reads its stack, grouping frames and hardware table', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    await page.click(`tr[data-candidate="${amd}"] a`);
    await page.waitForURL(new RegExp(`/candidates/${amd}`));
    const frames = await page.locator('table.thread tbody tr').allInnerTexts();
    expect(frames.map((f) => f.split('\t')[1].replace(/\s*grouping$/, ''))).toEqual([...STACKS.amd]);
    // The fixture's frames sit at cli.py lines 10, 11, …
    expect(frames[0]).toContain('cli.py:10');
    expect(await page.locator('table.thread tr.grouping').count()).toBe(STACKS.amd.length);
    const vendorRow = page.locator('table.hardware tr[data-attribute="cpu.vendor"][data-value="AMD"]');
    expect(await vendorRow.locator('td').nth(1).innerText()).toBe(String(seed.amdHosts.length));
    expect(await vendorRow.locator('td').nth(2).innerText()).toBe('100.0 %');
    await checkPage('candidate');
  });

  it('merges a similar candidate with a keyboard press and shows the merged reports', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    const twin = await candidateOf(hub, seed.reports.amdTwin[0]);
    const merge = page.locator(`#similar tr[data-candidate="${twin}"] button`);
    await merge.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/candidates/${amd}\\?done=merged`));
    expect(await page.locator('.notice').innerText()).toContain('Merged');
    expect(await page.locator('[data-reports]').first().getAttribute('data-reports')).toBe(String(seed.reports.amd.length + 1));
    expect(await candidateOf(hub, seed.reports.amdTwin[0])).toBe(amd);
    expect(await page.locator(`#similar tr[data-candidate="${twin}"]`).count()).toBe(0);
    // The triage history names who merged.
    expect(await page.locator('table.activity tbody').innerText()).toContain(`${hub.people.qa.username}\tmerged`);
  });

  it('splits a report out into a candidate of its own', async () => {
    const intel = await candidateOf(hub, seed.reports.intel[0]);
    expect(await candidateOf(hub, seed.reports.intelVariant[0])).toBe(intel);
    await page.goto(`${hub.url}/candidates/${intel}`);
    await page.click(`tr[data-report="${seed.reports.intelVariant[0]}"] button`);
    await page.waitForURL(/\?done=split/);
    const created = await candidateOf(hub, seed.reports.intelVariant[0]);
    expect(created).not.toBe(intel);
    expect(page.url()).toContain(`/candidates/${created}`);
    expect(await page.locator('tr[data-report]').count()).toBe(1);
    expect(await candidateOf(hub, seed.reports.intel[0])).toBe(intel);
  });

  it('files a ticket in (fake) Jira and sees its key and state, then mutes the candidate', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    await page.goto(`${hub.url}/candidates/${amd}`);
    expect(await page.locator('#ticket [data-state]').innerText()).toBe('new');
    await page.click('#ticket button:has-text("File a ticket")');
    await page.waitForURL(/done=filing/);
    // Filing is a queued job: the key shows once Jira has answered.
    const key = await waitFor(async () => {
      await page.reload();
      return (await page.locator('#ticket li[data-ticket]').count()) ? page.locator('#ticket li[data-ticket]').getAttribute('data-ticket') : undefined;
    }, 20_000, 'the ticket key on the page');
    const filed = jira.created();
    expect(filed.map((i) => i.key)).toEqual([key]);
    expect(await page.locator('#ticket [data-state]').innerText()).toBe('ticketed');
    expect(await page.locator(`#ticket li[data-ticket="${key}"] a`).getAttribute('href')).toBe(`${jira.url}/browse/${key}`);
    await checkPage('candidate-ticketed');

    await page.fill('#mute-until', '1.3');
    await page.press('#mute-until', 'Enter');
    await page.waitForURL(/done=muted/);
    expect(await page.locator('#ticket [data-state]').innerText()).toBe('muted');
    expect(await page.locator('#ticket').innerText()).toContain('until version 1.3');
    expect(await page.locator('table.triage-log tbody').innerText()).toContain(hub.people.qa.username);
  });

  it('queue tabs by triage state: the muted candidate under its tab, the others under New, filters kept', async () => {
    const amd = await candidateOf(hub, seed.reports.amd[0]);
    await page.goto(`${hub.url}/candidates?cpuVendor=AMD&sort=hot`);
    expect(await page.locator('nav.tabs a[aria-current="page"]').innerText()).toBe('All');
    await page.click('nav.tabs a:has-text("Muted / ignored")');
    await page.waitForURL(/state=muted%2Cignored/);
    expect(new URL(page.url()).searchParams.get('cpuVendor')).toBe('AMD');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('hot');
    expect(await page.locator('tr[data-candidate]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-candidate')))).toEqual([amd]);
    // Without other filters each tab shows its count; New holds every candidate but the muted one.
    await page.goto(`${hub.url}/candidates?state=new`);
    const newRows = await page.locator('tr[data-candidate]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-candidate')));
    expect(newRows).not.toContain(amd);
    expect(await page.locator('nav.tabs a[aria-current="page"] .count').innerText()).toBe(String(newRows.length));
    expect(await page.locator('nav.tabs a:has-text("Muted / ignored") .count').innerText()).toBe('1');
    expect(await page.locator('nav.tabs a:has-text("All") .count').innerText()).toBe(String(newRows.length + 1));
    await checkPage('candidates-tab-new');
    await page.click('nav.tabs a:has-text("Regressed")');
    await page.waitForURL(/state=regressed/);
    expect(await page.locator('p.empty').innerText()).toContain('No candidate is in this triage state.');
  });

  it('shows crafted frame names as text on the queue, candidate and report pages', async () => {
    const hostile = await candidateOf(hub, seed.reports.hostile[0]);
    await page.goto(`${hub.url}/candidates/${hostile}`);
    expect(await page.locator('table.thread tbody tr').first().innerText()).toContain(STACKS.hostile[0]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.goto(`${hub.url}/reports/${seed.reports.hostile[0]}`);
    expect(await page.locator('ol.frames li code').first().innerText()).toBe(STACKS.hostile[0]);
    expect(cspViolations).toEqual([]);
  });

  it('every other page passes axe and fits a phone: report, hardware search, rigs, statistics', async () => {
    await page.goto(`${hub.url}/reports/${seed.reports.amd[0]}`);
    expect(await page.locator('[data-status]').innerText()).toBe('processed');
    await checkPage('report');
    await page.goto(`${hub.url}/hardware`);
    await checkPage('hardware-empty');
    await page.fill('#f-cpuVendor', 'AMD');
    await page.fill('#f-diskKind', 'nvme');
    await page.click('form[role="search"] button[type="submit"]');
    await page.waitForURL(/cpuVendor=AMD/);
    expect(await page.locator('tr[data-attribute="cpu.vendor"] [data-live]').getAttribute('data-live')).toBe(String(seed.amdHosts.length));
    expect(await page.locator('table.clusters tr[data-candidate]').count()).toBe(1);
    await checkPage('hardware');
    await page.goto(`${hub.url}/rigs`);
    expect(await page.locator('tr[data-run="nightly-7"] [data-new]').getAttribute('data-new')).toBe('1');
    await checkPage('rigs');
    await page.goto(`${hub.url}/stats`);
    await checkPage('stats');
    await page.goto(`${hub.url}/candidates/00000000-0000-4000-8000-000000000000`);
    await checkPage('not-found');
    expect(cspViolations).toEqual([]);
  });

  it('signs out, and then cannot reach the console', async () => {
    await page.goto(`${hub.url}/candidates`);
    await signOut();
    for (const path of ['/candidates', '/hardware', '/rigs', `/reports/${seed.reports.amd[0]}`]) {
      await page.goto(`${hub.url}${path}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await page.locator('tr[data-candidate], tr[data-report]').count()).toBe(0);
    }
  });

  it('administration, as an admin: people, tokens, rig keys and the audit log of the merge and split above', async () => {
    await signIn('admin', '/candidates');
    await page.click('nav.site a[href="/admin"]');
    await page.waitForURL(/\/admin$/);
    expect(await page.locator('tr[data-user]').count()).toBe(4);
    const actions = await page.locator('table.audit tbody tr td:nth-child(3)').allInnerTexts();
    expect(actions).toEqual(expect.arrayContaining(['candidate.merge', 'candidate.split']));
    await checkPage('admin');
    await page.fill('#new-username', 'browser-dev');
    await page.selectOption('#f-role', 'developer');
    await page.click('#users button[type="submit"]:has-text("Add")');
    await page.waitForSelector('code.secret');
    expect((await page.locator('code.secret').innerText()).length).toBeGreaterThan(8);
    expect(await page.locator('tr[data-user="browser-dev"]').count()).toBe(1);
    // Disabling works from the keyboard too, through the same POST-redirect-GET.
    await page.locator('tr[data-user="browser-dev"] button').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/done=disabled/);
    expect(await page.locator('tr[data-user="browser-dev"] td:nth-child(4)').innerText()).toContain('disabled');

    // Jira settings and the connection test against the fake Jira, never showing the token.
    expect(await page.locator('#jira [data-auth]').getAttribute('data-auth')).toBe('token');
    expect(await page.locator('#jira').innerText()).not.toContain('jira-pat-secret');
    await page.click('#jira button:has-text("Test connection")');
    await page.waitForURL(/done=jira-checked/);
    expect(await page.locator('#jira [data-jira-check]').getAttribute('data-jira-check')).toBe('ok');
    expect(await page.locator('#jira [data-jira-check]').innerText()).toContain(`Jira ${jira.version}`);
    await checkPage('admin-jira');
    await signOut();
    expect(cspViolations).toEqual([]);
  });
});
