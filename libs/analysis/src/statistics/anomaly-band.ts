/**
 * The band outside which a numeric value is an anomaly: Tukey's far-out fences and the
 * robust z-score of Iglewicz & Hoaglin, from a column's quartiles and MAD.
 */

/** Robust z-score (0.6745·|x − median| / MAD, Iglewicz & Hoaglin) from which a value is an anomaly. */
export const ROBUST_Z_LIMIT = 3.5;
/** Tukey's far-out fences: Q1 − k·IQR and Q3 + k·IQR. */
export const IQR_FENCE = 3;
/** 0.6745 ≈ Φ⁻¹(0.75): MAD / 0.6745 estimates σ for normal data. */
const MAD_SCALE = 0.6745;

/** Where a column's values are centred and how far they spread. */
export interface ColumnSpread {
  median: number;
  q1: number;
  q3: number;
  mad: number;
}

/**
 * The band of ordinary values: inside the far-out fences and, where MAD > 0, within the
 * robust-z limit of the median, whichever is nearer the median.
 */
export function ordinaryBand(spread: ColumnSpread): { low: number; high: number } {
  let low = spread.q1 - IQR_FENCE * (spread.q3 - spread.q1);
  let high = spread.q3 + IQR_FENCE * (spread.q3 - spread.q1);
  if (spread.mad > 0) {
    const limit = (ROBUST_Z_LIMIT * spread.mad) / MAD_SCALE;
    low = Math.max(low, spread.median - limit);
    high = Math.min(high, spread.median + limit);
  }
  return { low, high };
}

/**
 * Bounds outside which a value may be an anomaly: the {@link ordinaryBand}, its robust-z
 * limit widened by far more than float8 rounding could move it (the fences are the very
 * expression the test uses), so no anomaly is left out. The exact test runs in SQL.
 */
export function candidateBounds(spread: ColumnSpread): { lower: number; upper: number } {
  const band = ordinaryBand(spread);
  const slack = spread.mad > 0 ? 1e-9 * ((ROBUST_Z_LIMIT * spread.mad) / MAD_SCALE) : 0;
  return { lower: band.low + slack, upper: band.high - slack };
}
