import { levelShifts, withoutExcursions, type GridChange } from './change-points';
import { decompose, seasonalStrength, trendWindow } from './decomposition';
import { regularGrid, type RegularGrid } from './regular-grid';
import { mean, median, robustScale, rollingRobust } from './robust';
import { seasonProfile, roundForWords } from './season-profile';
import { trendTest } from './seasonal-trend';
import {
  autocorrelation,
  candidatePeriods,
  hasCycle,
  phaseMedians,
  type SeasonName,
} from './seasonality';
import { spreadChanges } from './spread-changes';
import { remainderAnomalies, type GridAnomaly } from './series-anomalies';
import { valueShape, type ValueDistribution, type ValueShape } from './value-anomalies';

export type { SeasonName } from './seasonality';
export {
  valueAnomalies,
  type ValueAnomaly,
  type ValueAnomalies,
  type ValueDistribution,
} from './value-anomalies';

/** One observation: t in epoch ms (ascending, distinct), y finite. */
export interface SeriesPoint {
  t: number;
  y: number;
}
export interface SeriesOptions {
  /** Anomalies returned at most, the highest scores first (default 20). */
  maxAnomalies?: number;
}
export interface Seasonality {
  /** In points of the regular series. */
  period: number;
  periodMs: number;
  name: SeasonName;
  /** 0..1: max(0, 1 − Var(R)/Var(S + R)) (Wang, Smith & Hyndman 2006). */
  strength: number;
  /** Autocorrelation of the detrended series at the period's lag. */
  acf: number;
  /**
   * Mean of the series per phase, labelled for people: months for yearly ("Jan".."Dec"),
   * weekdays for weekly ("Mon".."Sun"), hours for daily ("00".."23"); else phase numbers.
   */
  profile: Array<{ label: string; mean: number }>;
}
export interface SeriesTrend {
  method: 'seasonal-mann-kendall' | 'mann-kendall';
  /** Theil-Sen on the deseasonalised series; null with fewer than two points. */
  slopePerDay: number | null;
  z: number;
  pValue: number;
  direction: 'increasing' | 'decreasing' | 'none';
}
export interface ChangePoint {
  /** Index into the input points of the first point of the new segment. */
  index: number;
  t: number;
  kind: 'level_shift' | 'variance_change';
  /** Mean of the deseasonalised series and SD of the remainder, in the segment before and after. */
  before: { mean: number; sd: number };
  after: { mean: number; sd: number };
  /** Step in noise SDs (level shift) or the ratio of SDs (variance change). */
  score: number;
  reason: string;
}
/**
 * An anomalous event at its peak point; `index` is into the input points. The band it fell
 * outside is expected ± 4 local robust SDs; `reason` is in words, numbers rounded.
 */
export interface SeriesAnomaly extends GridAnomaly {
  t: number;
  value: number;
}
export interface SeriesAnalysis {
  n: number;
  intervalMs: number;
  /** Strongest first; [] when none. */
  seasonality: Seasonality[];
  trend: SeriesTrend;
  changePoints: ChangePoint[];
  /** Ranked by score, at most maxAnomalies. */
  anomalies: SeriesAnomaly[];
  anomaliesFound: number;
  truncated: boolean;
  /** Grid slots filled by interpolation (missing timestamps), and the longest such gap. */
  gaps: { filled: number; longest: number };
  /**
   * The shape of the values (value-anomalies.ts): in a zero-inflated series an anomaly
   * must also be an unusual value for the column, not only for its time.
   */
  distribution: ValueDistribution;
}

const DEFAULT_MAX_ANOMALIES = 20;
/** Fewer points than this carry no seasons, change points or anomalies worth reporting. */
const MIN_POINTS = 12;
/** A level shift undone within this many minimum segments is a passing excursion, not a regime. */
const EXCURSION_SEGMENTS = 4;
/**
 * Smallest changes reported: a level step of this many noise SDs, a spread changing by this
 * factor. Smaller ones are real in long series yet not what anyone would call a new regime.
 */
export const MIN_LEVEL_SHIFT_SDS = 3;
/** Share of the variation (seasonal strength) a season must explain to be one. */
const MIN_SEASON_STRENGTH = 0.1;
export const MIN_SPREAD_RATIO = 2;

