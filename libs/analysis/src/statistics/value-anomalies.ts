import { medcouple } from './medcouple';
import { median, quantileSorted, robustScale, sortedCopy } from './robust';
import { roundForWords } from './season-profile';

export type ValueDistribution = 'symmetric' | 'skewed' | 'zero_inflated' | 'constant';

export interface ValueAnomaly {
  index: number;
  value: number;
  expected: number;
  lower: number;
  upper: number;
  score: number;
  kind: 'high' | 'low';
  reason: string;
}

export interface ValueAnomalies {
  distribution: ValueDistribution;
  anomalies: ValueAnomaly[];
  anomaliesFound: number;
  truncated: boolean;
}

/** Robust SDs from the centre from which a value is anomalous (on a log scale for skewed data). */
export const VALUE_ANOMALY_SDS = 4;
/** A column with at least this share of exact zeros is zero-inflated: zeros are its normal state. */
export const ZERO_SHARE = 0.3;
/** |medcouple| from which a column is skewed (0 for symmetric data, 1/3 for an exponential). */
export const SKEW_MEDCOUPLE = 0.15;
/** |medcouple| of the logs under which a log scale makes the data symmetric (log-normal: ~0). */
const LOG_SYMMETRIC_MEDCOUPLE = 0.1;
/** Far-out multiplier of the medcouple-adjusted boxplot (Tukey's 3 instead of 1.5). */
const FAR_OUT = 3;
/**
 * |medcouple| the adjusted boxplot's exponential fences were fitted on (Hubert &
 * Vandervieren 2008 fit them for MC in [-0.6, 0.6]). Beyond it, as in counts with most
 * values tied at the median (MC near 1), e^(3·MC) would push the fence out twentyfold.
 */
const MAX_FENCE_MEDCOUPLE = 0.6;
/** Fewest values a distribution is judged on. */
const MIN_VALUES = 8;
const DEFAULT_MAX = 20;

export interface Scorer {
  expected: number;
  lower: number;
  upper: number;
  score: (v: number) => number;
  words: string;
}

/** A column's shape and the band its values normally fall in (null: too few to judge). */
export interface ValueShape {
  distribution: ValueDistribution;
  scorer: Scorer | null;
  zeroInflated: boolean;
  /**
   * The far-out fences of the skew-adjusted boxplot of the (non-zero) values: a value
   * inside them is ordinary for the column whatever its scale. Null with too few values.
   */
  fences: { lower: number; upper: number } | null;
}

/**
 * How a column's values are distributed, and the scorer that judges them: see
 * {@link valueAnomalies}. Zeros of a zero-inflated column are outside the scorer's data.
 */
export function valueShape(values: ArrayLike<number>): ValueShape {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  if (n === 0 || sorted[0] === sorted[n - 1]) {
    return { distribution: 'constant', scorer: null, zeroInflated: false, fences: null };
  }
  let zeros = 0;
  for (let i = 0; i < n; i++) if (sorted[i] === 0) zeros++;
  const zeroInflated = zeros / n >= ZERO_SHARE;
  const judged = zeroInflated ? sorted.filter((v) => v !== 0) : sorted;
  const shape = scorerFor(judged);
  const distribution: ValueDistribution = zeroInflated
    ? 'zero_inflated'
    : shape.skewed
      ? 'skewed'
      : 'symmetric';
  // The medcouple is the costly part (quadratic in up to 1,000 quantiles): computed once.
  const fences = shape.mc === null ? null : adjustedBoxplot(judged, shape.mc);
  return {
    distribution,
    scorer: shape.scorer,
    zeroInflated,
    fences: fences === null ? null : { lower: fences.lower, upper: fences.upper },
  };
}

/**
 * Anomalous values of a column without a time axis, scored according to its shape:
 * symmetric data on robust z (median and MAD); skewed positive data on the log scale where
 * that makes it symmetric (log-normal-like), other skewed data by the medcouple-adjusted
 * boxplot (Hubert & Vandervieren 2008); in zero-inflated data zeros are normal and the non-zero values are
 * judged among themselves (a rainy day is not an anomaly, a cloudburst may be).
 */
