/** Values ranked together: their average ranks, and the ties among them. */
export interface Ranking {
  /** 1-based rank of each value in input order; tied values share the mean of their ranks. */
  ranks: Float64Array;
  /** Σ (t³ − t) over the groups of t tied values: the tie corrections are built from it. */
  tieTerm: number;
}

/**
 * Average ranks ("midranks"), as R's `rank(ties.method = "average")` gives them. The values
 * are sorted as a typed array (a native numeric sort, several times faster than sorting
 * indices with a comparator), and each value's rank is found by binary search: the mean
 * of the first and last positions its run of equal values takes.
 */
export function averageRanks(values: ArrayLike<number>): Ranking {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end++;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const first = lowerBound(sorted, values[i]);
    const last =
      first + 1 < n && sorted[first + 1] === values[i] ? upperBound(sorted, values[i]) : first + 1;
    ranks[i] = (first + 1 + last) / 2;
  }
  return { ranks, tieTerm };
}

/** The first position in `sorted` whose value is not below `x`. */
function lowerBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < x) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first position in `sorted` whose value is above `x`. */
function upperBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}
