import { publishAttribute } from '../../host-profiles/src/fleet-breakdown';
import { FleetStatsPageView, renderFleetStatsPage } from './fleet-stats-page';
import { escapeHtml } from '../../console-pages/src/html-escape';
import { formatCount, formatShare } from '../../console-pages/src/number-format';
import { renderTrendChart } from './trend-chart';

const cell = (value: string, hosts: number) => ({ value, hosts, objects: hosts });

function view(overrides: Partial<FleetStatsPageView> = {}): FleetStatsPageView {
  const live = 1234;
  return {
    day: '2026-11-24',
    windowDays: 14,
    minHostsPerCell: 5,
    liveServers: live,
    trend: [
      { day: '2026-11-22', liveServers: 1200 },
      { day: '2026-11-23', liveServers: 1210 },
      { day: '2026-11-24', liveServers: live },
    ],
    breakdowns: [
      {
        name: 'cpu-vendor',
        title: 'CPU vendors',
        attributes: [publishAttribute('cpu.vendor', [cell('Intel', 900), cell('AMD', 330), cell('Hygon', 2), cell('VIA', 2)], live, 5)],
      },
      {
        name: 'disk-model',
        title: 'Top disk models',
        attributes: [publishAttribute('disk.model', [cell('<img src=x onerror=alert(1)>', 40), cell('SAMSUNG "MZ7"', 30), cell('a', 20), cell('b', 10)], live, 5, 2)],
      },
    ],
    ...overrides,
  };
}

/** value → hosts of the rows the page shows for one attribute. */
function rowsOf(html: string, attribute: string): Array<[string, number]> {
  const table = html.split(`data-attribute="${attribute}"`)[1].split('</table>')[0];
  return [...table.matchAll(/<tr data-value="([^"]*)" data-hosts="(\d+)">/g)].map((m) => [m[1], Number(m[2])]);
}

describe('renderFleetStatsPage', () => {
  it('shows the live count, each breakdown and its visible cells with counts and shares', () => {
    const v = view();
    const html = renderFleetStatsPage(v);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`data-live="${v.liveServers}">${formatCount(v.liveServers!)}<`);
    expect(html).toContain('last 14 days');
    for (const b of v.breakdowns) {
      expect(html).toContain(`<section id="${b.name}"`);
      expect(html).toContain(`<h2>${b.title}</h2>`);
      for (const a of b.attributes) {
        expect(rowsOf(html, a.attribute)).toEqual(a.cells.map((c) => [escapeHtml(c.value), c.hosts]));
        for (const c of a.cells) expect(html).toContain(`<td class="num">${formatShare(c.share)}</td>`);
      }
    }
    expect(html).toContain('<caption>CPU vendor</caption>');
  });

  it('never shows a held-back value, and says how many were held back', () => {
    const html = renderFleetStatsPage(view());
    expect(html).not.toContain('Hygon');
    expect(html).not.toContain('VIA');
    const vendor = view().breakdowns[0].attributes[0];
    expect(html).toContain(`${vendor.suppressed.cells} values held back`);
  });

  it('escapes values that hosts sent', () => {
    const html = renderFleetStatsPage(view());
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('SAMSUNG &quot;MZ7&quot;');
    expect(html).not.toMatch(/<script/i);
  });

  it('sums the values beyond the top ones', () => {
    const html = renderFleetStatsPage(view());
    expect(rowsOf(html, 'disk.model').length).toBe(2);
    expect(html).toContain('2 more values</td><td class="num">30<');
  });

  it('publishes nothing but the notice while fewer than k servers are live', () => {
    const live = 3;
    const html = renderFleetStatsPage(
      view({
        liveServers: null,
        trend: [{ day: '2026-11-24', liveServers: null }],
        breakdowns: [{ name: 'country', title: 'Countries', attributes: [publishAttribute('country', [cell('DE', 2), cell('FR', 1)], live, 5)] }],
      }),
    );
    expect(html).toContain('Fewer than 5 servers are live');
    expect(rowsOf(html, 'country')).toEqual([]);
    expect(html).not.toMatch(/>DE<|>FR</);
    expect(html).toContain('held back</td>');
  });
});

describe('renderTrendChart', () => {
  const coordinates = (svg: string) =>
    [...svg.matchAll(/points="([^"]*)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));

  it('draws one point per day, the highest day at the top of the plot', () => {
    const svg = String(renderTrendChart([
      { day: 'd1', liveServers: 10 },
      { day: 'd2', liveServers: 20 },
      { day: 'd3', liveServers: 15 },
    ]));
    const [line] = coordinates(svg);
    expect(line).toHaveLength(3);
    const ys = line.map(([, y]) => y);
    expect(Math.min(...ys)).toBe(ys[1]);
    expect(line[0][0]).toBeLessThan(line[1][0]);
    expect(svg).toContain('>20<');
  });

  it('breaks the line on withheld days instead of drawing zero', () => {
    const svg = String(renderTrendChart([
      { day: 'd1', liveServers: 10 },
      { day: 'd2', liveServers: 12 },
      { day: 'd3', liveServers: null },
      { day: 'd4', liveServers: 11 },
      { day: 'd5', liveServers: 13 },
      { day: 'd6', liveServers: null },
      { day: 'd7', liveServers: 9 },
    ]));
    expect(coordinates(svg).map((l) => l.length)).toEqual([2, 2]);
    expect(svg.match(/<circle/g)).toHaveLength(1);
  });

  it('copes with an empty or all-withheld trend', () => {
    expect(String(renderTrendChart([]))).toContain('</svg>');
    const svg = String(renderTrendChart([{ day: 'd1', liveServers: null }]));
    expect(coordinates(svg)).toEqual([]);
    expect(svg).not.toContain('NaN');
  });
});

describe('number formats', () => {
  it('groups thousands and rounds shares to a tenth of a percent', () => {
    expect(formatCount(100603)).toBe('100,603');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000000)).toBe('1,000,000');
    expect(formatShare(0.12345)).toBe('12.3 %');
    expect(formatShare(1)).toBe('100.0 %');
  });
});