/**
 * Time structure of one series: sampling interval and regular grid, seasons (calendar
 * cycles confirmed by autocorrelation), a robust seasonal-trend decomposition, level
 * shifts and variance changes on the deseasonalised series, anomalies on the remainder
 * against a rolling baseline, and the trend after seasonality. Pure and synchronous;
 * callers bucket long series (≤ ~20,000 points) first.
 */
export function analyseSeries(
  points: readonly SeriesPoint[],
  options: SeriesOptions = {},
): SeriesAnalysis {
  const max = options.maxAnomalies ?? DEFAULT_MAX_ANOMALIES;
  const grid = regularGrid(
    points.map((p) => p.t),
    points.map((p) => p.y),
  );
  const x = grid.values;
  const m = x.length;
  const base = { n: points.length, intervalMs: grid.intervalMs };
  const gaps = { filled: grid.filled, longest: grid.longestGap };
  const shape = valueShape(points.map((p) => p.y));
  if (m < MIN_POINTS) {
    const trend = trendTest(x, x, grid.times, null);
    return {
      ...base,
      seasonality: [],
      trend,
      changePoints: [],
      anomalies: [],
      anomaliesFound: 0,
      truncated: false,
      gaps,
      distribution: shape.distribution,
    };
  }

  const candidates = grid.irregular ? [] : detectSeasons(x, grid.intervalMs);
  let first = decompose(
    x,
    candidates.map((c) => c.period),
  );
  // A cycle the autocorrelation shows but that explains next to none of the variation is
  // not a season worth reporting, nor one to bound the shortest regime by.
  const found = candidates.filter(
    (_c, k) => seasonalStrength(first.seasonal[k], first.remainder) >= MIN_SEASON_STRENGTH,
  );
  const periods = found.map((c) => c.period);
  if (found.length < candidates.length) first = decompose(x, periods);
  const sigma = robustScale(first.remainder, median(first.remainder));
  const deseasonalised = x.slice();
  for (const component of first.seasonal) {
    for (let i = 0; i < m; i++) deseasonalised[i] -= component[i];
  }
  const minSegment = minimumSegment(periods, m);
  const [lag1] = autocorrelation(first.remainder, [1]);
  const shifts = withoutExcursions(
    levelShifts(deseasonalised, sigma, minSegment, lag1),
    deseasonalised,
    EXCURSION_SEGMENTS * minSegment,
    minSegment,
  );
  const shiftBounds = [0, ...shifts.map((c) => c.index)];
  const second = shifts.length === 0 ? first : decompose(x, periods, shiftBounds, first);
  const varianceMin = Math.max(2 * minSegment, 30);
  const spreads = spreadChanges(
    second.remainder,
    (i) => grid.sourceIndex[i] >= 0,
    periods,
    sigma,
    varianceMin,
    lag1,
  ).filter((c) => shifts.every((s) => Math.abs(s.index - c.index) >= minSegment));
  const changes = [...shifts, ...spreads].sort((a, b) => a.index - b.index);
  const bounds = [0, ...changes.map((c) => c.index)];

  const seasonality = found
    .map((c, k) => ({
      period: c.period,
      periodMs: c.periodMs,
      name: c.name,
      strength: seasonalStrength(second.seasonal[k], second.remainder),
      acf: c.acf,
      profile: seasonProfile(c.name, c.period, grid.times, x),
    }))
    .sort((a, b) => b.strength - a.strength);

  const fitted = x.map((v, i) => v - second.remainder[i]);
  const events = remainderAnomalies({
    values: x,
    times: grid.times,
    observed: (i) => grid.sourceIndex[i] >= 0,
    fitted,
    remainder: second.remainder,
    bounds,
    seasons: found.map((c) => c.name),
    intervalMs: grid.intervalMs,
    cycles: grid.irregular ? [] : candidatePeriods(grid.intervalMs, m).map((c) => c.period),
    window: Math.min(m, Math.max(30, 2 * trendWindow(periods, m))),
  })
    .filter((e) => changes.every((c) => Math.abs(c.index - e.index) > 1))
    .map((e) => {
      const index = grid.sourceIndex[e.index];
      return { ...e, index, t: points[index].t, value: points[index].y };
    })
    .filter((e) => unusualValue(shape, e.value));
  const anomalies = events.slice(0, max);

  const longest = periods.length > 0 ? Math.max(...periods) : null;
  const trend = trendTest(x, deseasonalised, grid.times, longest);
  return {
    ...base,
    seasonality,
    trend,
    // A zero-inflated series' remainder has no spread to measure a step in (its MAD is of
    // the zeros): its wet and dry stretches would read as dozens-of-SD "shifts".
    changePoints:
      shape.distribution === 'zero_inflated'
        ? []
        : describeChanges(changes, grid, deseasonalised, second.remainder, points).filter(
            (c) => c.score >= (c.kind === 'level_shift' ? MIN_LEVEL_SHIFT_SDS : MIN_SPREAD_RATIO),
          ),
    anomalies,
    anomaliesFound: events.length,
    truncated: events.length > max,
    gaps,
    distribution: shape.distribution,
  };
}

