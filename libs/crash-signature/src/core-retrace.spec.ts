import { applyRetrace, parseAddr2line, retraceKey, retraceLookups, SourceLocation } from './core-retrace';
import type { CrashFrame } from './crash-thread';
import { isProgramFrame, normalizeFrames } from './frame-normalization';

// Real `addr2line -a -f -i -C` (GNU binutils 2.40) output for a clang -O3 -flto build of vzuser-sim:
// check_user() and check_group() were inlined into main, and one address nothing covers.
const LTO_OUTPUT = `0x0000000000000ac8
check_user
/tmp/rt/vzuser-sim.c:17
main
/tmp/rt/vzuser-sim.c:84
0x0000000000000b25
check_group
/tmp/rt/vzuser-sim.c:27 (discriminator 3)
main
/tmp/rt/vzuser-sim.c:85
0x0000000000000000
??
??:0
`;

describe('parseAddr2line', () => {
  it('reads each address as its inline chain, innermost first, with file and line', () => {
    const parsed = parseAddr2line(LTO_OUTPUT);
    expect(parsed.get(0xac8)).toEqual([
      { function: 'check_user', sourceFile: '/tmp/rt/vzuser-sim.c', line: 17 },
      { function: 'main', sourceFile: '/tmp/rt/vzuser-sim.c', line: 84 },
    ]);
    expect(parsed.get(0xb25)![0]).toEqual({ function: 'check_group', sourceFile: '/tmp/rt/vzuser-sim.c', line: 27 });
    expect(parsed.get(0)).toEqual([{}]);
  });

  it('keeps a file without a line and C++ names with parameters, templates and colons', () => {
    const parsed = parseAddr2line(
      '0x00000000000024ac\nvz::Registry<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::at_unchecked(unsigned long)\n/src/vzmgr-sim.cpp:?\nvz::Manager::pick(int)\n/src/vzmgr-sim.cpp:120\n',
    );
    expect(parsed.get(0x24ac)).toEqual([
      { function: 'vz::Registry<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::at_unchecked(unsigned long)', sourceFile: '/src/vzmgr-sim.cpp' },
      { function: 'vz::Manager::pick(int)', sourceFile: '/src/vzmgr-sim.cpp', line: 120 },
    ]);
  });
});

const BID = 'bc3333b67e248cafc61582b154e25f2e1d1a4ddb';
const LIBC = '93ac61ec5a8eb1396f9fbd350e3169a558528a40';
/** A stripped build: the report names only libc frames. */
const stripped: CrashFrame[] = [
  { buildId: LIBC, buildIdOffset: 1470770, function: '__strcmp_evex', file: '/lib/x86_64-linux-gnu/libc.so.6', module: 'libc.so.6' },
  { buildId: BID, buildIdOffset: 0xac9, file: '/usr/sbin/vzuser-sim', module: 'vzuser-sim' },
  { buildId: LIBC, buildIdOffset: 160330, function: '__libc_start_call_main', file: '/lib/x86_64-linux-gnu/libc.so.6', module: 'libc.so.6' },
];

describe('retracing core frames', () => {
  it('looks up the crashing frame at its address and callers one byte before their return address', () => {
    expect(retraceLookups(stripped)).toEqual([
      { buildId: LIBC, offset: 1470770 },
      { buildId: BID, offset: 0xac8 },
      { buildId: LIBC, offset: 160329 },
    ]);
    expect(retraceLookups([{ buildId: BID, buildIdOffset: 0x10 }, { buildId: BID, buildIdOffset: 0 }, { function: 'f' }])).toEqual([{ buildId: BID, offset: 0x10 }]);
  });

  it('names stripped frames and inserts inlined frames before the real one', () => {
    const resolved = new Map<string, SourceLocation[]>([[retraceKey(BID, 0xac8), parseAddr2line(LTO_OUTPUT).get(0xac8)!]]);
    const result = applyRetrace(stripped, resolved);
    expect(result.frames.map((f) => [f.function, f.inlined ?? false, f.line])).toEqual([
      ['__strcmp_evex', false, undefined],
      ['check_user', true, 17],
      ['main', false, 84],
      ['__libc_start_call_main', false, undefined],
    ]);
    expect(result.frames[1]).toMatchObject({ module: 'vzuser-sim', file: '/usr/sbin/vzuser-sim', sourceFile: '/tmp/rt/vzuser-sim.c' });
    // The spot stays on the real frame only: it is what a sibling's symbol table names.
    expect(result.frames[1].buildIdOffset).toBeUndefined();
    expect(result.frames[2]).toMatchObject({ buildId: BID, buildIdOffset: 0xac9 });
    expect(result).toMatchObject({ retraced: 1, inlined: 1, buildIds: [BID] });
    expect(stripped[1].function).toBeUndefined();
  });

  it("keeps the report's own name, leaves unresolved frames and answers the same frames when nothing resolved", () => {
    const named = stripped.map((f, i) => (i === 1 ? { ...f, function: 'main' } : f));
    const resolved = new Map<string, SourceLocation[]>([[retraceKey(BID, 0xac8), [{ function: 'check_user' }, { function: 'main_from_dwarf' }]]]);
    expect(applyRetrace(named, resolved).frames.map((f) => f.function)).toEqual(['__strcmp_evex', 'check_user', 'main', '__libc_start_call_main']);
    const unknown = new Map<string, SourceLocation[]>([[retraceKey(BID, 0xac8), [{}]]]);
    expect(applyRetrace(stripped, unknown)).toEqual({ frames: stripped, retraced: 0, inlined: 0, buildIds: [] });
  });

  it('retraces an already retraced stack to the same frames (the crashing frame is the first real one)', () => {
    const resolved = new Map<string, SourceLocation[]>([[retraceKey(BID, 0xac8), [{ function: 'check_user' }, { function: 'main' }]]]);
    const once = applyRetrace(stripped, resolved).frames;
    expect(retraceLookups(once)).toEqual(retraceLookups(stripped));
  });

  it('normalizes an inlined program function as a program frame, so the stack is no longer shallow', () => {
    const mainOnly: CrashFrame[] = [stripped[0], { ...stripped[1], function: 'main' }, stripped[2]];
    const before = normalizeFrames('core', mainOnly);
    expect(before.some(isProgramFrame)).toBe(false);
    expect(before.find((f) => f.function === 'main')?.site).toBeDefined();
    const resolved = new Map<string, SourceLocation[]>([[retraceKey(BID, 0xac8), [{ function: 'check_user' }, { function: 'main' }]]]);
    const after = normalizeFrames('core', applyRetrace(mainOnly, resolved).frames);
    expect(after.map((f) => f.function)).toEqual(['strcmp', 'check_user', 'main']);
    expect(after[0].library).toBe(true);
    expect(after.find((f) => f.function === 'check_user')).toEqual({ function: 'check_user' });
    // With program evidence, the call site in main is no longer needed.
    expect(after.find((f) => f.function === 'main')?.site).toBeUndefined();
  });

  it('classifies an inlined frame by its module, as the real frame it sits in', () => {
    const inLibc = new Map<string, SourceLocation[]>([[retraceKey(LIBC, 1470770), [{ function: '__strcmp_inline_helper' }, { function: '__strcmp_evex' }]]]);
    const frames = applyRetrace(stripped, inLibc).frames;
    expect(frames[0]).toMatchObject({ function: '__strcmp_inline_helper', inlined: true, module: 'libc.so.6' });
    const normalized = normalizeFrames('core', frames);
    expect(normalized[0]).toEqual({ function: '__strcmp_inline_helper', library: true });
    expect(isProgramFrame(normalized[0])).toBe(false);
  });
});
