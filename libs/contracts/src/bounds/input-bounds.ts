import { z } from 'zod';
import bounds from './data/input-bounds.json';

/** Bounds on client input (data/input-bounds.json); intake refuses anything beyond them with a 4xx naming the field. */
export const INPUT_BOUNDS = {
  maxOccurrencesPerReport: bounds.maxOccurrencesPerReport,
  maxThreadsPerReport: bounds.maxThreadsPerReport,
  maxFramesPerThread: bounds.maxFramesPerThread,
  maxStackLineChars: bounds.maxStackLineChars,
  maxIndexedKeyBytes: bounds.maxIndexedKeyBytes,
  maxLabelsPerReport: bounds.maxLabelsPerReport,
  maxLabelValueChars: bounds.maxLabelValueChars,
  maxQueryValueChars: bounds.maxQueryValueChars,
} as const;

// A NUL, or a UTF-16 surrogate without its partner: PostgreSQL text and jsonb refuse both.
// eslint-disable-next-line no-control-regex -- the NUL is what this pattern looks for
const UNSAFE_CHAR = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored as text, or undefined when it can. */
export function unsafeTextProblem(text: string): string | undefined {
  const match = UNSAFE_CHAR.exec(text);
  if (!match) return undefined;
  const what = match[0] === '\u0000' ? 'a NUL character' : 'a lone UTF-16 surrogate';
  return `contains ${what} at offset ${match.index}`;
}

export const SAFE_TEXT_MESSAGE = 'must not contain NUL characters or lone UTF-16 surrogates';

/** Every free-text field of every schema: bounded, and storable as PostgreSQL text. */
export function safeText(maxChars: number) {
  return z.string().max(maxChars).refine((s) => unsafeTextProblem(s) === undefined, SAFE_TEXT_MESSAGE);
}

/** Occurrences one report may stand for (agent `occurrences`, `X-Occurrences`, ABRT `count`). */
export const occurrencesSchema = z.number().int().min(1).max(INPUT_BOUNDS.maxOccurrencesPerReport);

/**
 * `X-Occurrences` / ABRT `count` as text: plain decimal digits only (no `1e12`, no sign), within
 * the bound. Returns the number, or the problem.
 */
export function parseOccurrences(text: string): { value: number } | { problem: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { problem: `must be a positive decimal integer (got "${trimmed.slice(0, 32)}")` };
  const value = trimmed.length > 16 ? Infinity : Number(trimmed);
  if (value < 1) return { problem: 'must be at least 1' };
  if (value > INPUT_BOUNDS.maxOccurrencesPerReport) {
    return { problem: `must be at most ${INPUT_BOUNDS.maxOccurrencesPerReport} (got ${trimmed.length > 16 ? `a ${trimmed.length}-digit number` : trimmed})` };
  }
  return { value };
}

/**
 * The bounded prefix of a text that goes into a btree index key: at most `maxIndexedKeyBytes`
 * of UTF-8, cut at a character boundary (a btree row holds about 2.7 kB).
 */
export function indexedPrefix(text: string, maxBytes: number = INPUT_BOUNDS.maxIndexedKeyBytes): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}
