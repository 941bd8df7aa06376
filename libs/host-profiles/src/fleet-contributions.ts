/**
 * How one host contributes to fleet_daily_rollup(day, attribute, value, hosts, objects), and how
 * that contribution changes when its activity changes, so the rollup is maintained by deltas
 * instead of rescanning reports.
 */

/** 'attribute=value' → objects (VMs, disks, ...) behind it; same shape as the host profile's counts. */
export type AttributeCounts = Record<string, number>;

/** Every live host carries this key, so the rollup row live=all counts live servers per day. */
export const LIVE_KEY = 'live=all';

/** A day the host reported, with its profile after that day's report. */
export interface ActivityDay {
  /** YYYY-MM-DD, UTC */
  day: string;
  attributes: AttributeCounts;
}

/** One upsert into fleet_daily_rollup: add `hosts` and `objects` to the row. */
export interface RollupDelta {
  day: string;
  attribute: string;
  value: string;
  hosts: number;
  objects: number;
}

const DAY_MS = 86_400_000;

/** Day strings are compared as strings, so only the canonical zero-padded form is accepted. */
function parseDay(day: string): number {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (Number.isNaN(time) || dayOf(new Date(time)) !== day) throw new RangeError(`Invalid day: ${JSON.stringify(day)}`);
  return time;
}

function assertWindow(windowDays: number): void {
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError(`Invalid window: ${windowDays} days`);
}

/** What the rollup counts for a host on a day it reported: its profile then, and the country it reported from. */
export function activityDay(row: { day: string; attributes: AttributeCounts; country: string | null }): ActivityDay {
  return { day: row.day, attributes: row.country ? { ...row.attributes, [`country=${row.country}`]: 1 } : row.attributes };
}

/** Live servers in rollup rows of one day (the LIVE_KEY row). */
export function liveHostsIn(rows: Array<{ attribute: string; value: string; hosts: number }>): number {
  return rows.find((r) => `${r.attribute}=${r.value}` === LIVE_KEY)?.hosts ?? 0;
}

/** The UTC calendar day of an instant. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayOf(new Date(parseDay(day) + n * DAY_MS));
}

/**
 * The host's contribution on each day from `from` to `to`: on day D it is live iff it reported on
 * some day in [D - W + 1, D], and then contributes the profile of the latest such day plus LIVE_KEY.
 * Days it is not live are absent. Activity before `from - W + 1` or after `to` is irrelevant.
 */
export function dailyContributions(
  activity: ActivityDay[],
  windowDays: number,
  from: string,
  to: string,
): Map<string, AttributeCounts> {
  assertWindow(windowDays);
  parseDay(from);
  parseDay(to);
  const profiles = new Map<string, AttributeCounts>();
  for (const { day, attributes } of activity) {
    parseDay(day);
    profiles.set(day, attributes);
  }
  const days = [...profiles.keys()].sort();
  const contributions = new Map<string, AttributeCounts>();
  let next = 0;
  let latest: string | undefined;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    while (next < days.length && days[next] <= day) latest = days[next++];
    if (latest !== undefined && latest >= addDays(day, 1 - windowDays)) {
      contributions.set(day, { ...profiles.get(latest), [LIVE_KEY]: 1 });
    }
  }
  return contributions;
}

function splitKey(key: string): { attribute: string; value: string } {
  const at = key.indexOf('=');
  if (at < 0) throw new RangeError(`Attribute key without '=': ${JSON.stringify(key)}`);
  return { attribute: key.slice(0, at), value: key.slice(at + 1) };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The rollup upserts that turn `before` into `after`. Rows come sorted by (day, attribute, value)
 * so concurrent transactions lock rollup rows in the same order and cannot deadlock.
 */
export function contributionDelta(
  before: Map<string, AttributeCounts>,
  after: Map<string, AttributeCounts>,
): RollupDelta[] {
  const deltas: RollupDelta[] = [];
  for (const day of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(day) ?? {};
    const now = after.get(day) ?? {};
    for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
      const hosts = (Object.hasOwn(now, key) ? 1 : 0) - (Object.hasOwn(old, key) ? 1 : 0);
      const objects = (now[key] ?? 0) - (old[key] ?? 0);
      if (hosts !== 0 || objects !== 0) deltas.push({ day, ...splitKey(key), hosts, objects });
    }
  }
  return deltas.sort(
    (a, b) => compare(a.day, b.day) || compare(a.attribute, b.attribute) || compare(a.value, b.value),
  );
}

/**
 * The days whose contribution can change when the activity of `day` changes: a report counts on
 * its own day and the W - 1 days after. Load activity in [from - W + 1, to] to compute before and
 * after over this range.
 */
export function affectedRange(day: string, windowDays: number): { from: string; to: string } {
  assertWindow(windowDays);
  return { from: day, to: addDays(day, windowDays - 1) };
}
