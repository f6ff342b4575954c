/**
 * Independent, exact computations the profiling specs compare the sketches against, and seeded
 * generators so every spec sees the same data on every run.
 */

// Read once: every global lookup costs ~0.3 µs inside Jest's vm context.
const { abs, imul } = Math;

/** mulberry32: a seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) | 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ranks 1..size drawn with probability ∝ 1 / rank^exponent. */
export function zipfSampler(random: () => number, size: number, exponent: number): () => number {
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let rank = 1; rank <= size; rank++) cumulative[rank - 1] = total += 1 / rank ** exponent;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  };
}

/** Neumaier-compensated sum: exact to about one rounding, whatever the order. */
export function exactSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const t = sum + x;
    compensation += abs(sum) >= abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** Mean and sample standard deviation by two compensated passes. */
export function exactMoments(values: ArrayLike<number>): { mean: number; stddev: number | null } {
  const mean = exactSum(values) / values.length;
  const squares = Array.from(values, (x) => (x - mean) ** 2);
  return {
    mean,
    stddev: values.length < 2 ? null : Math.sqrt(exactSum(squares) / (values.length - 1)),
  };
}

/** The inverted-CDF (type 1) quantile of sorted values: the value of rank ⌈q·n⌉. */
export function exactQuantile(sorted: Float64Array, q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length * (1 - 1e-12)));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * Normalised rank error of answering `value` for quantile q: how far q lies outside the band of
 * normalised ranks [#(< value), #(≤ value)] / n that `value` truly occupies (0 if inside).
 */
export function rankError(sorted: Float64Array, q: number, value: number): number {
  const below = countBelow(sorted, value, false);
  const atOrBelow = countBelow(sorted, value, true);
  const n = sorted.length;
  return Math.max(0, below / n - q, q - atOrBelow / n);
}

function countBelow(sorted: Float64Array, value: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value || (inclusive && sorted[mid] === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Exact frequency of every value. */
export function exactCounts<T extends number | string>(values: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Exact frequencies, most frequent first, ties by value ascending. */
export function exactFrequencies<T extends number | string>(
  values: Iterable<T>,
): Array<[T, number]> {
  return [...exactCounts(values)].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
}

/** Splits `items` into `parts` chunks of uneven sizes (so merges see lopsided partials). */
export function unevenChunks<T>(items: readonly T[], parts: number): T[][] {
  const weights = Array.from({ length: parts }, (_, i) => i + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const chunks: T[][] = [];
  let start = 0;
  weights.forEach((weight, i) => {
    const end =
      i === parts - 1 ? items.length : start + Math.floor((items.length * weight) / total);
    chunks.push(items.slice(start, end));
    start = end;
  });
  return chunks;
}
