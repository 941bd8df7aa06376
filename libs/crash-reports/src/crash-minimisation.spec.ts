import { keepsElement, keyedMachineId, minimiseProblemElements, minimiseUReport } from './crash-minimisation';

const KEY = 'k'.repeat(32);
const MACHINE_ID = '3f9a6c1d2b7e4f0a8c5d9e1b2a3c4d5e';

describe('hub-side minimisation of stock clients\' crashes', () => {
  it('keeps only a keyed machine id of a uReport\'s auth: stable per key, unlike under another key, never the id', () => {
    const report = { reason: 'x', auth: { hostname: 'node07.corp.example', machineid: MACHINE_ID, username: 'bob' } };
    const once = minimiseUReport(report, KEY);
    expect(Object.keys(once.auth!)).toEqual(['machineid']);
    expect(once.auth!.machineid).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(JSON.stringify(once)).not.toContain(MACHINE_ID);
    expect(minimiseUReport(report, KEY).auth).toEqual(once.auth);
    expect(minimiseUReport(report, 'z'.repeat(32)).auth!.machineid).not.toBe(once.auth!.machineid);
    // Already keyed (a stored report processed again): unchanged.
    expect(minimiseUReport(once, KEY)).toEqual(once);
    // satyr's own spelling, and no key at all.
    expect(minimiseUReport({ auth: { machine_id: MACHINE_ID } }, KEY).auth).toEqual({ machineid: keyedMachineId(KEY, MACHINE_ID) });
    expect(minimiseUReport(report, undefined)).toEqual({ reason: 'x' });
  });

  it('a processed problem directory keeps what processing and QA read, and none of the host\'s or process\'s own data', () => {
    const names = ['type', 'backtrace', 'core_backtrace', 'reason', 'pkg_name', 'dmesg', 'cpuinfo', 'coredump', 'coredump.zst', 'environ', 'hostname', 'open_fds', 'maps', 'cmdline', 'var_log_messages', 'anaconda.log', 'machineid'];
    const kept = minimiseProblemElements(new Map(names.map((n) => [n, Buffer.from(n === 'machineid' ? MACHINE_ID : `${n} body`)])), KEY);
    expect([...kept.keys()].sort()).toEqual(['backtrace', 'core_backtrace', 'cpuinfo', 'dmesg', 'machineid', 'pkg_name', 'reason', 'type']);
    expect(kept.get('machineid')!.toString()).toBe(keyedMachineId(KEY, MACHINE_ID));
    expect(minimiseProblemElements(new Map([['machineid', Buffer.from(MACHINE_ID)]]), undefined).size).toBe(0);
    expect(keepsElement('backtrace')).toBe(true);
  });
});
