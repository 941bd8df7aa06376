import {
  ActivityDay,
  AttributeCounts,
  LIVE_KEY,
  RollupDelta,
  addDays,
  affectedRange,
  contributionDelta,
  dailyContributions,
  dayOf,
} from './fleet-contributions';

const W = 14;

/** mulberry32: a tiny deterministic PRNG, so failures reproduce from the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Rollup rows as 'day attribute=value' → counts, so deltas can be summed and compared. */
type Rollup = Map<string, { hosts: number; objects: number }>;

function apply(rollup: Rollup, deltas: RollupDelta[]): Rollup {
  for (const d of deltas) {
    const key = `${d.day} ${d.attribute}=${d.value}`;
    const row = rollup.get(key) ?? { hosts: 0, objects: 0 };
    row.hosts += d.hosts;
    row.objects += d.objects;
    if (row.hosts === 0 && row.objects === 0) rollup.delete(key);
    else rollup.set(key, row);
  }
  return rollup;
}

/** What the ingest path does for one report: recompute only the affected range from nearby activity. */
function insertionDelta(activity: ActivityDay[], inserted: ActivityDay, windowDays: number): RollupDelta[] {
  const { from, to } = affectedRange(inserted.day, windowDays);
  const loadFrom = addDays(from, 1 - windowDays);
  const nearby = (a: ActivityDay[]) => a.filter((x) => x.day >= loadFrom && x.day <= to);
  const before = dailyContributions(nearby(activity), windowDays, from, to);
  const after = dailyContributions(nearby([...activity, inserted]), windowDays, from, to);
  return contributionDelta(before, after);
}

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

describe('dayOf', () => {
  it('takes the UTC calendar day', () => {
    expect(dayOf(new Date('2024-03-01T00:00:00Z'))).toBe('2024-03-01');
    expect(dayOf(new Date('2024-03-01T23:59:59.999Z'))).toBe('2024-03-01');
    expect(dayOf(new Date('2024-03-01T23:30:00-02:00'))).toBe('2024-03-02');
  });
});

describe('addDays', () => {
  it('crosses month, leap-day and year boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2024-03-10', 0)).toBe('2024-03-10');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
  });

  it('rejects days that would compare wrongly as strings', () => {
    for (const bad of ['2024-3-1', '2024-02-30', '2024-13-01', '20240301', '', '2024-03-01T00:00:00Z']) {
      expect(() => addDays(bad, 1)).toThrow(RangeError);
    }
  });
});

describe('affectedRange', () => {
  it('spans the day and the W - 1 days after it', () => {
    expect(affectedRange('2024-03-01', 14)).toEqual({ from: '2024-03-01', to: '2024-03-14' });
    expect(affectedRange('2024-03-01', 1)).toEqual({ from: '2024-03-01', to: '2024-03-01' });
    expect(affectedRange('2024-12-25', 14)).toEqual({ from: '2024-12-25', to: '2025-01-07' });
  });

  it('rejects a window that is not a positive whole number of days', () => {
    for (const bad of [0, -1, 1.5, NaN]) expect(() => affectedRange('2024-03-01', bad)).toThrow(RangeError);
  });

  it('covers every day a change of that day can touch', () => {
    const activity: ActivityDay[] = [
      { day: '2024-02-20', attributes: { 'os=el8': 1 } },
      { day: '2024-03-05', attributes: { 'os=el9': 1 } },
      { day: '2024-03-20', attributes: { 'os=el9': 2 } },
    ];
    for (const changed of ['2024-02-25', '2024-03-05', '2024-03-10', '2024-03-25']) {
      const after = [...activity, { day: changed, attributes: { 'os=rhel10': 3 } }];
      const deltas = contributionDelta(
        dailyContributions(activity, W, '2024-01-01', '2024-06-01'),
        dailyContributions(after, W, '2024-01-01', '2024-06-01'),
      );
      const { from, to } = affectedRange(changed, W);
      expect(deltas.length).toBeGreaterThan(0);
      for (const d of deltas) {
        expect(d.day >= from && d.day <= to).toBe(true);
      }
    }
  });
});

