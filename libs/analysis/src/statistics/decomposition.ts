import { median, rollingRobust, variance } from './robust';
import { phaseMedians } from './seasonality';

/** A series split as x = trend + Σ seasonal + remainder. */
export interface Decomposition {
  trend: Float64Array;
  /** One component per period, in the order the periods were given. */
  seasonal: Float64Array[];
  remainder: Float64Array;
}

/** Backfitting passes: trend and seasons settle after two or three (as in STL's inner loop). */
const PASSES = 3;

/**
 * The trend window: one and a half of the longest cycle (STL's rule of thumb for the
 * trend smoother, Cleveland et al. 1990), so that no cycle leaks into the trend; without
 * a season, a fiftieth of the series, at least 15 points.
 */
export function trendWindow(periods: readonly number[], n: number): number {
  const longest = periods.length > 0 ? Math.max(...periods) : 0;
  const window = longest > 0 ? Math.round(1.5 * longest) : Math.max(15, Math.round(n / 50));
  return Math.min(window, Math.max(3, n)) | 1;
}

/**
 * Robust seasonal-trend decomposition: a moving-median trend and per-phase median
 * seasonal components, refined by backfitting — an equivalent of STL (Cleveland,
 * Cleveland, McRae & Terpenning 1990) with medians in place of loess and its robustness
 * weights, and with several seasons estimated in turn, shortest first, as MSTL does
 * (Bandara, Hyndman & Bergmeir 2021). Medians make spikes leave trend and seasons alone,
 * so they stay in the remainder where they are scored. The trend is not smoothed across
 * `bounds` (segment starts, the first 0): a level shift stays a step. `start` resumes from
 * an earlier decomposition of the same series.
 */
export function decompose(
  x: Float64Array,
  periods: readonly number[],
  bounds: readonly number[] = [0],
  start?: Decomposition,
): Decomposition {
  const n = x.length;
  const window = trendWindow(periods, n);
  const seasonal: Float64Array[] = periods.map(
    (_p, k) => start?.seasonal[k] ?? new Float64Array(n),
  );
  let trend: Float64Array = new Float64Array(n);
  const work = new Float64Array(n);
  const total = new Float64Array(n);
  for (const component of seasonal) for (let i = 0; i < n; i++) total[i] += component[i];
  // From an earlier decomposition's seasons (the trend now cut at shifts) one pass suffices.
  const passes = periods.length === 0 ? 1 : start === undefined ? PASSES : 1;
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < n; i++) work[i] = x[i] - total[i];
    trend = linearEnds(rollingRobust(work, window, median, bounds), window, bounds);
    periods.forEach((period, k) => {
      const own = seasonal[k];
      // x minus the trend and every other season: what this season has to explain.
      for (let i = 0; i < n; i++) work[i] = x[i] - trend[i] - (total[i] - own[i]);
      const next = phaseMedians(work, period);
      for (let i = 0; i < n; i++) total[i] += next[i] - own[i];
      seasonal[k] = next;
    });
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = x[i] - trend[i] - total[i];
  return { trend, seasonal, remainder };
}

/**
 * A moving median cannot centre its window on a segment's first and last half-window of
 * points, so it holds the trend flat there; a trend that slopes would leave a spurious
 * remainder at both ends. Those stretches continue the trend's slope over the next
 * half-window inward instead (as STL's local-linear loess does at the ends).
 */
function linearEnds(trend: Float64Array, window: number, bounds: readonly number[]): Float64Array {
  const half = Math.floor(window / 2);
  const n = trend.length;
  bounds.forEach((start, b) => {
    const end = bounds[b + 1] ?? n;
    if (half < 1 || end - start < 4 * half + 1) return;
    const head = start + half;
    const headSlope = (trend[head + half] - trend[head]) / half;
    for (let i = start; i < head; i++) trend[i] = trend[head] - (head - i) * headSlope;
    const tail = end - 1 - half;
    const tailSlope = (trend[tail] - trend[tail - half]) / half;
    for (let i = tail + 1; i < end; i++) trend[i] = trend[tail] + (i - tail) * tailSlope;
  });
  return trend;
}

/**
 * Strength of a seasonal component: max(0, 1 − Var(R)/Var(S + R)) (Wang, Smith & Hyndman
 * 2006; Hyndman & Athanasopoulos, FPP3 §4.3).
 */
export function seasonalStrength(seasonal: Float64Array, remainder: Float64Array): number {
  const combined = seasonal.map((s, i) => s + remainder[i]);
  const total = variance(combined);
  if (!(total > 0)) return 0;
  return Math.max(0, 1 - variance(remainder) / total);
}
