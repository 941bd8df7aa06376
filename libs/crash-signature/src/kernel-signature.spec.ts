import boilerplate from './data/kernel-boilerplate-frames.json';
import { extractKernelReports, parseKernelOops } from './kernel-oops-parser';
import { isKernelBoilerplate, kernelFunctionName, kernelSignature } from './kernel-signature';

/** Hand-written reports in the shape each kernel prints, with invented (OpenVZ-like) function names. */
const REGS = [
  'RSP: 0018:ffffc90000a3bc80 EFLAGS: 00010246',
  'RAX: 0000000000000000 RBX: ffff888003c1e000 RCX: 0000000000000000',
  'Code: 48 89 e5 41 54 53 48 8b 47 08 <8b> 40 10 5b 41 5c 5d c3 cc cc cc cc 0f 1f 44 00 00',
];
const TASK_TAIL = [' vfs_write+0xc7/0x3f0', ' ksys_write+0x6b/0xf0', ' do_syscall_64+0x5d/0x90', ' entry_SYSCALL_64_after_hwframe+0x6e/0xd8', ' </TASK>'];
const cpu = (n = 0, pid = 4242, comm = 'vzctl') =>
  `CPU: ${n} PID: ${pid} Comm: ${comm} Tainted: G           OE      6.1.0-57-amd64 #1  Debian 6.1.192-3`;
/** The top of every KASAN report's access stack. */
const KASAN_HEAD = [cpu(), 'Call Trace:', ' <TASK>', ' dump_stack_lvl+0x48/0x70', ' print_report+0xcf/0x620', ' kasan_report+0xb0/0xe0'];

