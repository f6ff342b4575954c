import { type BucketFit, mannKendallS, mergeBucketFits } from './trends-agent';

/** Least squares over the points themselves, two-pass (the reference the merge must match). */
function direct(points: Array<[number, number]>) {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - meanX) ** 2;
    syy += (y - meanY) ** 2;
    sxy += (x - meanX) * (y - meanY);
  }
  return { n, meanX, meanY, sxx, syy, sxy };
}

function bucketFit(points: Array<[number, number]>): BucketFit {
  const { n, meanX, meanY, sxx, syy, sxy } = direct(points);
  return { n, avgX: meanX, avgY: meanY, sxx, syy, sxy };
}

describe('mergeBucketFits', () => {
  it('gives the least-squares fit of all the points from the fits of their buckets', () => {
    // Epoch seconds, as the trend query's x: large offsets are where a naive sum would fail.
    const points: Array<[number, number]> = Array.from({ length: 500 }, (_, i) => {
      const x = 1_700_000_000 + i * 3600 + ((i * 7919) % 600);
      return [x, 100 + 2.5e-5 * (x - 1_700_000_000) + ((i * 104729) % 97) / 10];
    });
    const buckets = [0, 37, 38, 200, 401, 500].slice(1).map((end, i, ends) => {
      const start = i === 0 ? 0 : ends[i - 1];
      return bucketFit(points.slice(start, end));
    });
    const merged = mergeBucketFits([
      { n: 0, avgX: NaN, avgY: NaN, sxx: NaN, syy: NaN, sxy: NaN },
      ...buckets,
    ]);
    const all = direct(points);
    expect(merged.n).toBe(500);
    expect(merged.slope).toBeCloseTo(all.sxy / all.sxx, 12);
    expect(merged.r2).toBeCloseTo((all.sxy * all.sxy) / (all.sxx * all.syy), 10);
  });

  it('follows regr_slope and regr_r2 at the edges', () => {
    expect(mergeBucketFits([])).toEqual({ n: 0, slope: null, r2: null });
    // One x: no spread in x, no line.
    expect(
      mergeBucketFits([
        bucketFit([
          [5, 1],
          [5, 3],
        ]),
      ]),
    ).toEqual({ n: 2, slope: null, r2: null });
    // Constant y: a flat line that explains everything there is.
    expect(
      mergeBucketFits([
        bucketFit([
          [1, 7],
          [2, 7],
        ]),
        bucketFit([[3, 7]]),
      ]),
    ).toEqual({
      n: 3,
      slope: 0,
      r2: 1,
    });
  });
});

describe('mannKendallS', () => {
  it('counts rising pairs minus falling pairs, ties counting zero', () => {
    expect(mannKendallS([1, 2, 3, 4])).toBe(6);
    expect(mannKendallS([4, 3, 2, 1])).toBe(-6);
    expect(mannKendallS([1, 3, 2, 2])).toBe(1);
    expect(mannKendallS([])).toBe(0);
  });
});
