import { StatCell, suppressSmallCells } from './small-cell-suppression';

const cell = (value: string, hosts: number, objects = hosts): StatCell => ({ value, hosts, objects });
const values = (cells: StatCell[]) => cells.map((c) => c.value);

describe('suppressSmallCells', () => {
  it('shows a cell of exactly k hosts and hides one of k - 1 (primary suppression)', () => {
    const result = suppressSmallCells([cell('a', 100), cell('b', 5), cell('c', 4), cell('d', 3)], 5);
    expect(values(result.cells)).toEqual(['a', 'b']);
    expect(result.suppressedCells).toBe(2);
    expect(result.suppressedHosts).toBe(7);
  });

  it('hides nothing when every cell reaches k', () => {
    const cells = [cell('a', 10), cell('b', 5)];
    expect(suppressSmallCells(cells, 5)).toEqual({ cells, suppressedCells: 0, suppressedHosts: null });
  });

  it('hides the smallest visible cells while the hidden total is below k (secondary suppression)', () => {
    // 'e' alone (2 hosts) could be derived from the total; hiding 'd' (5) makes the hidden total 7 >= 5.
    const result = suppressSmallCells([cell('a', 50), cell('d', 5), cell('e', 2), cell('c', 6)], 5);
    expect(values(result.cells)).toEqual(['a', 'c']);
    expect(result.suppressedCells).toBe(2);
    expect(result.suppressedHosts).toBe(7);
  });

  it('keeps hiding visible cells one at a time, smallest first, until the hidden total reaches k', () => {
    const result = suppressSmallCells([cell('a', 10), cell('b', 3), cell('c', 3), cell('d', 1)], 10);
    // Primary: b, c, d = 7 < 10; hide 'a' as well, leaving nothing visible.
    expect(result).toEqual({ cells: [], suppressedCells: 4, suppressedHosts: 17 });

    const partial = suppressSmallCells([cell('a', 20), cell('b', 4), cell('c', 4), cell('x', 1)], 4);
    // Primary: x = 1 < 4; secondary hides one of the two 4-host cells, the later value first.
    expect(values(partial.cells)).toEqual(['a', 'b']);
    expect(partial.suppressedCells).toBe(2);
    expect(partial.suppressedHosts).toBe(5);
  });

  it('needs no secondary suppression when the hidden cells already sum to k', () => {
    const result = suppressSmallCells([cell('a', 30), cell('b', 3), cell('c', 2)], 5);
    expect(values(result.cells)).toEqual(['a']);
    expect(result).toMatchObject({ suppressedCells: 2, suppressedHosts: 5 });
  });

  it('hides everything when every cell is small, and does not publish a small hidden total', () => {
    expect(suppressSmallCells([cell('a', 2), cell('b', 1)], 5)).toEqual({ cells: [], suppressedCells: 2, suppressedHosts: null });
    expect(suppressSmallCells([cell('a', 4), cell('b', 3)], 5)).toEqual({ cells: [], suppressedCells: 2, suppressedHosts: 7 });
  });

  it('sorts visible cells by hosts descending, then value', () => {
    const result = suppressSmallCells([cell('b', 5), cell('z', 9), cell('a', 5), cell('c', 7)], 1);
    expect(values(result.cells)).toEqual(['z', 'c', 'a', 'b']);
  });

  it('keeps objects with their cells', () => {
    const result = suppressSmallCells([cell('kvm', 12, 340), cell('xen', 2, 9)], 1);
    expect(result.cells).toEqual([cell('kvm', 12, 340), cell('xen', 2, 9)]);
  });

  it('drops cells without hosts instead of counting them as suppressed', () => {
    expect(suppressSmallCells([cell('a', 10), cell('gone', 0)], 5)).toEqual({
      cells: [cell('a', 10)],
      suppressedCells: 0,
      suppressedHosts: null,
    });
  });

  it('hides nothing with k = 0 or 1 and handles no cells', () => {
    expect(suppressSmallCells([cell('a', 1)], 1)).toEqual({ cells: [cell('a', 1)], suppressedCells: 0, suppressedHosts: null });
    expect(suppressSmallCells([cell('a', 1)], 0)).toEqual({ cells: [cell('a', 1)], suppressedCells: 0, suppressedHosts: null });
    expect(suppressSmallCells([], 5)).toEqual({ cells: [], suppressedCells: 0, suppressedHosts: null });
  });

  it('does not reorder or modify the input', () => {
    const cells = [cell('b', 1), cell('a', 9), cell('c', 6)];
    const copy = structuredClone(cells);
    suppressSmallCells(cells, 5);
    expect(cells).toEqual(copy);
  });

  it('rejects a threshold that would silently publish everything', () => {
    expect(() => suppressSmallCells([cell('a', 1)], NaN)).toThrow(RangeError);
    expect(() => suppressSmallCells([cell('a', 1)], -1)).toThrow(RangeError);
  });
});
