import { formatCount } from '../../console-pages/src/format';
import { html, type SafeHtml } from '../../console-pages/src/html';

export interface TrendPoint {
  day: string;
  /** null on days whose count is withheld (below k). */
  liveServers: number | null;
}

export interface ChartSize {
  width: number;
  height: number;
}

const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

/**
 * The live-server trend as an inline SVG line chart (no script, so the page stays readable with a
 * strict Content-Security-Policy). Withheld days break the line instead of being drawn as zero.
 */
export function renderTrendChart(points: readonly TrendPoint[], size: ChartSize = { width: 720, height: 200 }): SafeHtml {
  const plotW = size.width - PAD.left - PAD.right;
  const plotH = size.height - PAD.top - PAD.bottom;
  const max = Math.max(0, ...points.map((p) => p.liveServers ?? 0));
  const top = max === 0 ? 1 : max;
  const x = (i: number) => PAD.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const fmt = (n: number) => n.toFixed(1);

  const segments: Array<Array<{ x: string; y: string }>> = [];
  let current: Array<{ x: string; y: string }> = [];
  points.forEach((p, i) => {
    if (p.liveServers === null) {
      if (current.length) segments.push(current);
      current = [];
      return;
    }
    current.push({ x: fmt(x(i)), y: fmt(y(p.liveServers)) });
  });
  if (current.length) segments.push(current);

  const lines = segments.map((s) =>
    s.length === 1
      ? html`<circle class="point" cx="${s[0].x}" cy="${s[0].y}" r="2"/>`
      : html`<polyline class="line" points="${s.map((p) => `${p.x},${p.y}`).join(' ')}"/>`,
  );
  const first = points[0];
  const last = points[points.length - 1];
  const axisY = PAD.top + plotH;
  const title = first && last ? `Live servers per day, ${first.day} to ${last.day}` : 'Live servers per day';
  return html`<svg class="trend" role="img" aria-label="${title}" viewBox="0 0 ${size.width} ${size.height}" width="${size.width}" height="${size.height}" xmlns="http://www.w3.org/2000/svg">
<title>${title}</title>
<line class="axis" x1="${PAD.left}" y1="${axisY}" x2="${PAD.left + plotW}" y2="${axisY}"/>
<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${axisY}"/>
${lines}
<text x="${PAD.left - 6}" y="${fmt(y(top) + 4)}" text-anchor="end">${formatCount(top)}</text>
<text x="${PAD.left - 6}" y="${fmt(axisY + 4)}" text-anchor="end">0</text>
${first ? html`<text x="${PAD.left}" y="${axisY + 18}" text-anchor="start">${first.day}</text>` : ''}
${last && points.length > 1 ? html`<text x="${PAD.left + plotW}" y="${axisY + 18}" text-anchor="end">${last.day}</text>` : ''}
</svg>`;
}
