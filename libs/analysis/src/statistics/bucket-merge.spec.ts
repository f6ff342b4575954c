import { mergeBucketRows } from './bucket-merge';

/** The aggregates PostgreSQL gives one bucket of values (column 0), as strings as pg returns them. */
function bucket(b: number, values: number[]): Record<string, unknown> {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
  return {
    b: String(b),
    n0: String(n),
    m0: String(mean),
    lo0: String(Math.min(...values)),
    hi0: String(Math.max(...values)),
    sd0: sd === null ? null : String(sd),
  };
}

describe('mergeBucketRows', () => {
  it('gives the aggregates of the whole from those of its parts, bucket by bucket', () => {
    const first = [1, 2, 9];
    const second = [4];
    const third = [5, 7, 3, 3];
    const merged = mergeBucketRows(
      [[bucket(2, first), bucket(0, [8, 8])], [bucket(2, [...second, ...third])], [bucket(1, [6])]],
      1,
    );
    expect(merged.map((row) => row.b)).toEqual([0, 1, 2]);
    const whole = bucket(2, [...first, ...second, ...third]);
    const row = merged[2] ?? {};
    expect(row.n0).toBe(8);
    expect(row.m0).toBeCloseTo(Number(whole.m0), 12);
    expect(row.sd0).toBeCloseTo(Number(whole.sd0), 12);
    expect([row.lo0, row.hi0]).toEqual([1, 9]);
    // One value: no sample SD; two equal values: SD 0.
    expect(merged[1]).toMatchObject({ n0: 1, m0: 6, sd0: null });
    expect(merged[0]).toMatchObject({ n0: 2, m0: 8, sd0: 0 });
  });

  it('keeps a column empty in a bucket where no part has a value of it', () => {
    const [row] = mergeBucketRows([[{ b: '0', n0: '0', m0: null, lo0: null, hi0: null }]], 1);
    expect(row).toMatchObject({ n0: 0, m0: null, lo0: null, hi0: null });
  });
});
