import { html, type SafeHtml } from './html';
import { formatCount } from './format';

/** Daily counts of one series, oldest day first, every day present (zeros filled in). */
export interface DailySeries {
  days: readonly string[];
  counts: readonly number[];
}

/**
 * A 30-day sparkline as inline SVG (no script, no inline style: the console's CSP allows neither).
 * The accessible name states the total and the busiest day, since the shape alone says nothing to a
 * screen reader.
 */
export function sparkline(series: DailySeries, width = 120, height = 24): SafeHtml {
  const n = series.counts.length;
  const max = Math.max(0, ...series.counts);
  const total = series.counts.reduce((a, b) => a + b, 0);
  const barW = n ? width / n : width;
  const bars = series.counts.map((c, i) => {
    const h = max ? Math.max(c ? 1 : 0, (c / max) * (height - 2)) : 0;
    return html`<rect x="${(i * barW).toFixed(2)}" y="${(height - h).toFixed(2)}" width="${Math.max(0.5, barW - 0.5).toFixed(2)}" height="${h.toFixed(2)}"/>`;
  });
  const label = `${formatCount(total)} reports in the last ${n} days${max ? `, at most ${formatCount(max)} a day` : ''}`;
  return html`<svg class="spark" role="img" aria-label="${label}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${label}</title><line class="base" x1="0" y1="${height - 0.5}" x2="${width}" y2="${height - 0.5}"/>${bars}</svg>`;
}

/** A horizontal bar for a share 0…1, drawn as SVG so that no inline style is needed. */
export function shareBar(share: number, label: string, variant: 'main' | 'fleet' = 'main'): SafeHtml {
  const w = Math.max(0, Math.min(1, share)) * 100;
  return html`<svg class="bar ${variant}" role="img" aria-label="${label}" viewBox="0 0 100 10" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><rect class="track" width="100" height="10"/><rect class="fill" width="${w.toFixed(1)}" height="10"/></svg>`;
}

export interface StackedSeries {
  days: readonly string[];
  /** Series name (a package version) → one count per day. */
  series: ReadonlyArray<{ name: string; counts: readonly number[] }>;
}

const PAD = { left: 48, right: 8, top: 8, bottom: 24 };

/**
 * Occurrences per day stacked by series (package versions), with a legend. Colours come from
 * the console's CSS file by series position (.s0 … .s5), so the SVG carries no style.
 */
export function stackedDailyChart(data: StackedSeries, caption: string, width = 720, height = 180): SafeHtml {
  const n = data.days.length;
  const totals = data.days.map((_, d) => data.series.reduce((sum, s) => sum + (s.counts[d] ?? 0), 0));
  const max = Math.max(0, ...totals);
  const top = max || 1;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const barW = n ? plotW / n : plotW;
  const rects: SafeHtml[] = [];
  data.days.forEach((day, d) => {
    let y = PAD.top + plotH;
    data.series.forEach((s, i) => {
      const c = s.counts[d] ?? 0;
      if (!c) return;
      const h = (c / top) * plotH;
      y -= h;
      rects.push(
        html`<rect class="s${i % 6}" x="${(PAD.left + d * barW).toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(0.5, barW - 1).toFixed(2)}" height="${h.toFixed(2)}"><title>${day} ${s.name}: ${formatCount(c)}</title></rect>`,
      );
    });
  });
  const axisY = PAD.top + plotH;
  const legend = data.series.map(
    (s, i) => html`<li><svg class="swatch" aria-hidden="true" viewBox="0 0 10 10" width="10" height="10"><rect class="s${i % 6}" width="10" height="10"/></svg> ${s.name} <span class="muted">(${formatCount(s.counts.reduce((a, b) => a + b, 0))})</span></li>`,
  );
  return html`<figure class="chart">
<svg class="stacked" role="img" aria-label="${caption}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${caption}</title>
<line class="axis" x1="${PAD.left}" y1="${axisY}" x2="${PAD.left + plotW}" y2="${axisY}"/>
<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${axisY}"/>
${rects}
<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${formatCount(max)}</text>
<text x="${PAD.left - 6}" y="${axisY + 4}" text-anchor="end">0</text>
${n ? html`<text x="${PAD.left}" y="${axisY + 16}" text-anchor="start">${data.days[0]}</text><text x="${PAD.left + plotW}" y="${axisY + 16}" text-anchor="end">${data.days[n - 1]}</text>` : ''}
</svg>
<figcaption><ul class="legend">${legend}</ul></figcaption>
</figure>`;
}

/** Consecutive UTC days ending with `last`, oldest first. */
export function dayRange(last: Date, count: number): string[] {
  const end = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate());
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Counts keyed by day → one count per day of `days` (missing days are zero). */
export function fillDays(days: readonly string[], counts: ReadonlyMap<string, number>): number[] {
  return days.map((d) => counts.get(d) ?? 0);
}
