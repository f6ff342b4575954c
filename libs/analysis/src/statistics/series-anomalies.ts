import { median, quantileSorted, robustScale, rollingRobust, sortedCopy } from './robust';
import { phaseWords, roundForWords } from './season-profile';
import { recurs } from './recurring-events';
import type { SeasonName } from './seasonality';
import { tailThreshold } from './tail-threshold';

/** Robust SDs from the local expectation from which a point is anomalous. */
export const ANOMALY_SDS = 4;
/** Scores are capped here: past it the number says nothing more (a clean series' glitch). */
const MAX_SCORE = 999;
/**
 * A value between these quantiles of the whole series (1 % and 99 %) is ordinary for the
 * series: flagged, it is contextual — wrong for its time, not extreme.
 */
const ORDINARY_QUANTILE = 0.01;
/** The local scale is at least this share of the series' own, so a flat stretch does not flood. */
const LOCAL_SCALE_FLOOR = 0.25;
/**
 * False alarms a series may raise by chance, whatever its length: a point must also stand
 * out of the series' whole remainder at a tail probability of this many per series.
 */
export const FALSE_ALARMS_PER_SERIES = 4;
/** A repeat of an event at the same phase counts when it is at least this share of its size. */
const RECURRING_SIZE = 0.5;

/** One anomalous event on the grid: the peak point of a run of flagged points. */
export interface GridAnomaly {
  index: number;
  expected: number;
  lower: number;
  upper: number;
  score: number;
  kind: 'spike' | 'dip' | 'contextual';
  reason: string;
}

export interface AnomalyInput {
  values: Float64Array;
  times: Float64Array;
  /** False where the grid value was interpolated (never reported). */
  observed: (i: number) => boolean;
  /** trend + seasonal: what the time of the point leads one to expect. */
  fitted: Float64Array;
  remainder: Float64Array;
  /** Segment starts (first 0) the rolling baseline is not carried across. */
  bounds: readonly number[];
  seasons: readonly SeasonName[];
  intervalMs: number;
  /** Calendar cycles (in points) whose habits are not anomalies: see {@link recurs}. */
  cycles: readonly number[];
  /** Points in the rolling baseline window. */
  window: number;
}

/**
 * Anomalies on the remainder with local context: each remainder value is scored against a
 * rolling median and robust SD (MAD) of the remainder around it (Hampel filter; Pearson
 * 2002), not one threshold for the whole series, so a noisy stretch does not flood the
 * list and a quiet one still shows its spike. Consecutive flagged points form one event,
 * reported at its peak. A point whose value is ordinary for the series as a whole but far
 * from what its time leads one to expect is contextual.
 *
 * Locally unusual is not enough in a series that spikes as a matter of course: a point
 * must also lie beyond the level the series' own remainder tail (a generalised Pareto fit,
 * {@link tailThreshold}) makes rarer than {@link FALSE_ALARMS_PER_SERIES} per series —
 * each point measured in the spread of its own regime (between change points), so that a
 * noisy stretch neither hides a quiet one's spike nor floods the list.
 */
export function remainderAnomalies(input: AnomalyInput): GridAnomaly[] {
  const { values, remainder, bounds, window } = input;
  const n = values.length;
  const globalScale = robustScale(remainder, median(remainder));
  const sorted = sortedCopy(values);
  const range = {
    low: quantileSorted(sorted, ORDINARY_QUANTILE),
    high: quantileSorted(sorted, 1 - ORDINARY_QUANTILE),
  };
  const magnitude = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const floor = Math.max(LOCAL_SCALE_FLOOR * globalScale, 1e-9 * magnitude, Number.MIN_VALUE);
  const center = rollingRobust(remainder, window, median, bounds);
  const scale = rollingRobust(remainder, window, (s) => robustScale(s, median(s)), bounds);
  const scores = remainder.map((r, i) =>
    Math.min(MAX_SCORE, Math.abs(r - center[i]) / Math.max(floor, scale[i])),
  );
  const overall = regimeScores(remainder, bounds, floor);
  const rare = Math.max(ANOMALY_SDS, tailThreshold(overall, FALSE_ALARMS_PER_SERIES / n));
  const sign = (i: number) => Math.sign(remainder[i] - center[i]);
  const flagged = (i: number) =>
    input.observed(i) && scores[i] >= ANOMALY_SDS && overall[i] >= rare;
  const events: GridAnomaly[] = [];
  for (let i = 0; i < n; i++) {
    if (!flagged(i)) continue;
    let peak = i;
    while (i + 1 < n && flagged(i + 1)) {
      i++;
      if (scores[i] > scores[peak]) peak = i;
    }
    // Repeats as rare as the gate and at least half as large: a heavy-tailed series has
    // 4-SD points at every hour, an habitual spike has its like at the same hour each day.
    const repeat = Math.max(rare, RECURRING_SIZE * overall[peak]);
    if (recurs(peak, overall, sign, input.cycles, repeat)) continue;
    const local = { center: center[peak], scale: Math.max(floor, scale[peak]) };
    events.push(describe(input, peak, local, scores[peak], range));
  }
  return events.sort((a, b) => b.score - a.score);
}

/** |remainder − regime median| in robust SDs of the regime (the segments between bounds). */
function regimeScores(
  remainder: Float64Array,
  bounds: readonly number[],
  floor: number,
): Float64Array {
  const out = new Float64Array(remainder.length);
  bounds.forEach((start, k) => {
    const end = bounds[k + 1] ?? remainder.length;
    const regime = remainder.subarray(start, end);
    const center = median(regime);
    const scale = Math.max(floor, robustScale(regime, center));
    for (let i = start; i < end; i++) out[i] = Math.abs(remainder[i] - center) / scale;
  });
  return out;
}

function describe(
  input: AnomalyInput,
  i: number,
  local: { center: number; scale: number },
  score: number,
  overall: { low: number; high: number },
): GridAnomaly {
  const value = input.values[i];
  const expected = input.fitted[i] + local.center;
  const lower = expected - ANOMALY_SDS * local.scale;
  const upper = expected + ANOMALY_SDS * local.scale;
  const above = value > expected;
  const ordinary = input.seasons.length > 0 && value > overall.low && value < overall.high;
  const kind = ordinary ? 'contextual' : above ? 'spike' : 'dip';
  const when = phaseWords(input.seasons, input.times[i], input.intervalMs);
  const context = when === '' ? 'from the local level' : when;
  const sds = `${roundForWords(score)} robust SDs ${above ? 'above' : 'below'}`;
  const reason = ordinary
    ? `value ${roundForWords(value)} is ordinary for the series overall but ${sds} the expected ${roundForWords(expected)} ${context}`
    : `value ${roundForWords(value)} is ${sds} the expected ${roundForWords(expected)} ${context}`;
  return { index: i, expected, lower, upper, score, kind, reason };
}
