/** 1/Φ⁻¹(0.75): MAD × this estimates σ for normal data. */
export const MAD_TO_SD = 1.4826;

/** The q-quantile (0..1) of ascending values, linearly interpolated (R's type 7); NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The values ascending, as a typed array (a copy). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Rearranges a[lo..hi] so that a[k] holds the value it would hold sorted, smaller values
 * before it and larger after (Hoare's selection with a median-of-three pivot): O(n) on
 * average, where sorting is O(n log n) — medians are the inner loop of the rolling baselines.
 */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The median of the values (on a copy, by selection); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  return medianInPlace(values instanceof Float64Array ? values.slice() : Float64Array.from(values));
}

/** The median of a scratch array, which it reorders (no copy, for inner loops); NaN when empty. */
export function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const k = n >> 1;
  select(a, k);
  if (n % 2 === 1) return a[k];
  let below = a[0];
  for (let i = 1; i < k; i++) if (a[i] > below) below = a[i];
  return (below + a[k]) / 2;
}

/** The median absolute deviation from `center` (unscaled); NaN when empty. */
export function mad(values: ArrayLike<number>, center: number): number {
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i] - center);
  return medianInPlace(deviations);
}

/**
 * A robust estimate of σ: MAD × 1.4826, or where more than half the values tie at the
 * median (MAD = 0) the mean absolute deviation × √(π/2) (Iglewicz & Hoaglin 1993), so
 * quantised data still has a scale; 0 only for constant values.
 */
export function robustScale(values: ArrayLike<number>, center: number): number {
  const spread = mad(values, center) * MAD_TO_SD;
  if (spread > 0 || values.length === 0) return spread;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.abs(values[i] - center);
  return (sum / values.length) * Math.sqrt(Math.PI / 2);
}

/** The arithmetic mean; NaN when empty. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** The population variance (divisor n); NaN when empty. */
export function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - m) ** 2;
  return sum / values.length;
}

/** The sample standard deviation (divisor n − 1); 0 for fewer than two values. */
export function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  return Math.sqrt((variance(values) * n) / (n - 1));
}

/**
 * A robust rolling statistic: `stat` over the centred window of `window` points, computed
 * at knots every ~window/8 points and linearly interpolated between them, so the cost is
 * about 8·n·log(window) rather than n·window·log(window). Windows are cut at `bounds`
 * (segment starts, ascending, first 0) so that a level shift does not leak across them.
 */
export function rollingRobust(
  values: Float64Array,
  window: number,
  stat: (slice: Float64Array) => number,
  bounds: readonly number[] = [0],
): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const half = Math.max(1, Math.floor(window / 2));
  const stride = Math.max(1, Math.floor(window / 8));
  for (let b = 0; b < bounds.length; b++) {
    const start = bounds[b];
    const end = b + 1 < bounds.length ? bounds[b + 1] : n;
    const knots: number[] = [];
    for (let k = start; k < end; k += stride) knots.push(k);
    if (knots[knots.length - 1] !== end - 1) knots.push(end - 1);
    const at = knots.map((k) => {
      const lo = Math.max(start, Math.min(k - half, end - 2 * half - 1));
      const hi = Math.min(end, Math.max(k + half + 1, start + 2 * half + 1));
      return stat(values.slice(lo, hi));
    });
    for (let j = 0; j < knots.length; j++) {
      const k0 = knots[j];
      const k1 = j + 1 < knots.length ? knots[j + 1] : k0;
      for (let i = k0; i <= k1 && i < end; i++) {
        const w = k1 === k0 ? 0 : (i - k0) / (k1 - k0);
        out[i] = at[j] + w * ((j + 1 < knots.length ? at[j + 1] : at[j]) - at[j]);
      }
    }
  }
  return out;
}
