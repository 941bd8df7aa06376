#!/usr/bin/env python3
"""Derive the log-form variants of test/fixtures/kernel-corpus/ from its raw console logs.

Each raw log (a QEMU serial console: `[   12.345678] text`) gets one variant, chosen in turn from
VARIANTS so every form covers every bug kind across the runs: printk caller ids, `dmesg -T`, `<N>`
log levels, journal, syslog, a log cut short inside the trace. Pairs of non-fatal crashes of one run
are also joined into logs that hold several reports. Writes manifest.json (labels) beside them.
Deterministic: no clock, no randomness.
"""
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'kernel-corpus')
RAW = os.path.join(CORPUS, 'raw')
VARIANTS = ['callerid', 'dmesg-T', 'loglevel', 'journal', 'syslog', 'truncated']
# Bugs after which the kernel keeps running, so a second bug can follow in the same log.
NON_FATAL = ['warning', 'warning2', 'null', 'null2', 'gpf', 'divide', 'atomicsleep', 'bug', 'listcorrupt']
BOOT = datetime.datetime(2026, 12, 4, 19, 8, 0)
HOST = 'vz-node1'
TS = re.compile(r'^\[\s*(\d+)\.(\d+)\] ?(.*)$')
# Where the trigger starts in a raw log: 15 lines of boot context are kept before it.
MARK = 'kcrash: bug='
CONTEXT = 15


def bugs():
    result = []
    with open(os.path.join(HERE, 'bugs.txt')) as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                bug, function = line.split()
                result.append((bug, function))
    return result


def split_ts(line):
    m = TS.match(line)
    if not m:
        return None, line
    return int(m.group(1)) + int(m.group(2)) / 1e6, m.group(3)


def crash_region(lines):
    mark = next((i for i, l in enumerate(lines) if l.startswith(MARK)), 0)
    end = next((i for i, l in enumerate(lines) if l.startswith('kcrash: done')), len(lines))
    return lines[max(0, mark - CONTEXT):end]


def pid_of(lines):
    for line in lines:
        m = re.search(r'CPU: (\d+) PID: (\d+)', line)
        if m:
            return int(m.group(1)), int(m.group(2))
    return 0, 1


def level_of(text):
    if text.startswith('Kernel panic'):
        return 0
    if re.match(r'(BUG|WARNING|kernel BUG|general protection|divide error|Oops|INFO:|watchdog:|rcu:|list_)', text):
        return 1
    return 4


def wall(secs):
    return BOOT + datetime.timedelta(seconds=secs)


def variant(name, lines, function):
    cpu, pid = pid_of(lines)
    out = []
    last = 0.0
    for i, line in enumerate(lines):
        secs, text = split_ts(line)
        if secs is not None:
            last = secs
        stamp = '[%12.6f]' % last if secs is not None else None
        if name == 'callerid':
            # CONFIG_PRINTK_CALLER: a task id, or a CPU id for lines printed from interrupts.
            caller = '[%6s]' % ('T%d' % pid)
            out.append('%s%s %s' % (stamp, caller, text) if stamp else line)
        elif name == 'dmesg-T':
            t = wall(last)
            out.append('[%s] %s' % (t.strftime('%a %b ') + ('%2d' % t.day) + t.strftime(' %H:%M:%S %Y'), text) if stamp else line)
        elif name == 'loglevel':
            out.append('<%d>%s %s' % (level_of(text), stamp, text) if stamp else line)
        elif name == 'journal':
            t = wall(last).strftime('%b %d %H:%M:%S')
            out.append('%s %s kernel: %s' % (t, HOST, text) if stamp else '%s %s init[1]: %s' % (t, HOST, text))
            if i % 9 == 4:
                out.append('%s %s systemd[1]: Started session-%d.scope - Session %d of User root.' % (t, HOST, i, i))
        elif name == 'syslog':
            t = wall(last)
            t = t.strftime('%b ') + ('%2d' % t.day) + t.strftime(' %H:%M:%S')
            out.append('%s %s kernel: %s %s' % (t, HOST, stamp, text) if stamp else '%s %s init: %s' % (t, HOST, text))
            if i % 11 == 6:
                out.append('%s %s vzeventd[812]: ve-start 101' % (t, HOST))
        elif name == 'truncated':
            out.append(line)
    if name == 'truncated':
        # The log ends inside the trace, two lines after the first that names the bug's function.
        hit = next((i for i, l in enumerate(out) if function in l and MARK not in l), None)
        cut = hit + 3 if hit is not None else len(out) * 2 // 3
        out = out[:cut]
    return out


def main():
    table = bugs()
    manifest = []
    flavours = sorted(d for d in os.listdir(RAW) if os.path.isdir(os.path.join(RAW, d)))
    for fi, flavour in enumerate(flavours):
        for bi, (bug, function) in enumerate(table):
            for run in (1, 2, 3):
                raw = os.path.join(RAW, flavour, '%s.%d.log' % (bug, run))
                if not os.path.exists(raw):
                    continue
                with open(raw) as f:
                    lines = f.read().split('\n')
                rel = os.path.relpath(raw, CORPUS)
                base = {'flavour': flavour, 'run': run, 'reports': [bug]}
                manifest.append({'file': rel, 'variant': 'raw', **base})
                name = VARIANTS[(bi + run + fi) % len(VARIANTS)]
                out = os.path.join(CORPUS, 'variants', flavour, '%s.%d.%s.log' % (bug, run, name))
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, 'w') as f:
                    f.write('\n'.join(variant(name, crash_region(lines), function)) + '\n')
                manifest.append({'file': os.path.relpath(out, CORPUS), 'variant': name, **base})
        # Several reports in one log: one run's non-fatal bug followed by another bug of the same run.
        for i, first in enumerate(NON_FATAL):
            second = table[(i * 5 + 3) % len(table)][0]
            if second == first:
                continue
            run = 1 + i % 3
            a = os.path.join(RAW, flavour, '%s.%d.log' % (first, run))
            b = os.path.join(RAW, flavour, '%s.%d.log' % (second, run))
            if not (os.path.exists(a) and os.path.exists(b)):
                continue
            with open(a) as f:
                first_lines = crash_region(f.read().split('\n'))
            with open(b) as f:
                second_lines = crash_region(f.read().split('\n'))
            offset = max((split_ts(l)[0] or 0) for l in first_lines) + 30
            shifted = []
            for line in second_lines:
                secs, text = split_ts(line)
                shifted.append('[%12.6f] %s' % (secs + offset, text) if secs is not None else line)
            out = os.path.join(CORPUS, 'variants', flavour, 'multi.%s+%s.%d.log' % (first, second, run))
            with open(out, 'w') as f:
                f.write('\n'.join(first_lines + shifted) + '\n')
            manifest.append({'file': os.path.relpath(out, CORPUS), 'variant': 'several-reports', 'flavour': flavour,
                             'run': run, 'reports': [first, second]})
    functions = dict(table)
    with open(os.path.join(CORPUS, 'manifest.json'), 'w') as f:
        json.dump({'functions': functions, 'logs': manifest}, f, indent=1)
        f.write('\n')
    print('%d logs' % len(manifest), file=sys.stderr)


if __name__ == '__main__':
    main()
