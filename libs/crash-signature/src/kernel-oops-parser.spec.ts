import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { abrtKoopsDuphash } from './compat-hashes';
import { exactSignature } from './crash-signature';
import { normalizeFrames } from './frame-normalization';
import { extractKernelReports, parseKernelOops } from './kernel-oops-parser';
import { kernelSignature } from './kernel-signature';

const UPSTREAM = join(__dirname, '../../../test/fixtures/upstream');
const SATYR = join(UPSTREAM, 'satyr/tests/kerneloopses');
const ABRT = join(UPSTREAM, 'abrt/tests/examples');
const read = (path: string) => readFileSync(path, 'utf8');
const oops = (dir: string, name: string) => parseKernelOops(read(join(dir, name)));
const signature = (dir: string, name: string) =>
  exactSignature('kerneloops', 'kernel', normalizeFrames('kerneloops', oops(dir, name).frames));
const duphash = (dir: string, name: string) => abrtKoopsDuphash(oops(dir, name).frames);

/** Inputs without a call trace: MCEs, non-oops logs, lockdep reports without a stack, taint-only snippets. */
const NO_STACK = new Set([
  'gitlog-10',
  'gitlog-23',
  'koops-tainted-insane.template',
  'koops-tainted-spaces',
  'mce1.right',
  'mce1.test',
  'mce2.right',
  'mce2.test',
  'no_oops.test',
  'not_oops1.right',
  'not_oops1.test',
  'not_oops2.right',
  'not_oops_foreign_hostname.test',
  'oops-non-fatal-mce.test.template',
  'oops7.right',
  'oops7.test.template',
  'oops_full_hostname.test',
  'oops_full_hostname.test.template',
  'oops_no_reliable_frame.right',
  'oops_no_reliable_frame.test.template',
]);

describe('parseKernelOops on every upstream oops fixture', () => {
  const files = [
    ...readdirSync(SATYR).map((name) => [SATYR, name] as const),
    ...readdirSync(ABRT)
      .filter((name) => !name.startsWith('xorg_'))
      .map((name) => [ABRT, name] as const),
  ];
  it.each(files)('%s/%s', (dir, name) => {
    const parsed = oops(dir, name);
    expect(parsed.family).toBe('kerneloops');
    const normalized = normalizeFrames('kerneloops', parsed.frames);
    if (NO_STACK.has(name)) {
      expect(normalized).toEqual([]);
    } else {
      expect(normalized.length).toBeGreaterThan(0);
      expect(normalized.every((f) => /^[\w$]+$/.test(f.function))).toBe(true);
    }
  });
});

