import { normalCdf } from './normal';
import { averageRanks } from './ranks';

export interface MannWhitney {
  /** U of the first sample: pairs (x, y) with x > y, ties counting ½ (R's W). */
  u: number;
  /** Normal approximation, tie-corrected variance, continuity correction of ½. */
  z: number;
  /** Two-sided p-value of z (R's `wilcox.test(x, y, exact = FALSE)`). */
  pValue: number;
  /** Rank-biserial correlation 2U / (n₁n₂) − 1 (= Cliff's delta): −1 to 1, > 0 when x tends higher. */
  rankBiserial: number;
}

/**
 * The Mann-Whitney U (Wilcoxon rank-sum) test of two independent samples, in its
 * large-sample form: U from the average ranks of both together, z with the tie-corrected
 * variance n₁n₂/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))) and R's continuity correction.
 * An empty sample or no spread gives z = 0, p = 1.
 */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitney {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const values = new Float64Array(n);
  for (let i = 0; i < n1; i++) values[i] = x[i];
  for (let j = 0; j < n2; j++) values[n1 + j] = y[j];
  const { ranks, tieTerm } = averageRanks(values);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u = r1 - (n1 * (n1 + 1)) / 2;
  if (n1 === 0 || n2 === 0) return { u, z: 0, pValue: 1, rankBiserial: 0 };
  const rankBiserial = (2 * u) / (n1 * n2) - 1;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const centred = u - (n1 * n2) / 2;
  if (variance <= 0 || centred === 0) return { u, z: 0, pValue: 1, rankBiserial };
  const z = (centred - Math.sign(centred) * 0.5) / Math.sqrt(variance);
  return { u, z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), rankBiserial };
}
