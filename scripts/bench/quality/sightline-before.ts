/**
 * "Sightline before": the anomaly test of libs/analysis/src/agents/anomalies-scan.ts and
 * anomalies-agent.ts as it stood before issue 19, replicated in memory so that the quality
 * benchmark keeps scoring it after the product moves on. Same rule, same constants: the
 * residuals from the least-squares line of the value over time (epoch seconds, as
 * `regr_slope`/`regr_intercept`), their quartiles (`percentile_cont`) and MAD; a residual
 * is an anomaly when 0.6745·|r − median|/MAD > 3.5 (MAD > 0) or it lies beyond
 * Q1 − 3·IQR / Q3 + 3·IQR; the 50 farthest from the median are reported (the earlier row
 * first among equals). Series are below the product's sampling size, so every row counts.
 */

const ROBUST_Z_LIMIT = 3.5;
const IQR_FENCE = 3;
const MAX_ANOMALIES = 50;
const MAD_SCALE = 0.6745;

/** `percentile_cont(p)` of ascending values: linear interpolation between order statistics. */
function percentileCont(sorted: readonly number[], p: number): number {
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const a = sorted[lower] ?? 0;
  const b = sorted[Math.min(lower + 1, sorted.length - 1)] ?? a;
  return a + (position - lower) * (b - a);
}

/** Indexes reported by the pre-issue-19 anomaly test, farthest first. */
export function sightlineBefore(t: readonly number[], y: readonly number[]): number[] {
  const n = y.length;
  const x = t.map((ms) => ms / 1000);
  const meanX = x.reduce((s, v) => s + v, 0) / n;
  const meanY = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] ?? 0) - meanX) * ((y[i] ?? 0) - meanY);
    sxx += ((x[i] ?? 0) - meanX) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = sxx > 0 ? meanY - slope * meanX : 0;
  const residuals = y.map((v, i) => v - (intercept + slope * (x[i] ?? 0)));
  const sorted = [...residuals].sort((a, b) => a - b);
  const [q1, median, q3] = [0.25, 0.5, 0.75].map((p) => percentileCont(sorted, p)) as [
    number,
    number,
    number,
  ];
  const mad = percentileCont(
    residuals.map((r) => Math.abs(r - median)).sort((a, b) => a - b),
    0.5,
  );
  const iqr = q3 - q1;
  const anomalous = (r: number) =>
    (mad > 0 && (MAD_SCALE * Math.abs(r - median)) / mad > ROBUST_Z_LIMIT) ||
    r < q1 - IQR_FENCE * iqr ||
    r > q3 + IQR_FENCE * iqr;
  return residuals
    .map((r, i) => ({ i, r, distance: Math.abs(r - median) }))
    .filter(({ r }) => anomalous(r))
    .sort((a, b) => b.distance - a.distance || a.i - b.i)
    .slice(0, MAX_ANOMALIES)
    .map(({ i }) => i);
}
