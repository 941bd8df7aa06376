import { indexedPrefix, INPUT_BOUNDS, parseOccurrences, safeText, unsafeTextProblem } from './input-bounds';

describe('unsafeTextProblem', () => {
  it.each([
    ['a NUL', 'ab\u0000c', /NUL character at offset 2/],
    ['a lone high surrogate', 'x\ud800', /lone UTF-16 surrogate at offset 1/],
    ['a lone low surrogate', '\udc00y', /lone UTF-16 surrogate at offset 0/],
    ['a reversed pair', '\udc00\ud800', /lone UTF-16 surrogate at offset 0/],
  ])('names %s', (_label, text, problem) => {
    expect(unsafeTextProblem(text)).toMatch(problem);
  });

  it.each([['plain text', 'main'], ['a surrogate pair (emoji)', 'crash 💥'], ['non-Latin text', 'ядро'], ['empty', '']])('accepts %s', (_l, text) => {
    expect(unsafeTextProblem(text)).toBeUndefined();
  });

  it('is what safeText refuses', () => {
    expect(safeText(10).safeParse('a\u0000').success).toBe(false);
    expect(safeText(10).safeParse('12345678901').success).toBe(false);
    expect(safeText(10).safeParse('fine 💥').success).toBe(true);
  });
});

describe('parseOccurrences', () => {
  it.each([
    ['1e12', /positive decimal integer/],
    ['-5', /positive decimal integer/],
    ['0', /at least 1/],
    ['12345678901234567890', /at most 1000000 \(got a 20-digit number\)/],
    [String(INPUT_BOUNDS.maxOccurrencesPerReport + 1), /at most/],
    ['', /positive decimal integer/],
  ])('refuses %j', (text, problem) => {
    const parsed = parseOccurrences(text);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });

  it.each([['1', 1], [' 6\n', 6], [String(INPUT_BOUNDS.maxOccurrencesPerReport), INPUT_BOUNDS.maxOccurrencesPerReport]])('reads %j', (text, value) => {
    expect(parseOccurrences(text)).toEqual({ value });
  });
});

describe('indexedPrefix', () => {
  it('keeps short text whole', () => {
    expect(indexedPrefix('parse_entry')).toBe('parse_entry');
  });

  it.each([['ASCII', 'a'], ['2-byte', 'ф'], ['3-byte', '€'], ['4-byte', '💥']])('cuts %s text at a character boundary within the byte bound', (_l, ch) => {
    const cut = indexedPrefix(ch.repeat(5000), 512);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(512);
    expect(Buffer.byteLength(cut)).toBeGreaterThan(512 - 4);
    expect(unsafeTextProblem(cut)).toBeUndefined();
    expect(ch.repeat(5000).startsWith(cut)).toBe(true);
  });
});
