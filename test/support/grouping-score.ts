/** Pairwise precision and recall of a clustering against labels (same label = same bug). */
export function pairwise(items: Array<{ label: string; cluster: string }>) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const sameBug = items[i].label === items[j].label;
      const grouped = items[i].cluster === items[j].cluster;
      if (sameBug && grouped) tp++;
      else if (grouped) fp++;
      else if (sameBug) fn++;
    }
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), tp, fp, fn };
}

/** Seeded Fisher-Yates (LCG): the same seed gives the same order on every run. */
export function seededShuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