export function valueAnomalies(
  values: readonly number[],
  options: { maxAnomalies?: number } = {},
): ValueAnomalies {
  const max = options.maxAnomalies ?? DEFAULT_MAX;
  const { distribution, scorer, zeroInflated } = valueShape(values);
  const anomalies: ValueAnomaly[] = [];
  if (scorer !== null) {
    const among = zeroInflated ? ' among the non-zero values' : '';
    values.forEach((value, index) => {
      if (zeroInflated && value === 0) return;
      const score = scorer.score(value);
      if (!(score >= VALUE_ANOMALY_SDS)) return;
      const kind = value > scorer.expected ? 'high' : 'low';
      const reason =
        `value ${roundForWords(value)} is ${roundForWords(score)} robust SDs ` +
        `${kind === 'high' ? 'above' : 'below'} the typical ${roundForWords(scorer.expected)}` +
        `${among}${scorer.words}`;
      anomalies.push({ index, value, ...pick(scorer), score, kind, reason });
    });
  }
  anomalies.sort((a, b) => b.score - a.score);
  return {
    distribution,
    anomalies: anomalies.slice(0, max),
    anomaliesFound: anomalies.length,
    truncated: anomalies.length > max,
  };
}

const pick = (s: Scorer) => ({ expected: s.expected, lower: s.lower, upper: s.upper });

/** The scorer of a shape, and its medcouple (null: too few or equal values to judge). */
function scorerFor(sorted: Float64Array): {
  skewed: boolean;
  mc: number | null;
  scorer: Scorer | null;
} {
  if (sorted.length < MIN_VALUES || sorted[0] === sorted[sorted.length - 1]) {
    return { skewed: false, mc: null, scorer: null };
  }
  const mc = medcouple(sorted);
  const skewed = Math.abs(mc) >= SKEW_MEDCOUPLE;
  if (!skewed) {
    const center = quantileSorted(sorted, 0.5);
    const scale = robustScale(sorted, center);
    return {
      skewed,
      mc,
      scorer: {
        expected: center,
        lower: center - VALUE_ANOMALY_SDS * scale,
        upper: center + VALUE_ANOMALY_SDS * scale,
        score: (v) => Math.abs(v - center) / scale,
        words: '',
      },
    };
  }
  if (sorted[0] > 0) {
    const logs = sorted.map(Math.log);
    // The log scale only where it makes the data symmetric (log-normal-like); an
    // exponential's logs are skewed left, and its far values would hide inside the band.
    if (Math.abs(medcouple(logs)) < LOG_SYMMETRIC_MEDCOUPLE)
      return { skewed, mc, scorer: logScorer(logs) };
  }
  return { skewed, mc, scorer: adjustedBoxplot(sorted, mc) };
}

function logScorer(logs: Float64Array): Scorer {
  const center = median(logs);
  const scale = robustScale(logs, center);
  return {
    expected: Math.exp(center),
    lower: Math.exp(center - VALUE_ANOMALY_SDS * scale),
    upper: Math.exp(center + VALUE_ANOMALY_SDS * scale),
    score: (v) => (v > 0 ? Math.abs(Math.log(v) - center) / scale : Infinity),
    words: ' on a log scale (the values are skewed)',
  };
}

/**
 * The medcouple-adjusted boxplot fences (Hubert & Vandervieren 2008) at the far-out
 * multiplier: for MC ≥ 0, [Q1 − 3e^{−4MC}·IQR, Q3 + 3e^{3MC}·IQR] (mirrored for MC < 0).
 * A value's score is its distance past the quartile in units of the fence distance,
 * scaled so that the fence sits at {@link VALUE_ANOMALY_SDS}.
 */
function adjustedBoxplot(sorted: Float64Array, medcoupleOfValues: number): Scorer {
  const mc = Math.max(-MAX_FENCE_MEDCOUPLE, Math.min(MAX_FENCE_MEDCOUPLE, medcoupleOfValues));
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const center = quantileSorted(sorted, 0.5);
  const iqr = q3 - q1;
  const lowReach = FAR_OUT * iqr * Math.exp(mc >= 0 ? -4 * mc : -3 * mc);
  const highReach = FAR_OUT * iqr * Math.exp(mc >= 0 ? 3 * mc : 4 * mc);
  return {
    expected: center,
    lower: q1 - lowReach,
    upper: q3 + highReach,
    score: (v) => {
      if (v > q3) return highReach > 0 ? (VALUE_ANOMALY_SDS * (v - q3)) / highReach : 0;
      if (v < q1) return lowReach > 0 ? (VALUE_ANOMALY_SDS * (q1 - v)) / lowReach : 0;
      return 0;
    },
    words: ' (fences adjusted for skew)',
  };
}
