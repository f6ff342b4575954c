import { DAY_MS } from './regular-grid';
import { median, medianInPlace, robustScale } from './robust';

export type SeasonName = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'other';

/** A cycle the series may follow: its length in grid points and in time. */
export interface CandidatePeriod {
  period: number;
  periodMs: number;
  name: SeasonName;
}

const CALENDAR_CYCLES: ReadonlyArray<{ name: SeasonName; ms: number }> = [
  { name: 'hourly', ms: 3_600_000 },
  { name: 'daily', ms: DAY_MS },
  { name: 'weekly', ms: 7 * DAY_MS },
  { name: 'yearly', ms: 365.2425 * DAY_MS },
];
/** A calendar cycle is a candidate when it spans a whole number of points within this share. */
const PERIOD_TOLERANCE = 0.02;
/** Fewest points per cycle worth calling a season (a "cycle" of 2 or 3 points is noise). */
const MIN_PERIOD = 4;
/** Cycles the series must span for the cycle to be tested (two years for a yearly one). */
const MIN_CYCLES = 2;
/**
 * Autocorrelation at the lag the detrended series must reach: a season is a clear peak,
 * not a barely significant one (for large n, 2/√n would accept lag-p correlation that
 * any slowly wandering series has).
 */
const MIN_ACF = 0.15;
/** Remainder values are clipped to median ± this many robust SDs before the ACF, so a few spikes do not hide a cycle. */
const ACF_CLIP = 4;
/** Cycles over which a phase's median rolls; fewer cycles use one median per phase. */
export const ROLLING_CYCLES = 11;
/** Cycles between the knots at which the rolling phase median is computed. */
const KNOT_STRIDE = 3;

/**
 * Calendar cycles that fit the sampling interval, shortest first: hourly data → 24 and
 * 168, 5–30-minute data → a day and a week, daily → 7 and 365 (yearly on daily data only
 * from two years on), weekly → 52, monthly → 12. Each needs at least two cycles of data.
 */
export function candidatePeriods(intervalMs: number, n: number): CandidatePeriod[] {
  const out: CandidatePeriod[] = [];
  for (const cycle of CALENDAR_CYCLES) {
    const exact = cycle.ms / intervalMs;
    const period = Math.round(exact);
    if (period < MIN_PERIOD || Math.abs(exact - period) > PERIOD_TOLERANCE * exact) continue;
    if (n < MIN_CYCLES * period) continue;
    out.push({ period, periodMs: cycle.ms, name: cycle.name });
  }
  return out;
}

/** x minus its centred moving average over `period` points (2×p for even p); NaN at the ends. */
export function detrendByMovingAverage(x: Float64Array, period: number): Float64Array {
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + x[i];
  const out = new Float64Array(n).fill(NaN);
  const half = Math.floor(period / 2);
  for (let i = half; i < n - half; i++) {
    let average: number;
    if (period % 2 === 1) {
      average = (prefix[i + half + 1] - prefix[i - half]) / period;
    } else {
      // The 2×p moving average: full weights inside, half weights on the two end points.
      const inner = prefix[i + half] - prefix[i - half + 1];
      average = (inner + 0.5 * (x[i - half] + x[i + half])) / period;
    }
    out[i] = x[i] - average;
  }
  return out;
}

/** Autocorrelation of the finite values at each of `lags` (values clipped at ±{@link ACF_CLIP} robust SDs). */
export function autocorrelation(x: Float64Array, lags: readonly number[]): number[] {
  const finite = x.filter((v) => Number.isFinite(v));
  const center = median(finite);
  const limit = ACF_CLIP * robustScale(finite, center);
  const clipped =
    limit > 0 ? finite.map((v) => Math.min(center + limit, Math.max(center - limit, v))) : finite;
  const m = clipped.reduce((s, v) => s + v, 0) / clipped.length;
  let denominator = 0;
  for (const v of clipped) denominator += (v - m) ** 2;
  return lags.map((lag) => {
    if (denominator === 0 || lag >= clipped.length) return 0;
    let sum = 0;
    for (let i = 0; i + lag < clipped.length; i++) sum += (clipped[i] - m) * (clipped[i + lag] - m);
    return sum / denominator;
  });
}

/**
 * Whether the series has a cycle of `period` points: the autocorrelation of the series,
 * detrended by a moving average over one cycle, is a local peak at the lag (not the tail
 * of a slowly decaying correlation) and at least {@link MIN_ACF} and 3/√n.
 */
export function hasCycle(x: Float64Array, period: number): { found: boolean; acf: number } {
  const detrended = detrendByMovingAverage(x, period);
  const [before, at, after] = autocorrelation(detrended, [period - 1, period, period + 1]);
  const valid = Math.max(1, x.length - 2 * Math.floor(period / 2));
  const threshold = Math.max(MIN_ACF, 3 / Math.sqrt(valid));
  // Long cycles (a year of days) have nearly equal neighbours: allow noise-level ties.
  const slack = 1 / Math.sqrt(valid);
  const found = at >= threshold && at + slack >= before && at + slack >= after;
  return { found, acf: at };
}

/**
 * The seasonal component of `x` for one cycle: the median of each phase (i mod period),
 * centred to sum to zero. With more than {@link ROLLING_CYCLES} cycles each phase's
 * median is taken over a rolling window of that many cycles, so a pattern that drifts
 * over a long series is followed (STL's seasonal smoothing, here with medians).
 */
export function phaseMedians(x: Float64Array, period: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const cycles = Math.ceil(n / period);
  const sub = new Float64Array(cycles);
  const window = new Float64Array(ROLLING_CYCLES);
  const half = Math.floor(ROLLING_CYCLES / 2);
  for (let phase = 0; phase < period; phase++) {
    let count = 0;
    for (let i = phase; i < n; i += period) sub[count++] = x[i];
    if (count <= ROLLING_CYCLES) {
      const m = median(sub.subarray(0, count));
      for (let i = phase; i < n; i += period) out[i] = m;
      continue;
    }
    // Medians at every KNOT_STRIDE-th cycle (and the last), linear between: the window
    // moves little from one cycle to the next.
    const knots: number[] = [];
    for (let c = 0; c < count; c += KNOT_STRIDE) knots.push(c);
    if (knots[knots.length - 1] !== count - 1) knots.push(count - 1);
    const values = knots.map((c) => {
      const lo = Math.max(0, Math.min(c - half, count - ROLLING_CYCLES));
      for (let w = 0; w < ROLLING_CYCLES; w++) window[w] = sub[lo + w];
      return medianInPlace(window);
    });
    for (let k = 0; k < knots.length; k++) {
      const [c0, c1] = [knots[k], knots[Math.min(k + 1, knots.length - 1)]];
      const [v0, v1] = [values[k], values[Math.min(k + 1, knots.length - 1)]];
      for (let c = c0; c <= c1; c++) {
        out[phase + c * period] = c1 === c0 ? v0 : v0 + ((c - c0) / (c1 - c0)) * (v1 - v0);
      }
    }
  }
  // Centre each cycle so that the seasonal component carries no level; a last partial
  // cycle takes the offset of the full one before it.
  let offset = 0;
  for (let start = 0; start < n; start += period) {
    const end = Math.min(n, start + period);
    if (end - start === period) {
      offset = 0;
      for (let i = start; i < end; i++) offset += out[i];
      offset /= period;
    }
    for (let i = start; i < end; i++) out[i] -= offset;
  }
  return out;
}