const REPORTS: Record<string, { lines: string[]; kind: string; site: string }> = {
  nullDeref: {
    kind: 'NULL pointer dereference',
    site: 'vzquota_sync',
    lines: [
      'BUG: kernel NULL pointer dereference, address: 0000000000000010',
      '#PF: supervisor read access in kernel mode',
      'Oops: 0000 [#1] PREEMPT SMP NOPTI',
      cpu(),
      'RIP: 0010:vzquota_sync.isra.0+0x1a/0x40 [vzdquota]',
      ...REGS,
      'Call Trace:',
      ' <TASK>',
      ' vzquota_ioctl+0x51/0x90 [vzdquota]',
      ...TASK_TAIL,
      'Modules linked in: vzdquota(OE) vzmon(OE)',
      '---[ end trace 0000000000000000 ]---',
    ],
  },
  bugAt: {
    kind: 'kernel BUG',
    site: 'cpt_restore_mm',
    lines: [
      '------------[ cut here ]------------',
      'kernel BUG at kernel/cpt/rst_mm.c:412!',
      'invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
      cpu(1),
      'RIP: 0010:cpt_restore_mm+0x2c1/0x300 [vzrst]',
      ...REGS,
      'Call Trace:',
      ' <TASK>',
      ' rst_restore_process+0x90/0x120 [vzrst]',
      ...TASK_TAIL,
    ],
  },
  warning: {
    kind: 'WARNING',
    site: 've_net_unregister',
    lines: [
      '------------[ cut here ]------------',
      'WARNING: CPU: 1 PID: 77 at net/core/ve_net.c:88 ve_net_unregister+0x4f/0x60',
      'Modules linked in: vznetdev(OE)',
      cpu(1, 77),
      'RIP: 0010:ve_net_unregister+0x4f/0x60',
      ...REGS,
      'Call Trace:',
      ' <TASK>',
      ' ve_stop_ns+0x33/0x80',
      ...TASK_TAIL,
      '---[ end trace 0000000000000000 ]---',
    ],
  },
  oldWarning: {
    kind: 'WARNING',
    site: 've_net_unregister',
    lines: [
      '------------[ cut here ]------------',
      'WARNING: at net/core/ve_net.c:88 ve_net_unregister+0x4f/0x60() (Tainted: P           ---------------   )',
      'Pid: 77, comm: vzctl Tainted: P           ---------------    2.6.32-042stab145.3 #1',
      'Call Trace:',
      ' [<ffffffff81074127>] ? warn_slowpath_common+0x87/0xc0',
      ' [<ffffffff8107417a>] ? warn_slowpath_null+0x1a/0x20',
      ' [<ffffffffa0123456>] ? ve_net_unregister+0x4f/0x60',
      ' [<ffffffffa0123999>] ? ve_stop_ns+0x33/0x80',
      '---[ end trace a7919e7f17c0a725 ]---',
    ],
  },
  gpf: {
    kind: 'general protection fault',
    site: 'vzevent_notify',
    lines: [
      'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI',
      cpu(),
      'RIP: 0010:vzevent_notify+0x22/0x70',
      ...REGS,
      'Call Trace:',
      ' <TASK>',
      ' ve_exit_notify+0x10/0x20',
      ...TASK_TAIL,
    ],
  },
  divide: {
    kind: 'divide error',
    site: 'ub_calc_shares',
    lines: ['divide error: 0000 [#1] PREEMPT SMP NOPTI', cpu(), 'RIP: 0010:ub_calc_shares+0x9/0x30', ...REGS, 'Call Trace:', ' <TASK>', ' ub_update_limits+0x40/0x80', ...TASK_TAIL],
  },
  kasan: {
    kind: 'KASAN: slab-use-after-free Read',
    site: 'vzmon_put_ve',
    lines: [
      '==================================================================',
      'BUG: KASAN: slab-use-after-free in vzmon_put_ve+0x2a/0x60',
      'Read of size 8 at addr ffff88800b9f1e08 by task vzctl/4242',
      '',
      ...KASAN_HEAD,
      ' vzmon_put_ve+0x2a/0x60',
      ' ve_destroy+0x51/0x90',
      ...TASK_TAIL,
      '',
      'Allocated by task 4100:',
      ' kasan_save_stack+0x22/0x50',
      ' __kasan_kmalloc+0x7f/0x90',
      ' ve_create+0x20/0x300',
      '',
      'Freed by task 4200:',
      ' kfree+0x6f/0x180',
      ' ve_free+0x1c/0x30',
      '',
      'The buggy address belongs to the object at ffff88800b9f1e00',
    ],
  },
  kasanInMemcpy: {
    kind: 'KASAN: slab-out-of-bounds Write',
    site: 'cpt_copy_name',
    lines: [
      'BUG: KASAN: slab-out-of-bounds in memcpy+0x35/0x60',
      'Write of size 32 at addr ffff88800b9f1e08 by task vzctl/4242',
      ...KASAN_HEAD,
      ' kasan_check_range+0x105/0x1b0',
      ' __asan_memcpy+0x23/0x60',
      ' cpt_copy_name+0x44/0x80 [vzcpt]',
      ' cpt_dump_task+0x91/0x200 [vzcpt]',
      ...TASK_TAIL,
    ],
  },
  ubsan: {
    kind: 'UBSAN: shift-out-of-bounds',
    site: 'ub_page_shift',
    lines: [
      '================================================================================',
      'UBSAN: shift-out-of-bounds in kernel/bc/beancounter.c:120:14',
      'shift exponent 64 is too large for 64-bit type \'long unsigned int\'',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x48/0x70',
      ' ubsan_epilogue+0x5/0x2b',
      ' __ubsan_handle_shift_out_of_bounds.cold+0x61/0xea',
      ' ub_page_shift+0x12/0x20',
      ' ub_charge_pages+0x33/0x90',
      ...TASK_TAIL,
    ],
  },
  kcsan: {
    kind: 'KCSAN: data-race',
    site: 've_stat_inc',
    lines: [
      '==================================================================',
      'BUG: KCSAN: data-race in ve_stat_inc / ve_stat_read',
      '',
      'write to 0xffff88800b9f1e08 of 8 bytes by task 4242 on cpu 1:',
      ' ve_stat_inc+0x12/0x20',
      ' ve_account+0x44/0x60',
      '',
      'read to 0xffff88800b9f1e08 of 8 bytes by task 4243 on cpu 0:',
      ' ve_stat_read+0x10/0x20',
    ],
  },
  lockdep: {
    kind: 'lockdep: possible deadlock',
    site: 've_mount_lock',
    lines: [
      '======================================================',
      'WARNING: possible circular locking dependency detected',
      '6.1.0-57-amd64 #1 Tainted: G           OE',
      '------------------------------------------------------',
      'vzctl/4242 is trying to acquire lock:',
      'ffff88800b9f1e08 (&ve->op_sem){++++}-{3:3}, at: ve_mount_lock+0x22/0x50',
      '',
      'but task is already holding lock:',
      'ffff88800b9f1f00 (&sb->s_umount){++++}-{3:3}, at: super_lock+0x10/0x20',
      '',
      '-> #1 (&sb->s_umount){++++}-{3:3}:',
      '       lock_acquire+0xc5/0x2d0',
      '       down_write+0x40/0xd0',
      '       ve_umount_all+0x50/0x100',
      '',
      'stack backtrace:',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x48/0x70',
      ' check_noncircular+0x10a/0x120',
      ' __lock_acquire+0x112c/0x1e90',
      ' lock_acquire+0xc5/0x2d0',
      ' down_read+0x40/0xd0',
      ' ve_mount_lock+0x22/0x50',
      ' ve_remount+0x31/0x70',
      ...TASK_TAIL,
    ],
  },
  hungTask: {
    kind: 'hung task',
    site: 'vzquota_wait_sync',
    lines: [
      'INFO: task vzquota:4242 blocked for more than 122 seconds.',
      '      Tainted: G           OE      6.1.0-57-amd64 #1 Debian 6.1.192-3',
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      'task:vzquota         state:D stack:0     pid:4242  ppid:1      flags:0x00004000',
      'Call Trace:',
      ' <TASK>',
      ' __schedule+0x349/0x930',
      ' schedule+0x5d/0xe0',
      ' schedule_timeout+0x118/0x150',
      ' ? __prepare_to_swait+0x4b/0x70',
      ' wait_for_completion+0x86/0x160',
      ' vzquota_wait_sync+0x2a/0x40 [vzdquota]',
      ' vzquota_off+0x60/0x100 [vzdquota]',
      ...TASK_TAIL,
      'Kernel panic - not syncing: hung_task: blocked tasks',
      'CPU: 1 PID: 30 Comm: khungtaskd Tainted: G           OE      6.1.0-57-amd64 #1  Debian 6.1.192-3',
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' panic+0x118/0x2ed',
      ' watchdog.cold+0xc/0xa7',
      ' kthread+0xda/0x100',
      ' ret_from_fork+0x22/0x30',
      ' </TASK>',
    ],
  },
  rcuStall: {
    kind: 'RCU stall',
    site: 'vzstat_collect',
    lines: [
      'rcu: INFO: rcu_preempt self-detected stall on CPU',
      'rcu: \t0-....: (2100 ticks this GP) idle=8a4c/1/0x4000000000000000 softirq=1200/1200 fqs=1020',
      '\t(t=2100 jiffies g=1125 q=80 ncpus=2)',
      cpu(),
      'RIP: 0010:delay_tsc+0x4e/0xb0',
      ...REGS,
      'Call Trace:',
      ' <IRQ>',
      ' rcu_dump_cpu_stacks+0xd8/0x130',
      ' rcu_sched_clock_irq+0xb5e/0xc20',
      ' update_process_times+0x77/0xb0',
      ' tick_sched_handle+0x22/0x60',
      ' tick_sched_timer+0x7a/0x90',
      ' __hrtimer_run_queues+0x112/0x2b0',
      ' hrtimer_interrupt+0xfe/0x220',
      ' __sysvec_apic_timer_interrupt+0x7f/0x170',
      ' sysvec_apic_timer_interrupt+0x99/0xc0',
      ' </IRQ>',
      ' <TASK>',
      ' asm_sysvec_apic_timer_interrupt+0x16/0x20',
      'RIP: 0010:delay_tsc+0x4e/0xb0',
      ...REGS,
      ' vzstat_collect+0x3a/0x60 [vzstat]',
      ' vzstat_timer_fn+0x20/0x30 [vzstat]',
      ...TASK_TAIL,
    ],
  },
  softLockup: {
    kind: 'soft lockup',
    site: 'vzstat_collect',
    lines: [
      'watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [vzstat:4242]',
      'Modules linked in: vzstat(OE)',
      cpu(),
      'RIP: 0010:_raw_spin_lock+0x1e/0x30',
      ...REGS,
      'Call Trace:',
      ' <TASK>',
      ' vzstat_collect+0x3a/0x60 [vzstat]',
      ' vzstat_timer_fn+0x20/0x30 [vzstat]',
      ...TASK_TAIL,
    ],
  },
  hardLockup: {
    kind: 'hard lockup',
    site: 've_cpu_stop',
    lines: [
      'NMI watchdog: Watchdog detected hard LOCKUP on cpu 1',
      cpu(1),
      'RIP: 0010:native_queued_spin_lock_slowpath+0x63/0x1e0',
      ...REGS,
      'Call Trace:',
      ' <NMI>',
      ' watchdog_overflow_callback+0x60/0xd0',
      ' __perf_event_overflow+0x8e/0x220',
      ' </NMI>',
      ' <TASK>',
      ' _raw_spin_lock_irqsave+0x3d/0x50',
      ' ve_cpu_stop+0x44/0x90',
      ...TASK_TAIL,
    ],
  },
  listCorruption: {
    kind: 'list corruption',
    site: 've_del_net',
    lines: [
      'list_del corruption, ffff88800b9f1e08->prev is LIST_POISON2 (dead000000000122)',
      '------------[ cut here ]------------',
      'kernel BUG at lib/list_debug.c:56!',
      'invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
      cpu(),
      'RIP: 0010:__list_del_entry_valid.cold+0x4b/0x6f',
      ...REGS,
      'Call Trace:',
      ' <TASK>',
      ' ve_del_net+0x21/0x60 [vznetdev]',
      ' ve_net_cleanup+0x30/0x50 [vznetdev]',
      ...TASK_TAIL,
    ],
  },
  stackProtector: {
    kind: 'stack-protector',
    site: 'cpt_read_name',
    lines: [
      'Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: cpt_read_name+0x50/0x50 [vzcpt]',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' panic+0x118/0x2ed',
      ' ? cpt_read_name+0x50/0x50 [vzcpt]',
      ' __stack_chk_fail+0x10/0x10',
      ' ? 0x4141414141414141',
      ' </TASK>',
    ],
  },
  atomicSleep: {
    kind: 'sleeping in atomic context',
    site: 've_flush_stats',
    lines: [
      'BUG: scheduling while atomic: vzctl/4242/0x00000002',
      'Modules linked in: vzstat(OE)',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' __schedule_bug.cold+0x47/0x53',
      ' __schedule+0x6a6/0x930',
      ' schedule+0x5d/0xe0',
      ' schedule_timeout+0x88/0x150',
      ' msleep+0x29/0x40',
      ' ve_flush_stats+0x1c/0x40 [vzstat]',
      ...TASK_TAIL,
    ],
  },
  sleepingFunction: {
    kind: 'sleeping in atomic context',
    site: 've_flush_stats',
    lines: [
      'BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580',
      'in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 4242, name: vzctl',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' __might_resched.cold+0xd6/0x10c',
      ' __mutex_lock+0x4b/0x8a0',
      ' ve_flush_stats+0x1c/0x40 [vzstat]',
      ...TASK_TAIL,
    ],
  },
  smpProcessorId: {
    kind: 'per-cpu access in preemptible code',
    site: 've_cpu_account',
    lines: [
      'BUG: using smp_processor_id() in preemptible [00000000] code: vzctl/4242',
      'caller is ve_cpu_account+0x10/0x40',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' check_preemption_disabled+0xd9/0xe0',
      ' ve_cpu_account+0x10/0x40',
      ...TASK_TAIL,
    ],
  },
  sysrq: {
    kind: 'sysrq crash',
    site: 'sysrq_handle_crash',
    lines: [
      'sysrq: Trigger a crash',
      'Kernel panic - not syncing: sysrq triggered crash',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' panic+0x118/0x2ed',
      ' sysrq_handle_crash+0x16/0x20',
      ' __handle_sysrq.cold+0x43/0x11b',
      ' write_sysrq_trigger+0x24/0x40',
      ' proc_reg_write+0x56/0xa0',
      ...TASK_TAIL,
    ],
  },
  panic: {
    kind: 'panic',
    site: 've_fatal_state',
    lines: [
      'Kernel panic - not syncing: ve: fatal state 3 in container 101',
      cpu(),
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' panic+0x118/0x2ed',
      ' ve_fatal_state+0x12/0x20',
      ' ve_start+0x80/0x100',
      ...TASK_TAIL,
      '---[ end Kernel panic - not syncing: ve: fatal state 3 in container 101 ]---',
    ],
  },
};

