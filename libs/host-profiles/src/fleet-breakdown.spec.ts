import { attributeLabel, publishAttribute, STATS_BREAKDOWNS } from './fleet-breakdown';
import { ATTRIBUTES } from './profile-attributes';

const cell = (value: string, hosts: number, objects = hosts) => ({ value, hosts, objects });

describe('publishAttribute', () => {
  it('shows shares of live servers and hides cells under k', () => {
    const out = publishAttribute('cpu.vendor', [cell('Intel', 60), cell('AMD', 36), cell('Hygon', 4)], 100, 5);
    expect(out.cells.map((c) => [c.value, c.hosts, c.share])).toEqual([
      ['Intel', 60, 0.6],
      // AMD is hidden too: the 4 Hygon hosts alone could be derived as 100 - 60 - 36.
    ]);
    expect(out.suppressed).toEqual({ cells: 2, hosts: 40 });
  });

  it('caps visible cells at top and sums the rest as other values', () => {
    const out = publishAttribute('cpu.model', [cell('a', 50), cell('b', 30), cell('c', 10), cell('d', 10)], 100, 5, 2);
    expect(out.cells.map((c) => c.value)).toEqual(['a', 'b']);
    expect(out.other).toEqual({ cells: 2, hosts: 20 });
  });

  it('publishes nothing while the fleet itself is smaller than k', () => {
    const out = publishAttribute('country', [cell('DE', 3), cell('FR', 1)], 4, 5);
    expect(out.cells).toEqual([]);
    expect(out.suppressed).toEqual({ cells: 2, hosts: null });
  });
});

describe('STATS_BREAKDOWNS', () => {
  it('reads only attributes the profiles produce, under unique names', () => {
    const names = STATS_BREAKDOWNS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    for (const b of STATS_BREAKDOWNS) for (const a of b.attributes) expect(ATTRIBUTES).toContain(a);
  });

  it('labels every attribute a breakdown shows', () => {
    for (const b of STATS_BREAKDOWNS) for (const a of b.attributes) expect(attributeLabel(a)).not.toBe(a);
    expect(attributeLabel('no.such.attribute')).toBe('no.such.attribute');
  });
});
