import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AgentCrashReportSchema } from '../../libs/contracts/src';

/**
 * A synthetic but shaped-like-real crash population: 200 components, each with a layered call
 * tree (dispatch → handle → … → copy) whose popular functions recur across many stacks, so
 * pre-buckets overlap the way real ones do, plus a shared pool of libc/glib crash sites.
 * The candidate seeder builds the same stacks in SQL from these pools.
 */

export type AgentCrashBody = z.input<typeof AgentCrashReportSchema>;

const COMPONENT_STEMS = [
  'vzctl', 'prl-disp', 'ploop', 'vzstat', 'criu', 'libvirt', 'qemu-kvm', 'vcmmd', 'pcompact', 'vzevent',
  'dispatcher', 'vstorage', 'shaman', 'vzlicd', 'prlctl', 'vz-guest', 'vzmigrate', 'vzpkg', 'vzquota', 'vztt',
  'systemd', 'NetworkManager', 'dbus-broker', 'polkit', 'sssd', 'rsyslog', 'chronyd', 'firewalld', 'tuned', 'lvm2',
  'openssh', 'nginx', 'httpd', 'mariadb', 'postgresql', 'redis', 'haproxy', 'keepalived', 'corosync', 'pacemaker',
];
const COMPONENT_VARIANTS = ['', '-daemon', '-utils', '-agent', '-libs'];
export const COMPONENTS: readonly string[] = COMPONENT_VARIANTS.flatMap((v) => COMPONENT_STEMS.map((s) => `${s}${v}`));

/** One verb per call-tree layer, outermost first; a layer's functions never collide with another's. */
export const LAYER_VERBS: readonly string[] = [
  'dispatch', 'handle', 'process', 'run', 'apply', 'load', 'parse', 'validate', 'lookup', 'copy',
];
export const NOUNS: readonly string[] = [
  'config', 'request', 'entry', 'container', 'snapshot', 'image', 'device', 'mount', 'quota', 'event',
  'message', 'session', 'template', 'license', 'backup', 'network', 'route', 'cgroup', 'memory', 'cpu',
  'disk', 'volume', 'chunk', 'journal', 'lock', 'token', 'user', 'policy', 'service', 'timer', 'socket', 'buffer',
];
/** Where native crashes usually land: string/memory routines and container helpers of common libraries. */
export const LIBRARY_CRASH_SITES: readonly string[] = [
  'strlen', 'memcpy', 'strcmp', 'memmove', 'strcpy', 'memset', 'strchr', 'strncmp', 'memcmp', 'strstr',
  'g_hash_table_lookup', 'g_str_hash', 'g_list_remove', 'g_slist_free', 'g_string_append', 'g_variant_unref',
  'pthread_mutex_lock', 'pthread_cond_wait', 'json_object_get', 'xmlStrEqual', 'sqlite3_step', 'dbus_message_unref',
  'json_object_put', 'event_base_loop', 'uv_run', 'epoll_wait', 'readdir64', 'fclose', 'fgets', 'qsort',
];
export const MIN_LAYERS = 3;
export const MAX_LAYERS = LAYER_VERBS.length;
/** Share of stacks whose innermost frame is a library crash site rather than the component's own code. */
export const LIBRARY_TOP_SHARE = 0.6;
/** Popularity exponent: index = floor(random^SKEW * n) makes low indexes common, like real hot paths. */
export const SKEW = 2;

const CPU_VARIANTS: Record<string, string[]> = {
  strlen: ['__strlen_avx2', '__strlen_evex', '__strlen_sse2'],
  memcpy: ['__memcpy_avx_unaligned_erms', '__memcpy_evex_unaligned_erms', '__memcpy_sse2_unaligned'],
  strcmp: ['__strcmp_avx2', '__strcmp_sse42'],
  memmove: ['__memmove_avx_unaligned_erms'],
  memset: ['__memset_avx2_unaligned_erms'],
};
const COMPILER_SUFFIXES = ['.isra.0', '.constprop.0', '.part.0', '.cold'];
const ABORT_PREFIX = ['__pthread_kill_implementation', 'raise', 'abort', '__assert_fail_base', '__assert_fail'];
const STARTUP_FRAMES = ['__libc_start_call_main', '__libc_start_main_impl', '_start'];

export function functionStem(component: string): string {
  return component.replace(/[^a-zA-Z0-9]/g, '_').toLowerCase();
}

/** Deterministic PRNG (mulberry32) so a run is reproducible from BENCH_SEED. */
export class SeededRandom {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  skewed<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() ** SKEW * items.length)]!;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(0x10000).toString(16).padStart(4, '0');
    return out.slice(0, length);
  }
}

/** A crash as grouping sees it after normalization: innermost frame first, ending in `main`. */
export interface SyntheticStack {
  component: string;
  functions: string[];
}

export class CrashStackGenerator {
  constructor(private readonly random: SeededRandom) {}

  component(): string {
    return this.random.skewed(COMPONENTS);
  }

  /** A stack drawn from the same distribution the candidate seeder uses. */
  newStack(component = this.component()): SyntheticStack {
    const layers = MIN_LAYERS + this.random.int(MAX_LAYERS - MIN_LAYERS + 1);
    const stem = functionStem(component);
    const functions: string[] = [];
    if (this.random.next() < LIBRARY_TOP_SHARE) functions.push(this.random.skewed(LIBRARY_CRASH_SITES));
    for (let layer = layers - 1; layer >= 0; layer--) {
      functions.push(`${stem}_${LAYER_VERBS[layer]}_${this.random.skewed(NOUNS)}`);
    }
    functions.push('main');
    return { component, functions };
  }