describe('dailyContributions', () => {
  const report = (day: string, attributes: AttributeCounts = { 'os=el9': 1 }): ActivityDay => ({ day, attributes });

  it('counts a report on its day and the W - 1 days after, and not on day W or the day before', () => {
    const c = dailyContributions([report('2024-03-01')], W, '2024-02-20', '2024-03-31');
    expect([...c.keys()]).toEqual(days('2024-03-01', '2024-03-14'));
    expect(c.has('2024-02-29')).toBe(false);
    expect(c.has('2024-03-01')).toBe(true);
    expect(c.has('2024-03-14')).toBe(true);
    expect(c.has('2024-03-15')).toBe(false);
  });

  it('with W=14, a host that last reported 13 days ago is live and one that reported 14 days ago is not', () => {
    const today = '2024-06-30';
    const live = (lastReport: string) => dailyContributions([report(lastReport)], 14, today, today).has(today);
    expect(live(addDays(today, -13))).toBe(true);
    expect(live(addDays(today, -14))).toBe(false);
    expect(live(today)).toBe(true);
  });

  it('with W=1 a host is live only on the days it reported', () => {
    const c = dailyContributions([report('2024-03-01'), report('2024-03-03')], 1, '2024-02-28', '2024-03-05');
    expect([...c.keys()]).toEqual(['2024-03-01', '2024-03-03']);
  });

  it('adds LIVE_KEY with one object to the profile', () => {
    const c = dailyContributions([report('2024-03-01', { 'os=el9': 1, 'vm=kvm': 12 })], W, '2024-03-01', '2024-03-01');
    expect(c.get('2024-03-01')).toEqual({ 'os=el9': 1, 'vm=kvm': 12, [LIVE_KEY]: 1 });
    expect(LIVE_KEY).toBe('live=all');
  });

  it('counts a host with an empty profile as live', () => {
    const c = dailyContributions([report('2024-03-01', {})], W, '2024-03-01', '2024-03-02');
    expect(c.get('2024-03-02')).toEqual({ [LIVE_KEY]: 1 });
  });

  it('uses the profile of the latest report in the window when the profile changes mid-window', () => {
    const c = dailyContributions(
      [report('2024-03-01', { 'os=el8': 1, 'vm=kvm': 3 }), report('2024-03-05', { 'os=el9': 1, 'vm=kvm': 5 })],
      W,
      '2024-03-01',
      '2024-03-20',
    );
    for (const d of days('2024-03-01', '2024-03-04')) expect(c.get(d)).toEqual({ 'os=el8': 1, 'vm=kvm': 3, [LIVE_KEY]: 1 });
    // The old profile stays superseded even while its own report is still inside the window.
    for (const d of days('2024-03-05', '2024-03-18')) expect(c.get(d)).toEqual({ 'os=el9': 1, 'vm=kvm': 5, [LIVE_KEY]: 1 });
    expect(c.has('2024-03-19')).toBe(false);
  });

  it('keeps a host live across gaps shorter than the window', () => {
    const c = dailyContributions([report('2024-03-01'), report('2024-03-14'), report('2024-03-27')], W, '2024-03-01', '2024-04-15');
    expect([...c.keys()]).toEqual(days('2024-03-01', '2024-04-09'));
  });

  it('lets the later array element win for a duplicated day', () => {
    const c = dailyContributions(
      [report('2024-03-01', { 'os=el8': 1 }), report('2024-03-01', { 'os=el9': 1 })],
      W,
      '2024-03-01',
      '2024-03-01',
    );
    expect(c.get('2024-03-01')).toEqual({ 'os=el9': 1, [LIVE_KEY]: 1 });
  });

  it('does not depend on the order of the activity array', () => {
    const a = [report('2024-03-01', { 'os=el8': 1 }), report('2024-03-07', { 'os=el9': 1 }), report('2024-03-03', { 'os=x': 1 })];
    const forward = dailyContributions(a, W, '2024-02-25', '2024-03-30');
    expect(dailyContributions([...a].reverse(), W, '2024-02-25', '2024-03-30')).toEqual(forward);
    expect(forward.get('2024-03-04')).toEqual({ 'os=x': 1, [LIVE_KEY]: 1 });
  });

  it('returns fresh objects that callers may mutate', () => {
    const attributes = { 'os=el9': 1 };
    const c = dailyContributions([report('2024-03-01', attributes)], W, '2024-03-01', '2024-03-02');
    c.get('2024-03-01')!['os=el9'] = 99;
    expect(attributes).toEqual({ 'os=el9': 1 });
    expect(c.get('2024-03-02')).toEqual({ 'os=el9': 1, [LIVE_KEY]: 1 });
  });

  it('returns nothing for an empty range, no activity, or activity after the range', () => {
    expect(dailyContributions([report('2024-03-01')], W, '2024-03-05', '2024-03-04').size).toBe(0);
    expect(dailyContributions([], W, '2024-03-01', '2024-03-31').size).toBe(0);
    expect(dailyContributions([report('2024-04-01')], W, '2024-03-01', '2024-03-31').size).toBe(0);
  });

  it('needs only the activity from W - 1 days before the range', () => {
    const rand = prng(7);
    const activity = Array.from({ length: 40 }, () =>
      report(addDays('2024-01-01', Math.floor(rand() * 120)), { [`os=v${Math.floor(rand() * 3)}`]: 1 }),
    );
    const from = '2024-02-10';
    const to = '2024-03-05';
    const nearby = activity.filter((a) => a.day >= addDays(from, 1 - W) && a.day <= to);
    expect(dailyContributions(nearby, W, from, to)).toEqual(dailyContributions(activity, W, from, to));
  });

  it('rejects malformed days and windows', () => {
    expect(() => dailyContributions([report('2024-3-1')], W, '2024-03-01', '2024-03-31')).toThrow(RangeError);
    expect(() => dailyContributions([], W, '2024-03-1', '2024-03-31')).toThrow(RangeError);
    expect(() => dailyContributions([], W, '2024-03-01', 'tomorrow')).toThrow(RangeError);
    expect(() => dailyContributions([], 0, '2024-03-01', '2024-03-31')).toThrow(RangeError);
  });
});

