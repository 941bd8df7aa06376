/** One value of an attribute in a published statistic. */
export interface StatCell {
  value: string;
  hosts: number;
  objects: number;
}

export interface SuppressedCells {
  /** Visible cells, by hosts descending then value. */
  cells: StatCell[];
  suppressedCells: number;
  /** hosts in suppressed cells when that sum is itself >= k, else null */
  suppressedHosts: number | null;
}

const byHostsThenValue = (a: StatCell, b: StatCell) =>
  b.hosts - a.hosts || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/**
 * Hides cells describing fewer than `k` hosts so no small group of servers can be singled out.
 * Cells without hosts are dropped rather than counted as suppressed: they describe nobody (the
 * rollup keeps rows whose hosts were decremented to zero).
 */
export function suppressSmallCells(cells: StatCell[], k: number): SuppressedCells {
  // NaN would make every `hosts < k` false and silently publish everything.
  if (!(k >= 0)) throw new RangeError(`Invalid suppression threshold: ${k}`);
  const populated = cells.filter((cell) => cell.hosts > 0);
  const visible = populated.filter((cell) => cell.hosts >= k).sort(byHostsThenValue);
  const hidden = populated.filter((cell) => cell.hosts < k);
  let suppressedCells = hidden.length;
  let hiddenHosts = hidden.reduce((sum, cell) => sum + cell.hosts, 0);
  // A small hidden total can be derived as the published total minus the visible cells, so hide
  // the smallest visible cells too until the hidden total is no longer small.
  while (hiddenHosts > 0 && hiddenHosts < k && visible.length > 0) {
    hiddenHosts += visible.pop()!.hosts;
    suppressedCells++;
  }
  return { cells: visible, suppressedCells, suppressedHosts: hiddenHosts >= k && suppressedCells > 0 ? hiddenHosts : null };
}
