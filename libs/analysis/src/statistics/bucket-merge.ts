type BucketRow = Record<string, unknown>;

const numberOf = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/**
 * Bucket aggregates of the parts merged into those of the whole table, bucket by bucket:
 * counts add, means weigh by count, minima and maxima fold, and sample SDs combine through
 * their sums of squares about the pooled mean (Chan, Golub & LeVeque). Columns `i` carry
 * `n{i}`, `m{i}`, `lo{i}`, `hi{i}` and `sd{i}`; the result is ordered by bucket `b`.
 */
export function mergeBucketRows(
  parts: ReadonlyArray<readonly BucketRow[]>,
  columns: number,
): BucketRow[] {
  const byBucket = new Map<number, BucketRow[]>();
  for (const rows of parts) {
    for (const row of rows) {
      const b = Number(row.b);
      const list = byBucket.get(b) ?? [];
      list.push(row);
      byBucket.set(b, list);
    }
  }
  return [...byBucket.entries()]
    .sort(([a], [b]) => a - b)
    .map(([b, rows]) => {
      const merged: BucketRow = { b };
      for (let i = 0; i < columns; i++) Object.assign(merged, mergeColumn(rows, i));
      return merged;
    });
}

function mergeColumn(rows: readonly BucketRow[], i: number): BucketRow {
  let n = 0;
  let sum = 0;
  let lo: number | null = null;
  let hi: number | null = null;
  for (const row of rows) {
    const count = Number(row[`n${i}`] ?? 0);
    if (count === 0) continue;
    n += count;
    sum += count * Number(row[`m${i}`]);
    const min = Number(row[`lo${i}`]);
    const max = Number(row[`hi${i}`]);
    lo = lo === null ? min : Math.min(lo, min);
    hi = hi === null ? max : Math.max(hi, max);
  }
  if (n === 0) return { [`n${i}`]: 0, [`m${i}`]: null, [`lo${i}`]: null, [`hi${i}`]: null };
  const mean = sum / n;
  let squares = 0;
  for (const row of rows) {
    const count = Number(row[`n${i}`] ?? 0);
    if (count === 0) continue;
    const sd = numberOf(row[`sd${i}`]) ?? 0;
    const d = Number(row[`m${i}`]) - mean;
    squares += sd * sd * (count - 1) + count * d * d;
  }
  return {
    [`n${i}`]: n,
    [`m${i}`]: mean,
    [`lo${i}`]: lo,
    [`hi${i}`]: hi,
    [`sd${i}`]: n > 1 ? Math.sqrt(squares / (n - 1)) : null,
  };
}