describe('contributionDelta', () => {
  it('adds a host and its objects for new keys and removes them for vanished ones', () => {
    const before = new Map([['2024-03-01', { 'os=el8': 1, 'vm=kvm': 4, [LIVE_KEY]: 1 }]]);
    const after = new Map([['2024-03-01', { 'os=el9': 1, 'vm=kvm': 6, [LIVE_KEY]: 1 }]]);
    expect(contributionDelta(before, after)).toEqual([
      { day: '2024-03-01', attribute: 'os', value: 'el8', hosts: -1, objects: -1 },
      { day: '2024-03-01', attribute: 'os', value: 'el9', hosts: 1, objects: 1 },
      { day: '2024-03-01', attribute: 'vm', value: 'kvm', hosts: 0, objects: 2 },
    ]);
  });

  it('counts a key with zero objects as a host', () => {
    const after = new Map([['2024-03-01', { 'gpu=none': 0 }]]);
    expect(contributionDelta(new Map(), after)).toEqual([{ day: '2024-03-01', attribute: 'gpu', value: 'none', hosts: 1, objects: 0 }]);
    expect(contributionDelta(after, new Map())).toEqual([{ day: '2024-03-01', attribute: 'gpu', value: 'none', hosts: -1, objects: 0 }]);
  });

  it('omits unchanged rows and returns nothing for equal maps', () => {
    const c = new Map([['2024-03-01', { 'os=el9': 1, [LIVE_KEY]: 1 }]]);
    expect(contributionDelta(c, new Map(c))).toEqual([]);
    expect(contributionDelta(new Map(), new Map())).toEqual([]);
  });

  it('splits keys at the first "=" only', () => {
    const after = new Map([['2024-03-01', { 'kernel.cmdline=console=ttyS0': 1, 'label=': 1 }]]);
    expect(contributionDelta(new Map(), after)).toEqual([
      { day: '2024-03-01', attribute: 'kernel.cmdline', value: 'console=ttyS0', hosts: 1, objects: 1 },
      { day: '2024-03-01', attribute: 'label', value: '', hosts: 1, objects: 1 },
    ]);
  });

  it('rejects keys without "="', () => {
    expect(() => contributionDelta(new Map(), new Map([['2024-03-01', { live: 1 }]]))).toThrow(/without '='/);
  });

  it('does not mistake inherited object properties for keys', () => {
    const after = new Map([['2024-03-01', { 'constructor=x': 1 }]]);
    expect(contributionDelta(after, after)).toEqual([]);
  });

  it('sorts by day, then attribute, then value, whatever the input order', () => {
    const after = new Map<string, AttributeCounts>([
      ['2024-03-02', { 'os=b': 1, 'a.b=z': 1, 'os=a': 1 }],
      ['2024-03-01', { 'os=z': 1, 'a=y': 1 }],
    ]);
    const order = contributionDelta(new Map(), after).map((d) => `${d.day} ${d.attribute} ${d.value}`);
    expect(order).toEqual(['2024-03-01 a y', '2024-03-01 os z', '2024-03-02 a.b z', '2024-03-02 os a', '2024-03-02 os b']);
  });
});

