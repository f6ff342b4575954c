/** The standard normal CDF Φ(x), through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Mann-Kendall trend test from its statistic S over n values (no ties correction):
 * Var(S) = n(n−1)(2n+5)/18, z with the continuity correction, two-sided p-value.
 */
export function mannKendall(s: number, n: number): { z: number; pValue: number } {
  // Nothing to test (too few values, or S = 0): no evidence of a trend at all.
  if (n < 3 || s === 0) return { z: 0, pValue: 1 };
  const variance = (n * (n - 1) * (2 * n + 5)) / 18;
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}
