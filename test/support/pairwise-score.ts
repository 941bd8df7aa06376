/** Pairwise precision and recall of a clustering against labels. */
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
