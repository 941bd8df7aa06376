import { CandidateQuerySchema } from '../../contracts/src';
import { hardwareFilterGroups } from './hardware-filter-groups';

describe('hardwareFilterGroups', () => {
  it('ORs values of one attribute and ANDs attributes, named filters and attr alike', () => {
    const q = CandidateQuerySchema.parse({
      cpuVendor: 'AMD,Intel',
      diskKind: 'nvme',
      attr: ['disk.kind=ssd', 'cluster=yes'],
      origin: 'field',
    });
    expect(hardwareFilterGroups(q)).toEqual([
      ['cpu.vendor=AMD', 'cpu.vendor=Intel'],
      ['disk.kind=nvme', 'disk.kind=ssd'],
      ['origin=field'],
      ['cluster=yes'],
    ]);
  });

  it('is empty without hardware filters', () => {
    expect(hardwareFilterGroups(CandidateQuerySchema.parse({ kernel: '5.14' }))).toEqual([]);
  });

  it('refuses an attr filter that is not attribute=value, naming the rule', () => {
    const parsed = CandidateQuerySchema.safeParse({ attr: 'nonsense' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('attr filter is attribute=value');
  });
});
