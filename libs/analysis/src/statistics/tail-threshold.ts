import { quantileSorted, sortedCopy } from './robust';

/** Share of the scores above which the tail is modelled (the peaks over this quantile). */
const TAIL_QUANTILE = 0.98;
/** Fewest peaks a tail fit needs; with fewer there is no tail to learn from (see below). */
const MIN_PEAKS = 10;

/**
 * The score a series' own tail makes this rare: peaks over a high threshold follow a
 * generalised Pareto distribution (Pickands–Balkema–de Haan), fitted by moments, and the
 * returned level is exceeded with probability `risk` per point (SPOT's initial threshold;
 * Siffer et al., KDD 2017). A heavy-tailed series — one that spikes as a matter of course —
 * thus needs a larger score to be called anomalous than a clean one does. A series too short
 * to show its tail (fewer than {@link MIN_PEAKS} peaks) adds no demand: 0.
 */
export function tailThreshold(scores: ArrayLike<number>, risk: number): number {
  const sorted = sortedCopy(scores);
  const n = sorted.length;
  if (n === 0) return 0;
  const u = quantileSorted(sorted, TAIL_QUANTILE);
  let count = 0;
  let sum = 0;
  let squares = 0;
  for (let i = n - 1; i >= 0 && sorted[i] > u; i--) {
    const excess = sorted[i] - u;
    count++;
    sum += excess;
    squares += excess * excess;
  }
  if (count < MIN_PEAKS) return 0;
  const m = sum / count;
  const v = squares / count - m * m;
  if (!(v > 0) || !(m > 0)) return u;
  // Method of moments (Hosking & Wallis 1987); ξ < 1/2 is where the variance exists.
  const shape = Math.min(0.49, 0.5 * (1 - (m * m) / v));
  const scale = 0.5 * m * ((m * m) / v + 1);
  const ratio = (risk * n) / count;
  if (ratio >= 1) return u;
  if (Math.abs(shape) < 1e-6) return u - scale * Math.log(ratio);
  return u + (scale / shape) * (Math.pow(ratio, -shape) - 1);
}
