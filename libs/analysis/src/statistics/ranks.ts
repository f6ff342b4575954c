/** Values ranked together: their average ranks, and the ties among them. */
export interface Ranking {
  /** 1-based rank of each value in input order; tied values share the mean of their ranks. */
  ranks: Float64Array;
  /** Σ (t³ − t) over the groups of t tied values: the tie corrections are built from it. */
  tieTerm: number;
}

/** Average ranks ("midranks"), as R's `rank(ties.method = "average")` gives them. */
export function averageRanks(values: ArrayLike<number>): Ranking {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}