describe('parseKernelOops details', () => {
  it('reads a WARNING with modules, hardware, version and no taint', () => {
    const parsed = oops(ABRT, 'hash-gen-oops6.right');
    expect(parsed.kernelVersion).toBe('3.2.2-1.fc16.x86_64');
    expect(parsed.taintFlags).toEqual([]);
    expect(parsed.hardwareName).toBe('HP Pavilion dv6 Notebook PC');
    expect(parsed.modules?.[0]).toBe('hp_wmi');
    expect(parsed.modules).toContain('i2c_core');
    expect(parsed.frames[0]).toMatchObject({ function: 'warn_slowpath_common', functionOffset: 0x7f, reliable: true });
    expect(parsed.frames[2]).toMatchObject({ function: 'lis3lv02d_get_pwron_wait', module: 'lis3lv02d' });
    expect(parsed.frames.find((f) => f.function === 'driver_probe_device' && f.reliable === false)).toBeDefined();
  });

  it('puts the RIP function first (x86_64 GPF)', () => {
    const parsed = oops(ABRT, 'hash-gen-short-oops.right');
    expect(parsed.frames.map((f) => f.function)).toEqual(['fget_light', 'sys_read', 'system_call_fastpath']);
    expect(parsed.hardwareName).toBe('Hewlett-Packard p6530uk/2A9C');
  });

  it('reads the i386 EIP line printed after the trace', () => {
    const parsed = oops(ABRT, 'oops1.right');
    expect(parsed.frames[0]).toMatchObject({ function: 'radeon_cp_init_ring_buffer', module: 'radeon' });
    expect(parsed.kernelVersion).toBe('2.6.27.9-159.fc10.i686');
  });

  it('reads new-style traces without addresses and the RIP: 0010:func form', () => {
    const parsed = oops(SATYR, 'rhbz-1518943');
    expect(parsed.frames[0]).toMatchObject({ function: 'amdgpu_vm_sdma_commit', module: 'amdgpu' });
    expect(parsed.frames[1]).toMatchObject({ function: 'amdgpu_vm_sdma_update', module: 'amdgpu', reliable: true });
    expect(parsed.frames[2]).toMatchObject({ function: 'amdgpu_vm_num_entries', reliable: false });
  });

  describe('symbolized traces (scripts/decode_stacktrace.sh and syzkaller spellings)', () => {
    // Hand-written in the documented formats: source locations after frames, inlined callees marked `[inline]`.
    const hung = [
      '[  300.100000][   T29] INFO: task vzctl:5100 blocked for more than 143 seconds.',
      '[  300.100001][   T29]       Not tainted 6.1.0-28-amd64 #1 Debian 6.1.119-1',
      '[  300.100002][   T29] task:vzctl           state:D stack:27800 pid:5100  ppid:5090   flags:0x00004006',
      '[  300.100003][   T29] Call Trace:',
      '[  300.100004][   T29]  <TASK>',
      '[  300.100005][   T29]  context_switch kernel/sched/core.c:5382 [inline]',
      '[  300.100006][   T29]  __schedule+0xee0/0x5af0 kernel/sched/core.c:6695',
      '[  300.100007][   T29]  __schedule_loop kernel/sched/core.c:6772 [inline]',
      '[  300.100008][   T29]  schedule+0xe7/0x270 kernel/sched/core.c:6787',
      '[  300.100009][   T29]  __mutex_lock_common kernel/locking/mutex.c:679 [inline]',
      '[  300.100010][   T29]  __mutex_lock+0x5b9/0x9d0 kernel/locking/mutex.c:747',
      '[  300.100011][   T29]  ploop_suspend drivers/block/ploop/dev.c:698 [inline]',
      '[  300.100012][   T29]  ploop_ioctl+0x3e/0x230 [ploop] drivers/block/ploop/dev.c:3500',
      '[  300.100013][   T29]  ? blkdev_ioctl+0x10/0x20 (block/ioctl.c:610)',
      '[  300.100014][   T29]  </TASK>',
    ].join('\n');

    it('reads frames followed by a source location, with or without parentheses, and inlined callees', () => {
      const frames = parseKernelOops(hung).frames;
      expect(frames.map((f) => f.function)).toEqual([
        'context_switch', '__schedule', '__schedule_loop', 'schedule', '__mutex_lock_common', '__mutex_lock', 'ploop_suspend', 'ploop_ioctl', 'blkdev_ioctl',
      ]);
      expect(frames[6]).toMatchObject({ inlined: true, file: 'drivers/block/ploop/dev.c', line: 698, reliable: true });
      expect(frames[7]).toMatchObject({ module: 'ploop', functionOffset: 0x3e, file: 'drivers/block/ploop/dev.c', line: 3500 });
      expect(frames[8]).toMatchObject({ reliable: false, file: 'block/ioctl.c', line: 610 });
    });

    it('keys the report by the first frame that is not scheduler or lock machinery, inlined or not', () => {
      const signature = kernelSignature(parseKernelOops(hung), 'kernel');
      expect(signature.crashFunction).toBe('ploop_suspend');
      expect(signature.frames.map((f) => f.function)).toEqual(['ploop_suspend', 'ploop_ioctl', '<hung task>']);
    });

    it('reads a symbolized RIP line as the crash site', () => {
      const gpf = [
        '[  100.1][ T1234] general protection fault, probably for non-canonical address 0xdffffc0000000003: 0000 [#1] PREEMPT SMP KASAN',
        '[  100.1][ T1234] CPU: 0 PID: 1234 Comm: vzctl Not tainted 6.1.0-28-amd64 #1',
        '[  100.1][ T1234] RIP: 0010:vzquota_sync+0x1234/0x2000 fs/vzquota/sync.c:390',
        '[  100.1][ T1234] RSP: 0018:ffffc90003b7f4c8 EFLAGS: 00010202',
        '[  100.1][ T1234] Call Trace:',
        '[  100.1][ T1234]  <TASK>',
        '[  100.1][ T1234]  vzquota_ioctl+0x1484/0x2440 fs/vzquota/ioctl.c:524',
        '[  100.1][ T1234]  </TASK>',
      ].join('\n');
      const signature = kernelSignature(parseKernelOops(gpf), 'kernel');
      expect(signature.kind).toBe('general protection fault');
      expect(signature.frames.map((f) => f.function)).toEqual(['vzquota_sync', 'vzquota_ioctl', '<general protection fault>']);
    });
  });

  it('reads frames inside <IRQ> and <NMI> sections', () => {
    const names = normalizeFrames('kerneloops', oops(SATYR, 'github-73').frames).map((f) => f.function);
    expect(names.slice(0, 3)).toEqual(['tcp_fastretrans_alert', 'tcp_ack', 'tcp_rcv_established']);
    const nmi = normalizeFrames('kerneloops', oops(ABRT, 'nmi_oops_hash.test').frames).map((f) => f.function);
    expect(nmi.slice(0, 2)).toEqual(['watchdog_overflow_callback', '__perf_event_overflow']);
    expect(nmi).toContain('account_idle_ticks');
  });

  it('maps taint letters to satyr names', () => {
    const parsed = oops(SATYR, 'rhbz-1040900-s390x-1');
    expect(parsed.taintFlags).toEqual(['forced_module', 'module_out_of_tree']);
    expect(parsed.kernelVersion).toBe('3.10.0-54.0.1.el7.s390x');
    expect(parsed.frames[0]).toMatchObject({ function: 'will_oops_init', module: 'will_oops' });
    expect(oops(ABRT, 'oops-same-as-oops4.right').taintFlags).toEqual(['module_proprietary']);
  });

  it('handles ppc64 dot-prefixed names and (unreliable) markers', () => {
    const parsed = oops(SATYR, 'rhbz-1040900-ppc64-1');
    expect(parsed.kernelVersion).toBe('3.10.0-33.el7.ppc64');
    expect(parsed.frames[0]).toMatchObject({ function: 'eeh_dev_check_failure', reliable: true });
    expect(parsed.frames[1]).toMatchObject({ function: 'eeh_dev_check_failure', reliable: false });
    expect(parsed.frames).toContainEqual(expect.objectContaining({ function: 'ipr_probe_ioa', module: 'ipr' }));
  });

  it('handles ARM "(func) from (caller)" traces', () => {
    const names = oops(SATYR, 'arm-hung-task-oops').frames.map((f) => f.function);
    expect(names).toEqual(['dump_backtrace_log_lvl', 'show_stack', 'dump_stack', 'panic', 'watchdog', 'kthread']);
  });

  it('extracts the first oops from a vmcore-dmesg.txt with timestamps', () => {
    const dmesg = [
      '[    0.000000] Linux version 3.10.0-1160.80.1.vz7.191.4 (builder@vz7) #1 SMP',
      '[   12.345678] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex',
      ...read(join(ABRT, 'hash-gen-short-oops.right'))
        .split('\n')
        .map((line, i) => `[ ${(123.4 + i / 1000).toFixed(6)}] ${line}`),
      '[  124.000000] ---[ end trace 4e37b1eb61ae9844 ]---',
      '[  124.000001] Kernel panic - not syncing: Fatal exception',
      '[  124.000002] Call Trace:',
      '[  124.000003]  [<ffffffff81000000>] panic+0x10/0x20',
    ].join('\n');
    const parsed = parseKernelOops(dmesg);
    expect(parsed.frames.map((f) => f.function)).toEqual(['fget_light', 'sys_read', 'system_call_fastpath']);
    expect(parsed.kernelVersion).toBe('3.1.6-1.fc16.x86_64');
    expect(parsed.modules).toContain('nouveau');
  });
});

