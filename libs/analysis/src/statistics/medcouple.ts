import { medianInPlace, quantileSorted } from './robust';

/** Values the medcouple is computed on (evenly spaced quantiles of larger inputs): keeps it O(1). */
const MAX_VALUES = 1000;

/**
 * The medcouple (Brys, Hubert & Struyf 2004), a robust measure of skewness in [−1, 1]:
 * the median of h(xᵢ, xⱼ) = ((xⱼ − m) − (m − xᵢ)) / (xⱼ − xᵢ) over xᵢ ≤ m ≤ xⱼ, m the
 * median. Computed naively on at most {@link MAX_VALUES} quantiles of the ascending input;
 * pairs where both values equal the median (whose kernel is a convention) are left out.
 */
export function medcouple(sorted: Float64Array): number {
  let values = sorted;
  if (sorted.length > MAX_VALUES) {
    values = new Float64Array(MAX_VALUES);
    for (let k = 0; k < MAX_VALUES; k++) values[k] = quantileSorted(sorted, k / (MAX_VALUES - 1));
  }
  const m = quantileSorted(values, 0.5);
  const lower = values.filter((v) => v <= m);
  const upper = values.filter((v) => v >= m);
  const kernels = new Float64Array(lower.length * upper.length);
  let count = 0;
  for (const xi of lower) {
    for (const xj of upper) {
      if (xj === xi) continue;
      kernels[count++] = (xj - m - (m - xi)) / (xj - xi);
    }
  }
  return count > 0 ? medianInPlace(kernels.subarray(0, count)) : 0;
}
