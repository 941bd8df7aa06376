import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { abrtCoreDuphash } from './compat-hashes';
import { normalizeFrames } from './frame-normalization';
import { parseGdbBacktrace } from './gdb-backtrace-parser';

const UPSTREAM = join(__dirname, '../../../test/fixtures/upstream');
const DIR = join(UPSTREAM, 'satyr/tests/gdb_stacktraces');
const parse = (name: string) => parseGdbBacktrace(readFileSync(join(DIR, name), 'utf8'));
const top = (name: string, n = 3) => normalizeFrames('core', parse(name).frames).slice(0, n).map((f) => f.function);

describe('parseGdbBacktrace', () => {
  it.each(readdirSync(DIR))('parses %s', (name) => {
    const parsed = parse(name);
    expect(parsed.family).toBe('core');
    expect(parsed.frames.length).toBeGreaterThan(0);
    expect(normalizeFrames('core', parsed.frames).length).toBeGreaterThan(0);
  });

  it('picks the thread holding the crash frame and joins wrapped frame lines', () => {
    const parsed = parse('quality_100');
    expect(parsed.signal).toBe(11);
    expect(parsed.executable).toBe('/usr/lib64/thunderbird-3.1/thunderbird-bin');
    expect(parsed.frames[0]).toMatchObject({
      function: 'raise',
      file: '../nptl/sysdeps/unix/sysv/linux/pt-raise.c',
      line: 42,
    });
    expect(parsed.frames[2]).toMatchObject({ function: '<signal handler called>' });
    expect(top('quality_100')).toEqual([
      'nsTreeBodyFrame::PrefillPropertyArray',
      'nsTreeBodyFrame::PaintColumn',
      'nsTreeBodyFrame::PaintTreeBody',
    ]);
  });

  it('keeps frames without address (inlined) and reads `from` libraries', () => {
    expect(top('rhbz-1032472')).toEqual(['g_str_hash', 'ephy_location_entry_set_location', 'match_selected_cb']);
    expect(parse('rhbz-1032472').signal).toBe(11);
    const frame = parse('rhbz-1239318').frames[0];
    expect(frame).toMatchObject({ function: '_dbus_list_foreach', module: 'libdbus-1.so.3' });
  });

  it('cuts the Xorg abort path (raise/abort/OsAbort)', () => {
    expect(top('rhbz-955617', 2)).toEqual(['xf86CursorSetCursor', 'xf86CursorEnableDisableFBAccess']);
  });

  it('reads stacks without thread headers', () => {
    expect(top('no-thread-header')).toEqual(['write', 'virNetSocketWriteWire', 'virNetSocketWrite']);
  });

  it('falls back to Thread 1 when no thread holds the crash frame', () => {
    expect(top('no-crash-frame-found', 1)).toEqual(['process_event']);
  });

  it("reproduces abrt's CCpp duphash of a real problem directory", () => {
    const dir = join(UPSTREAM, 'abrt/tests/runtests/bugzilla-comment-format/problem_dir');
    const parsed = parseGdbBacktrace(readFileSync(join(dir, 'backtrace'), 'utf8'));
    const component = readFileSync(join(dir, 'component'), 'utf8').trim();
    const expected = readFileSync(join(dir, 'duphash'), 'utf8').trim();
    expect(abrtCoreDuphash(component, normalizeFrames('core', parsed.frames))).toBe(expected);
  });
});