describe('incremental maintenance', () => {
  it('moves live=all only on the days where an out-of-order older report becomes the latest', () => {
    const activity = [{ day: '2024-03-10', attributes: { 'os=el9': 1 } }];
    const deltas = insertionDelta(activity, { day: '2024-03-01', attributes: { 'os=el8': 1 } }, W);
    // The older report adds the host on 03-01..03-09; from 03-10 the existing report is newer.
    expect(deltas.filter((d) => d.attribute === 'live').map((d) => d.day)).toEqual(days('2024-03-01', '2024-03-09'));
    expect(deltas.every((d) => d.day < '2024-03-10' && d.hosts === 1)).toBe(true);
    expect(deltas.filter((d) => d.attribute === 'os').map((d) => d.value)).toEqual(Array(9).fill('el8'));
  });

  it('changes nothing when a report re-sends the profile the day already has', () => {
    const activity = [{ day: '2024-03-10', attributes: { 'os=el9': 1 } }];
    expect(insertionDelta(activity, { day: '2024-03-10', attributes: { 'os=el9': 1 } }, W)).toEqual([]);
  });

  it("replaces a day's profile only until the next report takes over", () => {
    const activity: ActivityDay[] = [
      { day: '2024-03-01', attributes: { 'os=el8': 1 } },
      { day: '2024-03-04', attributes: { 'os=el9': 1 } },
    ];
    const deltas = insertionDelta(activity, { day: '2024-03-01', attributes: { 'os=el10': 1 } }, W);
    expect(deltas).toEqual(
      days('2024-03-01', '2024-03-03').flatMap((day) => [
        { day, attribute: 'os', value: 'el10', hosts: 1, objects: 1 },
        { day, attribute: 'os', value: 'el8', hosts: -1, objects: -1 },
      ]),
    );
  });

  it('moves hosts between values from the day a newer profile takes over', () => {
    const activity = [
      { day: '2024-03-01', attributes: { 'os=el8': 1, 'vm=kvm': 2 } },
      { day: '2024-03-10', attributes: { 'os=el8': 1, 'vm=kvm': 2 } },
    ];
    const deltas = insertionDelta(activity, { day: '2024-03-05', attributes: { 'os=el9': 1, 'vm=kvm': 7 } }, W);
    const changed = days('2024-03-05', '2024-03-09');
    expect(deltas).toEqual(
      changed.flatMap((day) => [
        { day, attribute: 'os', value: 'el8', hosts: -1, objects: -1 },
        { day, attribute: 'os', value: 'el9', hosts: 1, objects: 1 },
        { day, attribute: 'vm', value: 'kvm', hosts: 0, objects: 5 },
      ]),
    );
  });

  it('extends liveness past the old window when a newer report arrives', () => {
    const activity = [{ day: '2024-03-01', attributes: { 'os=el9': 1 } }];
    const deltas = insertionDelta(activity, { day: '2024-03-10', attributes: { 'os=el9': 1 } }, W);
    // Same profile, so only the days past the first report's window change.
    expect(deltas.map((d) => d.day)).toEqual(days('2024-03-15', '2024-03-23').flatMap((d) => [d, d]));
    expect(deltas.every((d) => d.hosts === 1 && d.objects === 1)).toBe(true);
  });

  it('erasing a host cancels everything it contributed', () => {
    const activity: ActivityDay[] = [];
    const rollup: Rollup = new Map();
    const all: ActivityDay[] = [
      { day: '2024-03-05', attributes: { 'os=el9': 1, 'vm=kvm': 3 } },
      { day: '2024-03-01', attributes: { 'os=el8': 1 } },
      { day: '2024-03-30', attributes: { 'os=el9': 1, 'disk=ssd': 2 } },
    ];
    for (const a of all) {
      apply(rollup, insertionDelta(activity, a, W));
      activity.push(a);
    }
    expect(rollup.size).toBeGreaterThan(0);
    const full = dailyContributions(activity, W, '2024-03-01', addDays('2024-03-30', W - 1));
    const erasure = contributionDelta(full, new Map());
    expect(erasure.every((d) => d.hosts <= 0 && d.objects <= 0)).toBe(true);
    expect(apply(rollup, erasure).size).toBe(0);
  });

  it.each([1, 2, 3, 42, 1234, 99999])('sums insertion deltas to the final contributions (seed %i)', (seed) => {
    const rand = prng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const windowDays = pick([1, 3, 7, 14]);
    const start = '2024-02-20';
    const activity: ActivityDay[] = [];
    const rollup: Rollup = new Map();
    for (let i = 0; i < 60; i++) {
      const attributes: AttributeCounts = { [`os=${pick(['el8', 'el9', 'el10'])}`]: 1 };
      if (rand() < 0.7) attributes[`vm=${pick(['kvm', 'xen'])}`] = Math.floor(rand() * 5);
      if (rand() < 0.3) attributes['disk=ssd'] = 1 + Math.floor(rand() * 3);
      // Days repeat and arrive out of order, as late and re-sent reports do.
      const inserted = { day: addDays(start, Math.floor(rand() * 45)), attributes };
      const deltas = insertionDelta(activity, inserted, windowDays);
      const { from, to } = affectedRange(inserted.day, windowDays);
      expect(deltas.every((d) => d.day >= from && d.day <= to)).toBe(true);
      apply(rollup, deltas);
      activity.push(inserted);
      // A single host is in each rollup row at most once.
      for (const row of rollup.values()) expect([0, 1]).toContain(row.hosts);
    }
    const full = dailyContributions(activity, windowDays, start, addDays(start, 45 + windowDays));
    expect(rollup).toEqual(apply(new Map(), contributionDelta(new Map(), full)));
    expect(apply(rollup, contributionDelta(full, new Map())).size).toBe(0);
  });
});