describe('oops grouping agrees with abrt', () => {
  it.each([
    ['hash-gen-oops6.right', 'hash-gen-same-as-oops6.right'],
    ['oops4.right', 'oops-same-as-oops4.right'],
    ['nmi_oops_hash.test', 'nmi_oops_hash.right'],
    ['nmi_oops.test.template', 'nmi_oops_hash.test'],
  ])('%s and %s get the same duphash and signature', (a, b) => {
    expect(duphash(ABRT, a)).not.toBeNull();
    expect(duphash(ABRT, a)).toBe(duphash(ABRT, b));
    expect(signature(ABRT, a)).toEqual(signature(ABRT, b));
  });

  it('groups satyr modified variants with their originals', () => {
    for (const [a, b] of [
      ['rhbz-827868', 'rhbz-827868-modified'],
      ['github-73', 'github-73-modified'],
      ['rhbz-865695-2', 'rhbz-865695-2-notime'],
    ]) {
      expect(duphash(SATYR, a)).toBe(duphash(SATYR, b));
      expect(signature(SATYR, a).hash).toBe(signature(SATYR, b).hash);
    }
  });

  it('keeps distinct oopses apart', () => {
    const distinct = [
      'hash-gen-oops6.right',
      'oops4.right',
      'nmi_oops_hash.right',
      'hash-gen-short-oops.right',
      'oops1.right',
      'oops2.right',
      'oops5.right',
      'oops6.right',
      'oops8_ppc64.right',
      'oops10_s390x.right',
      'cut_here.right',
      'oops_broken_bios.right',
    ];
    const duphashes = distinct.map((name) => duphash(ABRT, name));
    const hashes = distinct.map((name) => signature(ABRT, name).hash);
    expect(new Set(duphashes).size).toBe(distinct.length);
    expect(new Set(hashes).size).toBe(distinct.length);
  });

  it('titles an oops by its crashing functions', () => {
    expect(signature(ABRT, 'oops4.right').text).toBe('kernel: __might_sleep | __kmalloc | alloc_ioapic_entries');
  });
});

