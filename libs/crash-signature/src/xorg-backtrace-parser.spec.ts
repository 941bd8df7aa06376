import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeFrames } from './frame-normalization';
import { parseXorgBacktrace } from './xorg-backtrace-parser';

const UPSTREAM = join(__dirname, '../../../test/fixtures/upstream/abrt/tests');
const parse = (path: string) => parseXorgBacktrace(readFileSync(join(UPSTREAM, path), 'utf8'));
const top = (path: string, n = 3) => normalizeFrames('xorg', parse(path).frames).slice(0, n).map((f) => f.function);

describe('parseXorgBacktrace', () => {
  it.each([
    'examples/xorg_journal_crash1.test',
    'examples/xorg_journal_crash1.right',
    'examples/xorg_journal_crash2.test',
    'examples/xorg_journal_crash2.right',
    'runtests/dumpxorg/crash_bz530463.test',
    'runtests/dumpxorg/crash_bz530463.right',
    'runtests/dumpxorg/crash_bz1264739.test',
    'runtests/dumpxorg/crash_bz1264739.right',
  ])('parses %s', (path) => {
    const parsed = parse(path);
    expect(parsed.family).toBe('xorg');
    expect(parsed.frames.length).toBeGreaterThan(0);
    expect(normalizeFrames('xorg', parsed.frames).length).toBeGreaterThan(0);
  });

  it('reads journal lines and cuts at the signal trampoline', () => {
    const parsed = parse('examples/xorg_journal_crash1.test');
    expect(parsed.signal).toBe(11);
    expect(parsed.frames).toHaveLength(9);
    expect(parsed.frames[0]).toEqual({
      function: 'OsLookupColor',
      functionOffset: 0x139,
      file: '/usr/libexec/Xorg',
      module: 'Xorg',
      address: 0x59ab89,
    });
    expect(parsed.frames[8]).toEqual({ address: 0x29 });
    expect(top('examples/xorg_journal_crash1.test')).toEqual([
      '__select_nocancel',
      'WaitForSomething',
      'SendErrorToClient',
    ]);
  });

  it('parses the journal and the extracted backtrace identically', () => {
    const journal = parse('examples/xorg_journal_crash2.test').frames;
    expect(journal).toEqual(parse('examples/xorg_journal_crash2.right').frames);
  });

  it('drops xorg_backtrace and unresolved load-base frames in Xorg.0.log format', () => {
    expect(parse('runtests/dumpxorg/crash_bz530463.test').frames[1]).toEqual({
      file: '/usr/bin/Xorg',
      module: 'Xorg',
      address: 0x467b56,
    });
    expect(top('runtests/dumpxorg/crash_bz530463.test', 2)).toEqual(['_CallCallbacks', 'WriteToClient']);
  });
});
