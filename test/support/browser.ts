import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', 'var', 'screenshots');
export const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** Debian's Chromium, headless, with the background traffic that would be refused here turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** axe-core's serious and critical WCAG 2 A/AA violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact!, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Full-page screenshots at both widths, under var/screenshots/<name>-<width>.png; the page ends at desktop width. */
export async function screenshotBothWidths(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const files: string[] = [];
  for (const [label, size] of Object.entries(WIDTHS).reverse()) {
    await page.setViewportSize(size);
    const file = join(SCREENSHOTS, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true, caret: 'initial' });
    files.push(file);
  }
  return files;
}

/**
 * Elements that stick out of the viewport's right edge without sitting inside a scrolling box
 * (what a phone would cut off or scroll the whole page for); empty when the page fits.
 */
export function overflowingElements(page: Page): Promise<string[]> {
  // A string, so that the test build needs no DOM typings.
  return page.evaluate<string[]>(`(() => {
    const out = [];
    const inScroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > window.innerWidth + 1 && !inScroller(el) && !el.classList.contains('sr-only') && !el.closest('.skip')) {
        out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' right=' + Math.round(r.right));
      }
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('document scrollWidth=' + document.documentElement.scrollWidth);
    return out.slice(0, 10);
  })()`);
}
