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
  let at = 0;
  for (const group of kept) for (let i = 0; i < group.length; i++) values[at++] = group[i];
  const { ranks, tieTerm } = averageRanks(values);
  const tieCorrection = n < 2 ? 0 : 1 - tieTerm / (n * n * n - n);
  const meanRanks: number[] = [];
  let between = 0;
  at = 0;
  for (const group of kept) {
    let sum = 0;
    for (let i = 0; i < group.length; i++) sum += ranks[at++];
    meanRanks.push(sum / group.length);
    between += (sum * sum) / group.length;
  }
  const df = kept.length - 1;
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
