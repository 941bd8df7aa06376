import { CrashFrame } from './crash-thread';
import normalizationData from './data/normalization-v1.json';
import {
  isProgramFrame,
  isShallowStack,
  isSystemLibrary,
  mergeRecursion,
  NORMALIZATION_VERSION,
  normalizeFrames,
  normalizeFunctionName,
  normalizePythonPath,
} from './frame-normalization';

const names = (frames: CrashFrame[], family: 'core' | 'kerneloops' = 'core') =>
  normalizeFrames(family, frames).map((f) => f.function);
const fn = (...functions: Array<string | undefined>): CrashFrame[] => functions.map((f) => (f ? { function: f } : {}));

describe('normalizeFunctionName', () => {
  it.each([
    ['__strlen_evex', 'strlen'],
    ['__strlen_avx2', 'strlen'],
    ['__memcpy_sse2_unaligned', 'memcpy'],
    ['__memmove_avx_unaligned_erms', 'memmove'],
    ['__strchr_sse2', 'strchr'],
    ['__strcasecmp_l_avx', 'strcasecmp_l'],
    ['__GI_raise', 'raise'],
    ['__GI___libc_free', '__libc_free'],
    ['IA__g_object_unref', 'g_object_unref'],
    ['foo.cold', 'foo'],
    ['bar.isra.0', 'bar'],
    ['baz.constprop.3.cold', 'baz'],
    ['qux.part.12', 'qux'],
    ['pthread_cond_wait@@GLIBC_2.3.2', 'pthread_cond_wait'],
    ['.raise', 'raise'],
    ['__nanosleep', '__nanosleep'],
    ['__strlen_unknowncpu', '__strlen_unknowncpu'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeFunctionName(input)).toBe(expected);
  });
});

describe('normalizeFrames (core)', () => {
  it('drops raise/abort and everything above them', () => {
    expect(names(fn('__pthread_kill_implementation', '__GI_raise', '__GI_abort', 'parse_entry', 'main'))).toEqual([
      'parse_entry',
      'main',
    ]);
  });

  it('drops assert and malloc internals with everything above, up to the outermost one', () => {
    expect(names(fn('raise', 'abort', '__assert_fail_base', '__assert_fail', 'load_config', 'main'))).toEqual([
      'load_config',
      'main',
    ]);
    expect(names(fn('malloc_printerr', '_int_free', '__GI___libc_free', 'free_entry', 'main'))).toEqual([
      'free_entry',
      'main',
    ]);
  });

  it('drops frames above a signal handler frame', () => {
    expect(names(fn('raise', 'crash_handler', '<signal handler called>', 'do_work', 'main'))).toEqual([
      'do_work',
      'main',
    ]);
  });

  it('removes process/thread entry frames, merges recursion, trims unknown ends', () => {
    const frames = fn(undefined, '__strlen_evex', 'walk', 'walk', 'walk', 'start_thread', 'clone3', undefined);
    expect(names(frames)).toEqual(['strlen', 'walk']);
    expect(names(fn('a', '_start', '__libc_start_call_main', '__libc_start_main', 'b'))).toEqual(['a', 'b']);
  });

  it('keeps unknown frames in the middle as ??', () => {
    expect(names(fn('a', undefined, 'b'))).toEqual(['a', '??', 'b']);
  });

  it('yields nothing when the whole stack is exit machinery', () => {
    expect(names(fn('raise', 'abort'))).toEqual([]);
  });
});

describe('normalizeFrames (kernel)', () => {
  it('cuts at the first dot, drops blacklisted and unreliable frames, keeps modules', () => {
    const frames: CrashFrame[] = [
      { function: 'dump_stack', reliable: true },
      { function: 'warn_slowpath_common', reliable: true },
      { function: 'ieee80211_deliver_skb.isra.30', module: 'mac80211', reliable: true },
      { function: '__alloc_skb', reliable: false },
      { function: 'netif_receive_skb', reliable: true },
      { function: 'kthread', module: 'somemod', reliable: true },
    ];
    expect(normalizeFrames('kerneloops', frames)).toEqual([
      { function: 'ieee80211_deliver_skb', module: 'mac80211' },
      { function: 'netif_receive_skb' },
      { function: 'kthread', module: 'somemod' },
    ]);
  });
});

describe('normalizeFrames (python)', () => {
  it.each([
    ['/usr/lib/python3.9/site-packages/dasbus/server/handler.py', 'dasbus/server/handler.py'],
    ['/usr/lib64/python3.12/site-packages/pyanaconda/core/util.py', 'pyanaconda/core/util.py'],
    ['/usr/lib64/python3.9/json/decoder.py', 'json/decoder.py'],
    ['/usr/local/lib/python3.11/dist-packages/requests/api.py', 'requests/api.py'],
    ['/opt/tools/venv/lib/python3.10/site-packages/yaml/reader.py', 'yaml/reader.py'],
    ['/usr/lib/python2.7/site-packages/foo-1.0-py2.7.egg/foo/bar.py', 'foo/bar.py'],
    ['/home/alice/projects/vzstat/collect.py', 'projects/vzstat/collect.py'],
    ['/usr/bin/vzpkg', 'bin/vzpkg'],
    ['/usr/local/bin/vzpkg', 'bin/vzpkg'],
    ['/opt/venv/bin/vzpkg', 'bin/vzpkg'],
    ['<frozen posixpath>', 'posixpath.py'],
    ['/usr/lib/python3.11/posixpath.py', 'posixpath.py'],
    ['<frozen importlib._bootstrap>', 'importlib/_bootstrap.py'],
    ['/opt/vz/lib/vzpanel/cli.py', 'vzpanel/cli.py'],
    ['/opt/vz/lib/python3.12/site-packages/vzpanel/cli.py', 'vzpanel/cli.py'],
    ['/usr/lib/python3/dist-packages/vzpanel/cli.py', 'vzpanel/cli.py'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePythonPath(input)).toBe(expected);
  });

  it('ignores line numbers and install prefixes', () => {
    const a = normalizeFrames('python', [{ function: 'f', file: '/usr/lib/python3.9/site-packages/m/x.py', line: 1 }]);
    const b = normalizeFrames('python', [{ function: 'f', file: '/usr/lib64/python3.12/site-packages/m/x.py', line: 9 }]);
    expect(a).toEqual(b);
    expect(a).toEqual([{ function: 'f', module: 'm/x.py' }]);
  });
});

