import { normalCdf } from './normal';
import { DAY_MS } from './regular-grid';
import { median } from './robust';

/** Values a Mann-Kendall series is reduced to (consecutive means): keeps it O(n) and tempers autocorrelation. */
const MAX_MK_VALUES = 100;
/** Seasons a long cycle's phases are pooled into for the seasonal test (Hirsch et al. used 12 months). */
const MAX_SEASONS = 24;
/** Points the Theil-Sen slope is estimated on (bucket means), so pairs stay ~20,000. */
const MAX_SEN_POINTS = 200;
/** Two-sided p-value under which the trend has a direction. */
export const TREND_ALPHA = 0.05;

export interface TrendTest {
  method: 'seasonal-mann-kendall' | 'mann-kendall';
  slopePerDay: number | null;
  z: number;
  pValue: number;
  direction: 'increasing' | 'decreasing' | 'none';
}

/** Means of consecutive runs, so that at most `limit` values remain (the values themselves when fewer). */
export function bucketMeans(values: ArrayLike<number>, limit: number): number[] {
  const n = values.length;
  const buckets = Math.min(n, limit);
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += values[i];
    out.push(sum / (hi - lo));
  }
  return out;
}

/** Mann-Kendall S and Var(S) (with the ties correction) of a series. */
export function mannKendallS(values: readonly number[]): { s: number; variance: number } {
  const m = values.length;
  let s = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) s += Math.sign(values[j] - values[i]);
  }
  const ties = new Map<number, number>();
  for (const v of values) ties.set(v, (ties.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  return { s, variance: (m * (m - 1) * (2 * m + 5) - tieTerm) / 18 };
}

function zAndP(s: number, varianceS: number): { z: number; pValue: number } {
  if (s === 0 || !(varianceS > 0)) return { z: 0, pValue: 1 };
  // Continuity correction: S moves in steps of 2.
  const z = (s - Math.sign(s)) / Math.sqrt(varianceS);
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

/**
 * Trend test. With a season of `period` points: the seasonal Mann-Kendall test (Hirsch,
 * Slack & Smith 1982) — S and Var(S) summed over seasons, each season's values compared
 * only across cycles, so the cycle itself is never read as a trend; a long cycle's phases
 * are pooled into at most {@link MAX_SEASONS} seasons (a year of days into ~12 months).
 * Without one: Mann-Kendall on at most {@link MAX_MK_VALUES} consecutive means. The slope
 * is Theil-Sen (Sen 1968) per day on the deseasonalised series.
 */
export function trendTest(
  x: Float64Array,
  deseasonalised: Float64Array,
  times: Float64Array,
  period: number | null,
): TrendTest {
  let s = 0;
  let varianceS = 0;
  const method = period === null ? 'mann-kendall' : 'seasonal-mann-kendall';
  if (period === null) {
    ({ s, variance: varianceS } = mannKendallS(bucketMeans(deseasonalised, MAX_MK_VALUES)));
  } else {
    const width = Math.ceil(period / MAX_SEASONS);
    const seasons = Math.ceil(period / width);
    const cycles = Math.ceil(x.length / period);
    const sums = new Float64Array(seasons * cycles);
    const counts = new Int32Array(seasons * cycles);
    for (let i = 0; i < x.length; i++) {
      const cell = Math.floor((i % period) / width) * cycles + Math.floor(i / period);
      sums[cell] += x[i];
      counts[cell]++;
    }
    for (let g = 0; g < seasons; g++) {
      const series: number[] = [];
      for (let c = 0; c < cycles; c++) {
        const cell = g * cycles + c;
        if (counts[cell] > 0) series.push(sums[cell] / counts[cell]);
      }
      const part = mannKendallS(bucketMeans(series, MAX_MK_VALUES));
      s += part.s;
      varianceS += part.variance;
    }
  }
  const { z, pValue } = zAndP(s, varianceS);
  const slopePerDay = theilSenPerDay(times, deseasonalised);
  const direction = pValue >= TREND_ALPHA ? 'none' : z > 0 ? 'increasing' : 'decreasing';
  return { method, slopePerDay, z, pValue, direction };
}

/** Theil-Sen slope per day: the median of pairwise slopes over bucket means; null under two points. */
export function theilSenPerDay(times: Float64Array, values: Float64Array): number | null {
  if (values.length < 2) return null;
  const t = bucketMeans(times, MAX_SEN_POINTS);
  const y = bucketMeans(values, MAX_SEN_POINTS);
  const slopes: number[] = [];
  for (let i = 0; i < t.length; i++) {
    for (let j = i + 1; j < t.length; j++) {
      if (t[j] !== t[i]) slopes.push((y[j] - y[i]) / (t[j] - t[i]));
    }
  }
  return slopes.length > 0 ? median(slopes) * DAY_MS : null;
}
