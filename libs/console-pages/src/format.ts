export { formatCount, formatShare } from './number-format';

/** "2026-12-04 18:03" (UTC): the same whatever locale or zone the hub or browser runs in. */
export function formatTime(at: Date | string | null | undefined): string {
  if (!at) return '–';
  const d = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? '–' : d.toISOString().slice(0, 16).replace('T', ' ');
}

/** "2026-12-04" (UTC). */
export function formatDay(at: Date | string): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 10);
}

/** A rate per 1,000 with two significant decimals: 0.0123 → "0.012", 12.345 → "12.3", 1234 → "1,234". */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return '–';
  if (rate === 0) return '0';
  if (rate >= 100) return String(Math.round(rate)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return Number(rate.toPrecision(3)).toString();
}

/** Near-duplicate distance 0…1 with two decimals. */
export function formatDistance(d: number): string {
  return d.toFixed(2);
}

/** A UUID's first block: enough to tell candidates apart on a page. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
