import { CrashFrame } from './crash-thread';
import {
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
    ['/usr/bin/vzpkg', 'usr/bin/vzpkg'],
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

it('exposes the data version', () => {
  expect(NORMALIZATION_VERSION).toBe(1);
});
