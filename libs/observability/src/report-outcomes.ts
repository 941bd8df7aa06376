import refusalReasons from './refusal-reasons.json';

/**
 * What became of a report, Sentry Relay style: every report ends in exactly one of accepted,
 * duplicate or refused at intake, and every accepted one in processed, rejected or waiting;
 * retried counts failed attempts on the way, skipped_entry the archive members left out.
 */
export const REPORT_OUTCOMES = [
  'accepted',
  'duplicate',
  'refused',
  'skipped_entry',
  'processed',
  'rejected',
  'retried',
  'waiting_for_backtrace',
] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

const REASONS = refusalReasons as Record<string, string>;

/** A refusal's reason: the one the error names, or the class of its HTTP status. */
export function refusalReason(status: number, named?: unknown): string {
  if (typeof named === 'string' && /^[a-z][a-z0-9-]{0,40}$/.test(named)) return named;
  return REASONS[String(status)] ?? (status >= 500 ? 'server-error' : 'client-error');
}

/** Processing rejections carry free-text reasons; the metric keeps a short, bounded label. */
export function rejectionReason(message: string): string {
  const m = message.toLowerCase();
  if (m.startsWith('processing failed')) return 'processing-failed';
  if (m.includes('manifest')) return 'invalid-manifest';
  if (m.includes('json')) return 'invalid-json';
  if (m.includes('archive')) return 'bad-archive';
  if (m.includes('ureport')) return 'invalid-ureport';
  if (m.includes('stack') || m.includes('frame') || m.includes('thread') || m.includes('backtrace')) return 'no-usable-stack';
  return 'invalid-crash';
}