const parse = (lines: string[]) => parseKernelOops(lines.join('\n'));
const sig = (lines: string[]) => kernelSignature(parse(lines), 'kernel');

describe('kernel report kinds and crash sites', () => {
  it.each(Object.entries(REPORTS))('%s', (_name, report) => {
    const signature = sig(report.lines);
    expect(signature.kind).toBe(report.kind);
    expect(signature.crashFunction).toBe(report.site);
    expect(signature.frames[0].function).toBe(report.site);
    expect(signature.frames[signature.frames.length - 1].function).toBe(`<${report.kind}>`);
    expect(signature.signature.text.startsWith(`kernel: ${report.site}`)).toBe(true);
  });

  it('one key per kind and site pair, a different key for every other pair', () => {
    const hashByPair = new Map<string, string>();
    for (const report of Object.values(REPORTS)) {
      const pair = `${report.kind}|${report.site}`;
      const hash = sig(report.lines).signature.hash;
      expect(hashByPair.get(pair) ?? hash).toBe(hash);
      hashByPair.set(pair, hash);
    }
    expect(new Set(hashByPair.values()).size).toBe(hashByPair.size);
  });

  it('a NULL dereference and a WARNING in the same function stay apart', () => {
    const warn = REPORTS.warning.lines.map((l) => l.replace(/ve_net_unregister/g, 'vzquota_sync'));
    expect(sig(warn).crashFunction).toBe('vzquota_sync');
    expect(sig(warn).signature.hash).not.toBe(sig(REPORTS.nullDeref.lines).signature.hash);
  });

  it('the KASAN access stacks of allocation and free are not the crash stack', () => {
    const frames = parse(REPORTS.kasan.lines).frames.map((f) => f.function);
    expect(frames).toContain('ve_destroy');
    expect(frames).not.toContain('ve_create');
    expect(frames).not.toContain('ve_free');
  });

  it('lockdep chains before `stack backtrace:` are not the crash stack', () => {
    const frames = parse(REPORTS.lockdep.lines).frames.map((f) => f.function);
    expect(frames).not.toContain('ve_umount_all');
    expect(frames).toContain('ve_remount');
  });

  it('a stall keeps its interrupt frames apart from the stuck task', () => {
    const parsed = parse(REPORTS.rcuStall.lines);
    const irq = parsed.frames.filter((f) => f.kernelContext === 'irq').map((f) => f.function);
    expect(irq).toContain('rcu_sched_clock_irq');
    expect(parsed.frames.find((f) => f.function === 'vzstat_collect')?.kernelContext).toBeUndefined();
    expect(parsed.kernelReport?.consequence).toBeUndefined();
  });

  it('a panic caused by the report is its consequence, and its stack is not read', () => {
    const parsed = parse(REPORTS.hungTask.lines);
    expect(parsed.kernelReport?.consequence).toBe('Kernel panic - not syncing: hung_task: blocked tasks');
    expect(parsed.frames.map((f) => f.function)).not.toContain('watchdog');
    expect(extractKernelReports(REPORTS.hungTask.lines.join('\n'))).toHaveLength(1);
  });
});