/**
 * Whether a value may be reported in a series of this shape: any value where its time
 * decides, but in a zero-inflated one (zeros its normal state: rain, sales of a rare item)
 * only a value outside the skew-adjusted fences of its non-zero values — a wet day is not an anomaly,
 * a cloudburst may be. Skewed series keep their time-based anomalies: a CPU spike at 3 am
 * is one whatever the column's shape.
 */
function unusualValue(shape: ValueShape, value: number): boolean {
  if (shape.distribution !== 'zero_inflated') return true;
  if (shape.fences === null || value === 0) return false;
  return value < shape.fences.lower || value > shape.fences.upper;
}

/**
 * Calendar cycles the series follows, shortest first: each candidate is tested on what
 * is left once the shorter seasons found are taken out, so a daily cycle is not mistaken
 * for a weekly one (168 hours hold seven days).
 */
function detectSeasons(
  x: Float64Array,
  intervalMs: number,
): Array<{ period: number; periodMs: number; name: SeasonName; acf: number }> {
  const out: Array<{ period: number; periodMs: number; name: SeasonName; acf: number }> = [];
  let residual = x;
  for (const candidate of candidatePeriods(intervalMs, x.length)) {
    const { found, acf } = hasCycle(residual, candidate.period);
    if (!found) continue;
    out.push({ ...candidate, acf });
    const level = rollingRobust(residual, candidate.period | 1, median);
    const seasonal = phaseMedians(
      residual.map((v, i) => v - level[i]),
      candidate.period,
    );
    residual = residual.map((v, i) => v - seasonal[i]);
  }
  return out;
}

/**
 * Shortest segment a change point may bound: one shortest cycle with a season (a change
 * within a cycle is the cycle's business), else 1 % of the series, between 8 and 100.
 */
function minimumSegment(periods: readonly number[], m: number): number {
  if (periods.length > 0) return Math.max(8, Math.min(Math.min(...periods), Math.floor(m / 10)));
  return Math.max(8, Math.min(100, Math.round(m / 100)));
}

function describeChanges(
  changes: readonly GridChange[],
  grid: RegularGrid,
  deseasonalised: Float64Array,
  remainder: Float64Array,
  points: readonly SeriesPoint[],
): ChangePoint[] {
  return changes.map((change, k) => {
    const start = k > 0 ? changes[k - 1].index : 0;
    const end = k + 1 < changes.length ? changes[k + 1].index : deseasonalised.length;
    const side = (a: number, b: number) => {
      const noise = remainder.subarray(a, b);
      return { mean: mean(deseasonalised.subarray(a, b)), sd: robustScale(noise, median(noise)) };
    };
    const before = side(start, change.index);
    const after = side(change.index, end);
    const score =
      change.kind === 'level_shift'
        ? change.score
        : Math.max(before.sd, after.sd) / Math.max(Number.MIN_VALUE, Math.min(before.sd, after.sd));
    let slot = change.index;
    while (slot < grid.sourceIndex.length - 1 && grid.sourceIndex[slot] < 0) slot++;
    const index = Math.max(0, grid.sourceIndex[slot]);
    const reason =
      change.kind === 'level_shift'
        ? `the level moves from ${roundForWords(before.mean)} to ${roundForWords(after.mean)} ` +
          `(${after.mean > before.mean ? 'up' : 'down'} ${roundForWords(Math.abs(after.mean - before.mean))}, ` +
          `a step of ${roundForWords(change.score)} noise SDs)`
        : `the spread changes from SD ${roundForWords(before.sd)} to ${roundForWords(after.sd)} ` +
          `(${roundForWords(score)} times ${after.sd > before.sd ? 'wider' : 'narrower'})`;
    return { index, t: points[index].t, kind: change.kind, before, after, score, reason };
  });
}
