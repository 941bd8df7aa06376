import { StatCell, suppressSmallCells } from './small-cell-suppression';
import breakdownData from './data/stats-breakdowns.json';

export interface BreakdownDefinition {
  name: string;
  title: string;
  attributes: string[];
  top?: number;
}

export const STATS_BREAKDOWNS: readonly BreakdownDefinition[] = breakdownData.breakdowns;

const ATTRIBUTE_LABELS: Readonly<Record<string, string>> = breakdownData.labels;

/** How the public page names an attribute; the attribute itself where no label is given. */
export function attributeLabel(attribute: string): string {
  return ATTRIBUTE_LABELS[attribute] ?? attribute;
}

export interface PublishedCell {
  value: string;
  hosts: number;
  /** Of live servers; multi-valued attributes (disk kinds…) add up to more than 1. */
  share: number;
  objects: number;
}

export interface PublishedAttribute {
  attribute: string;
  cells: PublishedCell[];
  /** Visible cells beyond `top`, summed; each of them is at least k hosts. */
  other: { cells: number; hosts: number } | null;
  suppressed: { cells: number; hosts: number | null };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * One attribute of a public breakdown over `live` servers: small cells suppressed, then the
 * `top` largest shown. With fewer than k live servers nothing is shown at all.
 */
export function publishAttribute(attribute: string, cells: StatCell[], live: number, k: number, top?: number): PublishedAttribute {
  if (live < k) {
    const populated = cells.filter((c) => c.hosts > 0);
    return { attribute, cells: [], other: null, suppressed: { cells: populated.length, hosts: null } };
  }
  const { cells: visible, suppressedCells, suppressedHosts } = suppressSmallCells(cells, k);
  const shown = top === undefined ? visible : visible.slice(0, top);
  const rest = visible.slice(shown.length);
  return {
    attribute,
    cells: shown.map((c) => ({ value: c.value, hosts: c.hosts, share: round(c.hosts / live), objects: c.objects })),
    other: rest.length ? { cells: rest.length, hosts: rest.reduce((sum, c) => sum + c.hosts, 0) } : null,
    suppressed: { cells: suppressedCells, hosts: suppressedHosts },
  };
}
