import { AUTO_FILING_RULES, decideAutoFiling, RigCluster, ruleLabel } from './auto-filing';

const now = '2026-03-10T00:00:00.000Z';
const cluster = (over: Partial<RigCluster> = {}): RigCluster => ({
  candidateId: 'c1',
  ticketed: false,
  firstSeen: '2026-03-09T00:00:00.000Z',
  rigs: ['rig-a', 'rig-b'],
  testRuns: ['run-1'],
  hosts: 2,
  cpuModels: [{ value: 'Xeon A', reports: 2 }, { value: 'EPYC B', reports: 2 }],
  texts: ['SIGSEGV in env_create'],
  ...over,
});

describe('automatic filing rules', () => {
  it('files a new cluster seen on enough rigs or test runs', () => {
    expect(decideAutoFiling(cluster(), now).file).toBe(true);
    expect(decideAutoFiling(cluster({ rigs: ['rig-a'], testRuns: ['r1', 'r2'] }), now).file).toBe(true);
  });

  it('skips one rig in one run, ticketed, and old candidates', () => {
    expect(decideAutoFiling(cluster({ rigs: ['rig-a'], testRuns: ['r1'] }), now)).toMatchObject({ file: false });
    expect(decideAutoFiling(cluster({ ticketed: true }), now)).toEqual({ file: false, reason: 'already ticketed' });
    expect(decideAutoFiling(cluster({ firstSeen: '2026-01-01T00:00:00.000Z' }), now).file).toBe(false);
  });

  it('skips out-of-memory and I/O-error crashes', () => {
    expect(decideAutoFiling(cluster({ texts: ['Out of memory: Killed process 123'] }), now)).toEqual({ file: false, reason: 'out-of-memory crash' });
    expect(decideAutoFiling(cluster({ texts: ['blk_update_request: I/O error, dev sda'] }), now)).toEqual({ file: false, reason: 'io-error crash' });
  });

  it('skips likely bad hardware: most crashes on one CPU model among few hosts', () => {
    const bad = cluster({ cpuModels: [{ value: 'Xeon X', reports: 9 }, { value: 'EPYC', reports: 1 }], hosts: 2 });
    expect(decideAutoFiling(bad, now).reason).toMatch(/bad hardware: 90% .*Xeon X/);
    // The same share over many hosts is a real bug on that CPU, not one broken box.
    expect(decideAutoFiling({ ...bad, hosts: 20 }, now).file).toBe(true);
  });

  it('labels tickets with the rule version', () => {
    expect(ruleLabel()).toBe(`crashhub-autofile-v${AUTO_FILING_RULES.version}`);
  });
});
