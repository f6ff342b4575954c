/**
 * Holm's step-down adjustment (controls the family-wise error rate: the chance of any
 * false positive among the family), as R's `p.adjust(p, "holm")`: the i-th smallest p
 * times (m − i + 1), made non-decreasing in that order, capped at 1. Input order is kept.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]));
    adjusted[index] = running;
  });
  return adjusted;
}

/**
 * Benjamini-Hochberg's step-up adjustment (controls the false discovery rate: the expected
 * share of false positives among those called), as R's `p.adjust(p, "BH")`: the i-th
 * smallest p times m / i, made non-increasing from the largest down, capped at 1.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b] - pValues[a]);
  const adjusted = new Array<number>(m);
  let running = 1;
  order.forEach((index, k) => {
    const rank = m - k;
    running = Math.min(running, (m / rank) * pValues[index]);
    adjusted[index] = running;
  });
  return adjusted;
}
