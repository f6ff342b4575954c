import { CONVERGED, Lentz, MAX_TERMS } from './continued-fraction';
import { logGamma } from './incomplete-gamma';

/**
 * The regularized incomplete beta I_x(a, b), by its continued fraction (modified Lentz),
 * on whichever side of the mean a / (a + b) converges fast (Numerical Recipes §6.4).
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logPrefix =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logPrefix) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logPrefix) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const fraction = new Lentz(1 - ((a + b) * x) / (a + 1), 1);
  let h = fraction.start;
  for (let m = 1; m < MAX_TERMS; m++) {
    const m2 = 2 * m;
    // The even term, then the odd term of the fraction.
    h *= fraction.step((m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), 1);
    const delta = fraction.step((-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)), 1);
    h *= delta;
    if (Math.abs(delta - 1) < CONVERGED) break;
  }
  return h;
}
