import { addDays, ActivityDay, contributionDelta, dailyContributions, RollupDelta } from './fleet-contributions';

/** Everything one host adds to the rollup over all the days its activity keeps it live. */
export function hostRollupRows(activity: ActivityDay[], windowDays: number): RollupDelta[] {
  if (!activity.length) return [];
  const days = activity.map((a) => a.day).sort();
  return contributionDelta(new Map(), dailyContributions(activity, windowDays, days[0], addDays(days[days.length - 1], windowDays - 1)));
}

/** Sums many hosts' rows into rollup rows (a rebuild from activity, as after a window change). */
export class RollupTotals {
  private readonly rows = new Map<string, RollupDelta>();

  add(rows: RollupDelta[]): void {
    for (const r of rows) {
      const key = `${r.day}\u0000${r.attribute}\u0000${r.value}`;
      const total = this.rows.get(key);
      if (total) {
        total.hosts += r.hosts;
        total.objects += r.objects;
      } else this.rows.set(key, { ...r });
    }
  }

  /** Sorted like deltas, so writers lock rows in one order. */
  result(): RollupDelta[] {
    return [...this.rows.values()].sort((a, b) =>
      a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.attribute !== b.attribute ? (a.attribute < b.attribute ? -1 : 1) : a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
    );
  }
}
