import { activityDay, contributionDelta, dailyContributions, liveHostsIn, type ActivityDay } from './fleet-contributions';
import { hostRollupRows, RollupTotals } from './fleet-rollup-totals';

const host = (days: string[], attrs: Record<string, number>): ActivityDay[] => days.map((day) => ({ day, attributes: attrs }));

describe('rollup totals from activity', () => {
  const a = host(['2026-11-01', '2026-11-03'], { 'cpu.vendor=AMD': 1, 'disk.kind=ssd': 2 });
  const b = host(['2026-11-02'], { 'cpu.vendor=Intel': 1, 'disk.kind=ssd': 1 });

  it("a host's rows cover every day it is live and nothing else", () => {
    const rows = hostRollupRows(a, 3);
    const liveDays = rows.filter((r) => r.attribute === 'live').map((r) => r.day);
    expect(liveDays).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']);
    expect(rows.every((r) => r.hosts === 1)).toBe(true);
  });

  it('summing hosts equals applying each host as an incremental delta', () => {
    const totals = new RollupTotals();
    totals.add(hostRollupRows(a, 3));
    totals.add(hostRollupRows(b, 3));
    const byKey = new Map<string, { hosts: number; objects: number }>();
    for (const activity of [a, b]) {
      for (const d of contributionDelta(new Map(), dailyContributions(activity, 3, '2026-10-25', '2026-11-10'))) {
        const k = `${d.day} ${d.attribute}=${d.value}`;
        const t = byKey.get(k) ?? { hosts: 0, objects: 0 };
        byKey.set(k, { hosts: t.hosts + d.hosts, objects: t.objects + d.objects });
      }
    }
    const result = totals.result();
    expect(new Map(result.map((r) => [`${r.day} ${r.attribute}=${r.value}`, { hosts: r.hosts, objects: r.objects }]))).toEqual(byKey);
    expect(result.find((r) => r.day === '2026-11-03' && r.attribute === 'disk.kind')).toEqual({
      day: '2026-11-03', attribute: 'disk.kind', value: 'ssd', hosts: 2, objects: 3,
    });
  });

  it('a host with no activity adds nothing', () => {
    expect(hostRollupRows([], 14)).toEqual([]);
  });
});

describe('activity days and live counts', () => {
  it("adds the report's country to the profile it had that day, without touching the profile", () => {
    const attributes = { 'cpu.vendor=AMD': 1 };
    expect(activityDay({ day: '2026-11-01', attributes, country: 'DE' })).toEqual({
      day: '2026-11-01', attributes: { 'cpu.vendor=AMD': 1, 'country=DE': 1 },
    });
    expect(attributes).toEqual({ 'cpu.vendor=AMD': 1 });
    expect(activityDay({ day: '2026-11-01', attributes, country: null }).attributes).toEqual(attributes);
  });

  it('reads live servers from the live row of a day, zero without one', () => {
    const rows = hostRollupRows(host(['2026-11-01'], { 'cpu.vendor=AMD': 1 }), 3).filter((r) => r.day === '2026-11-02');
    expect(liveHostsIn(rows)).toBe(1);
    expect(liveHostsIn(rows.filter((r) => r.attribute !== 'live'))).toBe(0);
  });
});
