import { studentTTwoSided } from './incomplete-beta';
import { averageRanks } from './ranks';

export interface Spearman {
  /** Pearson's correlation of the average ranks (ties handled as R and SciPy do). */
  rho: number;
  /** Pairs with both values. */
  n: number;
  /** ρ √((n − 2) / (1 − ρ²)), on n − 2 degrees of freedom. */
  t: number;
  /** Two-sided, from Student's t (R's `cor.test(method = "spearman", exact = FALSE)`). */
  pValue: number;
}

/**
 * Spearman's rank correlation of paired values with its t-approximation test. Pairs where
 * either value is not a finite number are dropped. Fewer than three pairs, or no spread
 * in either variable, gives ρ = 0 and p = 1: there is nothing to test.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): Spearman {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  return spearmanOfRanks(averageRanks(xs).ranks, averageRanks(ys).ranks);
}

/**
 * {@link spearman} from the average ranks of paired values (every pair complete), so a
 * column ranked once serves each of its pairs.
 */
export function spearmanOfRanks(rx: ArrayLike<number>, ry: ArrayLike<number>): Spearman {
  const n = rx.length;
  const none = { rho: 0, n, t: 0, pValue: 1 };
  if (n < 3) return none;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mean;
    const dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return none;
  const rho = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const t =
    Math.abs(rho) === 1 ? Math.sign(rho) * Infinity : rho * Math.sqrt((n - 2) / (1 - rho * rho));
  return { rho, n, t, pValue: studentTTwoSided(t, n - 2) };
}