describe('kernel signatures on the upstream oopses', () => {
  const kernel = (dir: string, name: string) => kernelSignature(oops(dir, name), 'kernel');

  it('abrt duplicates share a kernel signature, distinct oopses do not', () => {
    for (const [a, b] of [
      ['hash-gen-oops6.right', 'hash-gen-same-as-oops6.right'],
      ['oops4.right', 'oops-same-as-oops4.right'],
      ['nmi_oops_hash.test', 'nmi_oops_hash.right'],
    ]) {
      expect(kernel(ABRT, a).signature.hash).toBe(kernel(ABRT, b).signature.hash);
    }
    const distinct = ['hash-gen-oops6.right', 'oops4.right', 'nmi_oops_hash.right', 'oops1.right', 'oops2.right', 'oops5.right', 'oops8_ppc64.right', 'oops10_s390x.right', 'oops_broken_bios.right'];
    expect(new Set(distinct.map((name) => kernel(ABRT, name).signature.hash)).size).toBe(distinct.length);
  });

  it('names kind and site', () => {
    expect(kernel(ABRT, 'oops1.right')).toMatchObject({ kind: 'NULL pointer dereference', crashFunction: 'radeon_cp_init_ring_buffer' });
    expect(kernel(ABRT, 'oops2.right')).toMatchObject({ kind: 'lockdep: possible deadlock', crashFunction: 'sysfs_addrm_finish' });
    expect(kernel(ABRT, 'oops8_ppc64.right')).toMatchObject({ kind: 'WARNING', crashFunction: 'eeh_dev_check_failure' });
    expect(kernel(ABRT, 'oops10_s390x.right')).toMatchObject({ kind: 'kernel BUG', crashFunction: 'scsi_init_io' });
    // Old kernels print a hard lockup as a WARNING in the watchdog; the stuck CPU was idle accounting.
    expect(kernel(ABRT, 'nmi_oops_hash.right')).toMatchObject({ kind: 'hard lockup', crashFunction: 'account_idle_ticks' });
    expect(kernel(ABRT, 'hash-gen-oops6.right')).toMatchObject({ kind: 'WARNING', crashFunction: 'lis3lv02d_get_pwron_wait' });
  });
});

describe('several reports in one log', () => {
  const log = read(join(ABRT, '10_oopses.test'));

  it('finds every report, as abrt-dump-oops does with this log', () => {
    const reports = extractKernelReports(log);
    expect(reports).toHaveLength(10);
    expect(reports.every((r) => /^(-+\[ cut here|WARNING:)/.test(r.lines[0]))).toBe(true);
    expect(reports.map((r) => r.lines.find((l) => l.startsWith('WARNING:'))!.replace(/.* at (\S+):\d+ .*/, '$1'))).toEqual([
      ...Array(6).fill('drivers/gpu/drm/radeon/radeon_gart.c'),
      'drivers/gpu/drm/drm_mm.c',
      'drivers/gpu/drm/drm_mm.c',
      'drivers/gpu/drm/ttm/ttm_page_alloc_dma.c',
      'drivers/pci/pci.c',
    ]);
  });

  it('parses the first and counts the others', () => {
    const parsed = parseKernelOops(log);
    expect(parsed.kernelReport).toMatchObject({ kind: 'WARNING', headerFunction: 'radeon_gart_unbind', otherReports: 9 });
    const sites = extractKernelReports(log).map((r) => kernelSignature(parseKernelOops(r.lines.join('\n')), 'kernel'));
    expect(new Set(sites.map((s) => s.signature.hash)).size).toBe(4);
    expect(sites[9].crashFunction).toBe('pci_disable_device');
  });

  it('a log cut short inside the trace still names its site', () => {
    const lines = log.split('\n');
    const header = lines.findIndex((l) => l.includes('WARNING:'));
    const parsed = parseKernelOops(lines.slice(0, header + 3).join('\n'));
    expect(kernelSignature(parsed, 'kernel')).toMatchObject({ kind: 'WARNING', crashFunction: 'radeon_gart_unbind' });
  });
});