it('exposes the version of its data file, so stored signatures can tell which rules made them', () => {
  expect(NORMALIZATION_VERSION).toBe(normalizationData.version);
  expect(Number.isInteger(NORMALIZATION_VERSION) && NORMALIZATION_VERSION > 0).toBe(true);
});

describe('mergeRecursion', () => {
  const stackOf = (...n: string[]) => n.map((name) => ({ function: name }));
  it('folds recursion of any period', () => {
    expect(mergeRecursion(stackOf('f', 'f', 'f', 'main'))).toEqual(stackOf('f', 'main'));
    expect(mergeRecursion(stackOf('walk', 'visit', 'walk', 'visit', 'walk', 'visit', 'main'))).toEqual(stackOf('visit', 'walk', 'main'));
    expect(mergeRecursion(stackOf('leaf', 'walk', 'visit', 'walk', 'visit', 'main'))).toEqual(stackOf('leaf', 'walk', 'visit', 'main'));
    expect(mergeRecursion(stackOf('a', 'b', 'c', 'a', 'b', 'c', 'd'))).toEqual(stackOf('a', 'b', 'c', 'd'));
  });

  it('gives a stack overflow one order whichever member of the cycle ran out of stack', () => {
    const overflow = (first: string, second: string) => stackOf(...Array.from({ length: 256 }, (_, i) => (i % 2 ? second : first)));
    expect(mergeRecursion(overflow('walk', 'visit'))).toEqual(mergeRecursion(overflow('visit', 'walk')));
  });

  it('folds the same way at any depth, so stack overflows at different depths compare equal', () => {
    const deep = (n: number) => stackOf('leaf', ...Array.from({ length: n }, (_, i) => (i % 2 ? 'visit' : 'walk')), 'main');
    expect(mergeRecursion(deep(40))).toEqual(mergeRecursion(deep(252)));
  });

  it('never folds unknown frames', () => {
    expect(mergeRecursion(stackOf('??', '??', 'x'))).toHaveLength(3);
  });
});

describe('normalizeFrames (C++ and native identity)', () => {
  it('gives uReport, satyr and gdb spellings of a C++ frame one name', () => {
    const spellings = ['_ZN6Parser5parseEPKc', 'Parser::parse(char const*)', 'Parser::parse'];
    expect(new Set(spellings.map((s) => normalizeFrames('core', [{ function: s }])[0].function))).toEqual(new Set(['Parser::parse']));
  });

  it('marks shared-library frames and names stripped frames by build id and offset', () => {
    const frames = normalizeFrames('core', [
      { function: '__strlen_evex', module: 'libc.so.6' },
      { buildId: 'ff08abb3240c77', buildIdOffset: 0x1537, module: 'vzctl-sim' },
      { function: 'main', buildId: 'ff08abb3240c77', buildIdOffset: 0x12e1, module: 'vzctl-sim' },
    ]);
    expect(frames).toEqual([
      { function: 'strlen', library: true },
      { function: 'vzctl-sim@ff08abb3240c+0x1537', unsymbolized: true },
      { function: 'main' },
    ]);
    expect(isShallowStack(frames)).toBe(false);
  });

  it("counts frames in the program's own shared libraries as program frames; only system libraries are library frames", () => {
    const frames = normalizeFrames('core', [
      { function: '____strtoll_l_internal', module: 'libc.so.6' },
      { function: 'vzu_parse_quota', module: 'libvzutil.so' },
      { function: 'vzu_quota_left', module: 'libvzutil.so.1' },
      { function: 'main', buildId: 'ab12ab12ab12ab', buildIdOffset: 0x40, module: 'vzuser-sim' },
    ]);
    expect(frames.map((f) => Boolean(f.library))).toEqual([true, false, false, false]);
    expect(isShallowStack(frames)).toBe(false);
    expect(isProgramFrame(frames[1])).toBe(true);
  });

  it.each(['libc.so.6', 'libc-2.23.so', '/usr/lib64/libstdc++.so.6', 'ld-linux-x86-64.so.2', 'libpython3.11.so.1.0', 'libglib-2.0.so.0', 'linux-vdso.so.1'])(
    'recognises %s as a system library',
    (module) => expect(isSystemLibrary(module)).toBe(true),
  );

  it.each(['libvzctl.so.7', 'libprlsdk.so', 'libcrashy.so', 'vzctl', 'libc-helper.so'])('does not take %s for a system library', (module) =>
    expect(isSystemLibrary(module)).toBe(false),
  );

  it('keeps the call site in main when the stack has no other program frame', () => {
    const frames = normalizeFrames('core', [
      { function: 'strcmp', module: 'libc.so.6' },
      { function: 'main', buildId: 'ab12ab12ab12ab', buildIdOffset: 0x40, module: 'lto-bin' },
    ]);
    expect(isShallowStack(frames)).toBe(true);
    expect(frames[1]).toEqual({ function: 'main', site: 'ab12ab12ab12+0x40' });
  });
});
