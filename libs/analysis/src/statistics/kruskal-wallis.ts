import { chiSquareSurvival } from './incomplete-gamma';
import { averageRanks } from './ranks';

export interface KruskalWallis {
  /** H, corrected for ties (R's "Kruskal-Wallis chi-squared"). */
  h: number;
  /** Groups − 1. */
  df: number;
  /** P(χ²(df) ≥ H): the large-sample approximation R and SciPy use. */
  pValue: number;
  n: number;
  /** ε² = H / (n − 1): the share of rank variance between the groups (0–1). */
  epsilonSquared: number;
  /** Each group's mean rank among all n values, in the groups' order. */
  meanRanks: number[];
  /** 1 − Σ(t³ − t) / (n³ − n): the tie correction H was divided by. */
  tieCorrection: number;
}

/**
 * The Kruskal-Wallis rank test of whether groups come from one distribution: H on the
 * average ranks of all values, divided by the tie correction, against χ² with k − 1
 * degrees of freedom. Empty groups are left out; with fewer than two groups left, or all
 * values equal, there is nothing to test (H = 0, p = 1).
 */
export function kruskalWallis(groups: ReadonlyArray<ArrayLike<number>>): KruskalWallis {
  const kept = groups.filter((group) => group.length > 0);
  const n = kept.reduce((sum, group) => sum + group.length, 0);
  const values = new Float64Array(n);
  const groupOf = new Int32Array(n);
  let at = 0;
  kept.forEach((group, g) => {
    for (let i = 0; i < group.length; i++) {
      values[at] = group[i];
      groupOf[at++] = g;
    }
  });
  const { ranks, tieTerm } = averageRanks(values);
  return kruskalWallisOfRanks(ranks, tieTerm, groupOf, kept.length);
}

/**
 * {@link kruskalWallis} from a ranking already made (`averageRanks` of all the values) and
 * each value's group (0 to `groups` − 1; every group non-empty), so a column ranked once
 * serves every grouping of it.
 */
export function kruskalWallisOfRanks(
  ranks: ArrayLike<number>,
  tieTerm: number,
  groupOf: ArrayLike<number>,
  groups: number,
): KruskalWallis {
  const n = ranks.length;
  const sums = new Float64Array(groups);
  const counts = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    sums[groupOf[i]] += ranks[i];
    counts[groupOf[i]]++;
  }
  const tieCorrection = n < 2 ? 0 : 1 - tieTerm / (n * n * n - n);
  const meanRanks = Array.from(sums, (sum, g) => sum / counts[g]);
  const between = sums.reduce((total, sum, g) => total + (sum * sum) / counts[g], 0);
  const df = groups - 1;
  if (df < 1 || tieCorrection <= 0)
    return { h: 0, df: Math.max(df, 0), pValue: 1, n, epsilonSquared: 0, meanRanks, tieCorrection };
  const h = ((12 / (n * (n + 1))) * between - 3 * (n + 1)) / tieCorrection;
  return {
    h,
    df,
    pValue: chiSquareSurvival(h, df),
    n,
    epsilonSquared: h / (n - 1),
    meanRanks,
    tieCorrection,
  };
}

/**
 * Dunn's z for two groups after a Kruskal-Wallis test: the difference of their mean ranks
 * (from the same ranking of all n values) over its standard error, with the tie
 * correction. Positive when the first group ranks higher.
 */
export function dunnZ(
  kw: Pick<KruskalWallis, 'n' | 'tieCorrection'>,
  first: { meanRank: number; n: number },
  second: { meanRank: number; n: number },
): number {
  const variance = ((kw.n * (kw.n + 1)) / 12) * kw.tieCorrection * (1 / first.n + 1 / second.n);
  return variance > 0 ? (first.meanRank - second.meanRank) / Math.sqrt(variance) : 0;
}
