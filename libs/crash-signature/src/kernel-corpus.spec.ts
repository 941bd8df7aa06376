import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractKernelReports, parseKernelOops } from './kernel-oops-parser';
import { kernelSignature } from './kernel-signature';

/** The real kernel corpus (test/fixtures/kernel-corpus, made under QEMU by scripts/kernel-corpus). */
const CORPUS = join(__dirname, '../../../test/fixtures/kernel-corpus');
const manifest: {
  functions: Record<string, string>;
  logs: Array<{ file: string; variant: string; flavour: string; run: number; reports: string[] }>;
} = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8'));

/** What each bug of the crash module makes the kernel print (scripts/kernel-corpus/module/kcrash.c). */
const KIND: Record<string, string> = {
  bug: 'kernel BUG',
  warning: 'WARNING',
  warning2: 'WARNING',
  null: 'NULL pointer dereference',
  null2: 'NULL pointer dereference',
  gpf: 'general protection fault',
  divide: 'divide error',
  listcorrupt: 'list corruption',
  stackprotector: 'stack-protector',
  softlockup: 'soft lockup',
  rcustall: 'RCU stall',
  hungtask: 'hung task',
  atomicsleep: 'sleeping in atomic context',
  panic: 'panic',
  sysrq: 'sysrq crash',
};

describe('every report of the kernel corpus', () => {
  it('labels every bug of the module', () => {
    expect(Object.keys(manifest.functions).sort()).toEqual(Object.keys(KIND).sort());
  });

  it.each(manifest.logs.map((log) => [log.file, log] as const))('%s', (_file, log) => {
    const text = readFileSync(join(CORPUS, log.file), 'utf8');
    const reports = extractKernelReports(text);
    expect(reports).toHaveLength(log.reports.length);
    reports.forEach((report, i) => {
      const bug = log.reports[i];
      const signature = kernelSignature(parseKernelOops(report.lines.join('\n')), 'kernel');
      expect({ bug, kind: signature.kind, site: signature.crashFunction }).toEqual({
        bug,
        kind: KIND[bug],
        site: manifest.functions[bug],
      });
    });
    // The whole log (a vmcore-dmesg.txt) is grouped by its first report.
    const whole = parseKernelOops(text);
    expect(kernelSignature(whole, 'kernel').crashFunction).toBe(manifest.functions[log.reports[0]]);
    expect(whole.kernelReport?.otherReports).toBe(log.reports.length - 1);
  });
});