describe('no thread, CPU, PID, address, offset or timestamp in a key', () => {
  const vary = (lines: string[], seed: number) =>
    lines.map((line) =>
      line
        .replace(/CPU: \d+ PID: \d+/g, `CPU: ${seed % 4} PID: ${1000 + seed}`)
        .replace(/vzctl\/\d+/g, `vzctl/${2000 + seed}`)
        .replace(/\+0x[0-9a-f]+\/0x/g, `+0x${(seed * 7).toString(16)}/0x`)
        .replace(/ffff[0-9a-f]{12}/g, (m) => m.slice(0, 10) + seed.toString(16).padStart(6, '0'))
        .replace(/\[#1\]/, `[#${seed}]`)
        .replace(/^/, `[${seed}.${String(seed).padStart(6, '0')}][ T${seed}] `),
    );

  it.each(Object.keys(REPORTS))('%s', (name) => {
    const lines = REPORTS[name].lines;
    expect(sig(vary(lines, 3)).signature.hash).toBe(sig(lines).signature.hash);
    expect(sig(vary(lines, 17)).frames).toEqual(sig(lines).frames);
  });
});

describe('memory leaks (kmemleak)', () => {
  it('are keyed by the first caller outside the allocator', () => {
    const leak = (size: number, address: string) => [
      'BUG: memory leak',
      `unreferenced object 0x${address} (size ${size}):`,
      '  comm "vzctl", pid 4242, jiffies 4294937614 (age 1000.110s)',
      '  backtrace:',
      '    [<ffffffff8154a4c3>] kmemleak_alloc_recursive include/linux/kmemleak.h:42 [inline]',
      '    [<ffffffff8154a4c3>] slab_post_alloc_hook mm/slab.h:766 [inline]',
      '    [<ffffffff8154a4c3>] __kmalloc+0x4a/0x120 mm/slab_common.c:1019',
      '    [<ffffffffa0123456>] kmalloc include/linux/slab.h:604 [inline]',
      '    [<ffffffffa0123456>] vzevent_subscribe+0x56/0x1a0 [vzevent]',
      '    [<ffffffff81234567>] vzevent_ioctl+0x33/0x80 [vzevent]',
    ];
    const a = sig(leak(64, 'ffff888003c1e000'));
    const b = sig(leak(128, 'ffff888012345600'));
    expect(a.kind).toBe('BUG: memory leak');
    expect(a.crashFunction).toBe('vzevent_subscribe');
    expect(b.signature.hash).toBe(a.signature.hash);
  });
});

describe('frameless reports', () => {
  const frameless = (code: string) => [
    'general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN',
    cpu(),
    'RIP: 0010:0x0',
    `Code: ${code}`,
  ];

  it('`general protection fault in <unknown>` is not a shared key', () => {
    const a = sig(frameless('48 8b 47 08 <8b> 40 10 5b'));
    const b = sig(frameless('0f 1f 44 00 <48> 8b 07 c3'));
    expect(a.crashFunction).toBeUndefined();
    expect(a.signature.hash).not.toBe(b.signature.hash);
    expect(a.signature.hash).toBe(sig(frameless('48 8b 47 08 <8b> 40 10 5b')).signature.hash);
    expect(a.frames[0].function).toMatch(/^<unknown site [0-9a-f]{12}>$/);
  });

  it('without Code bytes, different report text never shares a key', () => {
    const a = sig(['BUG: Bad rss-counter state mm:00000000a1b2c3d4 type:MM_ANONPAGES val:1', cpu()]);
    const b = sig(['BUG: Bad rss-counter state mm:00000000deadbeef type:MM_FILEPAGES val:7', cpu()]);
    expect(a.kind).toBe('BUG: bad rss-counter state');
    expect(a.signature.hash).not.toBe(b.signature.hash);
  });
});

describe('reports with no known header', () => {
  it('are still told apart by their own text when they have no frames', () => {
    const a = sig(['mce: [Hardware Error]: CPU 2: Machine Check: 0 Bank 5: be00000000800400', 'mce: [Hardware Error]: TSC 0 ADDR fef1a140']);
    const b = sig(['mce: [Hardware Error]: CPU 0: Machine Check: 0 Bank 4: f200000000070f0f', 'mce: [Hardware Error]: TSC 0']);
    expect(a.kind).toBe('kernel oops');
    expect(a.signature.hash).not.toBe(b.signature.hash);
  });

  it('group by their first non-boilerplate frame when they have frames', () => {
    const trace = (first: string) => ['Call Trace:', ' dump_stack+0x19/0x1b', ` ${first}+0x10/0x20 [vzdquota]`, ' vzquota_off+0x60/0x100'];
    expect(sig(trace('vzquota_sync'))).toMatchObject({ kind: 'kernel oops', crashFunction: 'vzquota_sync' });
    expect(sig(trace('vzquota_sync')).signature.hash).toBe(sig([...trace('vzquota_sync'), ' kthread+0xda/0x100']).signature.hash);
  });
});

describe('traces of boilerplate only', () => {
  it('take the innermost reliable frame, never the unreliable stack garbage', () => {
    const hung = [
      'INFO: task kworker/0:1:17 blocked for more than 122 seconds.',
      'Call Trace:',
      ' <TASK>',
      ' __schedule+0x349/0x930',
      ' schedule+0x5d/0xe0',
      ' worker_thread+0x4d/0x380',
      ' ? rescuer_thread+0x3a0/0x3a0',
      ' kthread+0xda/0x100',
      ' ? kthread_complete_and_exit+0x20/0x20',
      ' ret_from_fork+0x22/0x30',
      ' </TASK>',
    ];
    expect(sig(hung)).toMatchObject({ kind: 'hung task', crashFunction: '__schedule' });
  });
});

describe('boilerplate vocabulary (data/kernel-boilerplate-frames.json)', () => {
  it.each([
    'panic', 'dump_stack_lvl', 'print_address_description', 'kasan_report', '__sanitizer_cov_trace_pc',
    'check_preemption_disabled', 'lock_acquire', 'lockdep_rcu_suspicious', '__traceiter_sched_switch',
    'ret_from_fork', 'entry_SYSCALL_64_after_hwframe', 'asm_exc_page_fault', 'asm_sysvec_apic_timer_interrupt',
    'watchdog_timer_fn', 'rcu_dump_cpu_stacks', 'print_cpu_stall', '__asan_load8', '__ubsan_handle_shift_out_of_bounds',
    'kcsan_setup_watchpoint', '__schedule', 'wait_for_completion', 'delay_tsc', '_raw_spin_lock_irqsave',
    '__warn', 'report_bug', 'handle_bug', '__list_del_entry_valid', '__stack_chk_fail', 'do_one_initcall',
  ])('%s is boilerplate', (name) => {
    expect(isKernelBoilerplate(name)).toBe(true);
  });

  it.each(['vzquota_sync', 'ext4_writepages', 'tcp_ack', 'kcrash_null_deref', 'sysrq_handle_crash', 'schedule_work'])(
    '%s is not',
    (name) => {
      expect(isKernelBoilerplate(name)).toBe(false);
    },
  );

  it('compiler suffixes are cut before matching', () => {
    expect(kernelFunctionName('__schedule_bug.cold')).toBe('__schedule_bug');
    expect(kernelFunctionName('.vzquota_sync.isra.0')).toBe('vzquota_sync');
    expect(isKernelBoilerplate('__list_del_entry_valid.cold')).toBe(true);
  });

  it('every category names functions or prefixes, without duplicates across categories', () => {
    const seen = new Set<string>();
    for (const category of Object.values(boilerplate.categories as Record<string, { functions?: string[]; prefixes?: string[] }>)) {
      expect((category.functions?.length ?? 0) + (category.prefixes?.length ?? 0)).toBeGreaterThan(0);
      for (const name of category.functions ?? []) {
        expect(seen.has(name)).toBe(false);
        seen.add(name);
        expect(name).toMatch(/^[\w.]+$/);
      }
    }
  });
});