  /**
   * The same bug seen differently: one frame inlined away, one extra frame, or another caller one
   * level up. One edit on at least four frames stays within satyr's 0.3 distance cut.
   */
  nearDuplicate(stack: SyntheticStack): SyntheticStack {
    const functions = [...stack.functions];
    const stem = functionStem(stack.component);
    const inner = 1 + this.random.int(Math.max(1, functions.length - 2));
    const edit = this.random.int(3);
    if (edit === 0 && functions.length > 4) functions.splice(inner, 1);
    else if (edit === 1) functions.splice(inner, 0, `${stem}_inline_${this.random.pick(NOUNS)}_${this.random.int(100)}`);
    else functions[inner] = `${stem}_wrap_${this.random.pick(NOUNS)}_${this.random.int(100)}`;
    return { component: stack.component, functions };
  }
}

const LIBRARIES: Array<[string, string]> = [
  ['g_', 'libglib-2.0.so.0'],
  ['json_', 'libjson-c.so.5'],
  ['xml', 'libxml2.so.2'],
  ['sqlite3_', 'libsqlite3.so.0'],
  ['dbus_', 'libdbus-1.so.3'],
  ['event_', 'libevent-2.1.so.7'],
  ['uv_', 'libuv.so.1'],
];

function libraryFile(name: string): string {
  return `/usr/lib64/${LIBRARIES.find(([prefix]) => name.startsWith(prefix))?.[1] ?? 'libc.so.6'}`;
}

const HOSTS = Array.from({ length: 300 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

/**
 * An agent crash report as a host would send it: raw frames with what normalization strips
 * (CPU-variant libc names, compiler suffixes, abort/assert frames, libc start-up frames),
 * fresh addresses, build ids and a host from a fleet of 300.
 */
export function agentCrashReport(stack: SyntheticStack, random: SeededRandom, crashedAt: Date): AgentCrashBody {
  const { component } = stack;
  const executable = `/usr/sbin/${component}`;
  const aborted = random.next() < 0.2;
  const raw = [
    ...(aborted ? ABORT_PREFIX.map((name) => ({ name, library: true })) : []),
    ...stack.functions.map((name) => ({ name, library: LIBRARY_CRASH_SITES.includes(name) })),
    ...STARTUP_FRAMES.map((name) => ({ name, library: true })),
  ];
  const frames = raw.map(({ name, library }) => {
    const variants = CPU_VARIANTS[name];
    let decorated = name;
    if (variants && random.next() < 0.7) decorated = random.pick(variants);
    else if (!library && name !== 'main' && random.next() < 0.15) decorated = `${name}${random.pick(COMPILER_SUFFIXES)}`;
    return {
      address: 0x7f0000000000 + random.int(0x10000000),
      build_id: random.hex(40),
      build_id_offset: random.int(0x100000),
      file_name: library ? libraryFile(name) : executable,
      function_name: decorated,
    };
  });
  const version = `7.${random.int(4)}.${random.int(20)}`;
  return {
    reportId: randomUUID(),
    hostId: random.skewed(HOSTS),
    labels: { rig: `rig-${String(random.int(12)).padStart(2, '0')}`, build: `vz-${version}` },
    occurrences: 1,
    crashedAt: crashedAt.toISOString(),
    ureport: {
      ureport_version: 2,
      reason: `${component} killed by ${aborted ? 'SIGABRT' : 'SIGSEGV'}`,
      reporter: { name: 'hub-bench', version: '1' },
      os: { name: 'Virtuozzo', version: `7.${random.int(6)}`, architecture: 'x86_64' },
      problem: {
        type: 'core',
        component,
        user: { root: true, local: true },
        serial: 1,
        signal: aborted ? 6 : 11,
        executable,
        stacktrace: [{ crash_thread: true, frames }],
      },
      packages: [
        { name: component, epoch: 0, version, release: '1.vz7', architecture: 'x86_64', package_role: 'affected' },
      ],
    },
  };
}

export type WorkloadKind = 'new-bug' | 'repeat' | 'near-duplicate';

export interface SyntheticReport {
  kind: WorkloadKind;
  body: AgentCrashBody;
}

/**
 * A report stream like a fleet's: a new bug about a third of the time, otherwise a popular
 * earlier bug again (Zipf-like), sometimes seen through a slightly different stack.
 */
export function syntheticWorkload(count: number, seed: number): SyntheticReport[] {
  const random = new SeededRandom(seed);
  const stacks = new CrashStackGenerator(random);
  const bugs: SyntheticStack[] = [];
  const start = Date.now() - 7 * 24 * 3600 * 1000;
  const reports: SyntheticReport[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    let kind: WorkloadKind;
    let stack: SyntheticStack;
    if (bugs.length === 0 || roll < 0.35) {
      kind = 'new-bug';
      stack = stacks.newStack();
      bugs.push(stack);
    } else {
      const popular = random.skewed(bugs);
      kind = roll < 0.8 ? 'repeat' : 'near-duplicate';
      stack = kind === 'repeat' ? popular : stacks.nearDuplicate(popular);
    }
    reports.push({ kind, body: agentCrashReport(stack, random, new Date(start + (i * 7 * 24 * 3600 * 1000) / count)) });
  }
  return reports;
}
