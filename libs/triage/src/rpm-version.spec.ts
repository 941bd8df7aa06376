import { compareVersions, parseEvr, rpmvercmp, sortVersions } from './rpm-version';

describe('rpmvercmp', () => {
  // Cases from rpm's own test suite (tests/rpmvercmp.at), which defines the ordering.
  const cases: Array<[string, string, number]> = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p2', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['xyz.4', '8', -1],
    ['5.6.7', '5.6-7', 0],
    ['1.0010', '1.9', 1],
    ['1.05', '1.5', 0],
    ['2.0', '2_0', 0],
    ['a', 'b', -1],
    ['1b', '1a', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.01', -1],
    ['1.0^20160101', '1.0.1', -1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0~rc1^git1', '1.0', -1],
  ];
  it.each(cases)('%s vs %s = %d', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
    expect(rpmvercmp(b, a)).toBe(expected === 0 ? 0 : -expected);
  });
});

describe('compareVersions (epoch:version-release)', () => {
  it('reads epoch, version and release', () => {
    expect(parseEvr('1:7.0.12-45.vz7')).toEqual({ epoch: 1, version: '7.0.12', release: '45.vz7' });
    expect(parseEvr('7.0.12')).toEqual({ epoch: 0, version: '7.0.12', release: null });
  });

  it('orders by epoch first, then version, then release', () => {
    expect(compareVersions('1:1.0-1', '2.0-1')).toBe(1);
    expect(compareVersions('7.0.12-45', '7.0.12-46')).toBe(-1);
    expect(compareVersions('7.0.13-1', '7.0.12-99')).toBe(1);
  });

  it('a fixVersion without release matches every release of that version', () => {
    expect(compareVersions('7.0.12-45.vz7', '7.0.12')).toBe(0);
    expect(compareVersions('7.0.11-99', '7.0.12')).toBe(-1);
  });

  it('sorts a version history', () => {
    expect(sortVersions(['7.0.12-5', '7.0.9-1', '7.0.12-40', '7.0.10~beta-1'])).toEqual(['7.0.9-1', '7.0.10~beta-1', '7.0.12-5', '7.0.12-40']);
  });
});
