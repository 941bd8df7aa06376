import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UReportV2Schema } from '../../contracts/src';
import { kernelSignature, parseKernelOops } from '../../crash-signature/src';
import { crashFromUReport, hostKeyFromMachineId } from './ureport-to-crash';

const UPSTREAM = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'upstream');
const ureport = (path: string) => UReportV2Schema.parse(JSON.parse(readFileSync(join(UPSTREAM, path), 'utf8')));

describe('crashFromUReport', () => {
  it('maps a core uReport: affected package, OS, crash thread, bthash', () => {
    const input = crashFromUReport(ureport('satyr/tests/json_files/ureport-1-auth'));
    expect(input).toMatchObject({
      problemType: 'core',
      component: 'coreutils',
      packageName: 'coreutils',
      packageVersion: '8.17-8.fc18',
      osRelease: 'fedora 18',
      architecture: 'x86_64',
      occurrences: 1,
    });
    expect(input.bthash).toMatch(/^[0-9a-f]{40}$/);
    expect(input.crash.frames[0].buildId).toBeDefined();
  });

  it('keys the host by a hash of its machine id, never the id itself', () => {
    const input = crashFromUReport(ureport('satyr/tests/json_files/ureport-1-auth'));
    expect(input.hostKey).toBe(hostKeyFromMachineId('0000'));
    expect(JSON.stringify(input)).not.toContain('"0000"');
    expect(JSON.stringify(input)).not.toContain('localhost');
  });

  it('keeps kernel taints and modules as hardware facts', () => {
    const input = crashFromUReport(ureport('faf/tests/sample_reports/ureport_kerneloops'));
    expect(input.crash.family).toBe('kerneloops');
    expect(input.hardware.taintFlags?.length).toBeGreaterThan(0);
    expect(input.kernel).toBe(input.crash.kernelVersion);
  });

  it('reads the report kind from raw_oops, so a uReport keys like the problem directory of the same oops', () => {
    const report = ureport('faf/tests/sample_reports/ureport_kerneloops');
    const input = crashFromUReport(report);
    const fromUReport = kernelSignature(input.crash, 'kernel');
    expect(fromUReport).toMatchObject({ kind: 'WARNING', crashFunction: 'cfg80211_roamed' });
    const rawOops = (report.problem as { raw_oops: string }).raw_oops;
    expect(fromUReport.signature.hash).toBe(kernelSignature(parseKernelOops(rawOops), 'kernel').signature.hash);
  });

  it('lists python frames innermost first, as satyr sends them', () => {
    const input = crashFromUReport(ureport('faf/tests/sample_reports/ureport_python'));
    expect(input.crash.frames[0].function).toBe('check_phrase_internal');
    expect(input.crash.exceptionName).toBe('TypeError');
  });
});
