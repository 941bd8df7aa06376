export type Cell = string | number;

/** Formats a number with a fixed count of decimals, or '-' when there is nothing to show. */
export function fmt(value: number | undefined, decimals = 1): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(decimals);
}

/** A plain aligned table: text columns left, numeric columns right. */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^[-\d.x/ ]+$/.test(String(r[i]))));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}
