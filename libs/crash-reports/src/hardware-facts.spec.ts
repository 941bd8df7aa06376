import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuFromCpuinfo, diskModelsFromLsblk, systemFromHardwareName } from './hardware-facts';

const UPSTREAM = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'upstream');

describe('hardware facts found in crashes', () => {
  it('reads lscpu output, as current ABRT stores in `cpuinfo`', () => {
    const text = readFileSync(join(UPSTREAM, 'libreport/src/plugins/python/fixtures/sample_problem/cpuinfo'), 'utf8');
    expect(cpuFromCpuinfo(text)).toEqual({
      cpuVendor: 'GenuineIntel',
      cpuModel: '11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz',
      cpuCount: 8,
    });
  });

  it('reads a /proc/cpuinfo copy, counting processors', () => {
    const block = (n: number) => `processor\t: ${n}\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7302   16-Core Processor\n`;
    expect(cpuFromCpuinfo([0, 1, 2].map(block).join('\n'))).toEqual({
      cpuVendor: 'AuthenticAMD',
      cpuModel: 'AMD EPYC 7302 16-Core Processor',
      cpuCount: 3,
    });
  });

  it('splits an oops `Hardware name` into vendor, model and BIOS', () => {
    expect(systemFromHardwareName('Hewlett-Packard HP Z600 Workstation/0B54h, BIOS 786G4 v03.19 03/11/2011')).toEqual({
      systemVendor: 'Hewlett-Packard',
      systemModel: 'HP Z600 Workstation/0B54h',
      biosVersion: '786G4 v03.19 03/11/2011',
    });
    expect(systemFromHardwareName('Marvell Armada 370/XP (Device Tree)').biosVersion).toBeUndefined();
  });

  it('takes disk models from lsblk output, not serial-like values', () => {
    const lsblk = [
      'NAME   SIZE TYPE MODEL                  UUID',
      'sda    1.8T disk ST2000DM008-2FR102',
      'nvme0n1 477G disk Samsung SSD 970 EVO Plus',
      'sda1   512M part                        3f1c7d52-91e1-4c1b-bd0a-1c2f5f0b1a11',
    ].join('\n');
    expect(diskModelsFromLsblk(lsblk)).toEqual(['ST2000DM008-2FR102', 'Samsung SSD 970 EVO Plus']);
    expect(diskModelsFromLsblk('NAME SIZE\nsda 1T')).toEqual([]);
  });
});
