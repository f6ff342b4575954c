import { bucketMeans, mannKendallS, theilSenPerDay, trendTest } from './seasonal-trend';
import { DAY_MS, MONDAY, noise } from './testing/random';

describe('mannKendallS', () => {
  it('counts concordant minus discordant pairs, with the ties correction', () => {
    // Pairs of [1, 3, 2]: (1,3) +, (1,2) +, (3,2) − → S = 1; Var = 3·2·11/18.
    expect(mannKendallS([1, 3, 2])).toEqual({ s: 1, variance: (3 * 2 * 11) / 18 });
    // One tie of two values removes 2·1·9 from the numerator.
    expect(mannKendallS([1, 1, 2]).variance).toBeCloseTo((66 - 18) / 18, 12);
  });
});

describe('bucketMeans', () => {
  it('averages consecutive runs down to the limit', () => {
    expect(bucketMeans([1, 2, 3, 4, 5, 6], 3)).toEqual([1.5, 3.5, 5.5]);
    expect(bucketMeans([1, 2], 5)).toEqual([1, 2]);
  });
});

describe('theilSenPerDay', () => {
  it('is the slope of a line per day, unmoved by an outlier', () => {
    const times = Float64Array.from({ length: 50 }, (_v, i) => MONDAY + i * DAY_MS);
    const values = Float64Array.from({ length: 50 }, (_v, i) => 2 + 0.5 * i);
    values[20] = 1000;
    expect(theilSenPerDay(times, values)).toBeCloseTo(0.5, 12);
    expect(theilSenPerDay(times.subarray(0, 1), values.subarray(0, 1))).toBeNull();
  });
});

describe('trendTest', () => {
  // Four years of days with a strong yearly cycle.
  const n = 1461;
  const times = Float64Array.from({ length: n }, (_v, i) => MONDAY + i * DAY_MS);
  const cycle = (i: number) => 8 * Math.sin((2 * Math.PI * i) / 365.25);
  const e = noise(n, 31);

  it('finds a slow rise under a yearly cycle with the seasonal test', () => {
    const x = Float64Array.from({ length: n }, (_v, i) => 15 + cycle(i) + 0.003 * i + 2 * e[i]);
    const deseasonalised = x.map((v, i) => v - cycle(i));
    const trend = trendTest(x, deseasonalised, times, 365);
    expect(trend.method).toBe('seasonal-mann-kendall');
    expect(trend.direction).toBe('increasing');
    expect(trend.pValue).toBeLessThan(0.01);
    expect(trend.slopePerDay).toBeCloseTo(0.003, 3);
  });

  it('reads no trend into the cycle itself', () => {
    const x = Float64Array.from({ length: n }, (_v, i) => 15 + cycle(i) + 2 * e[i]);
    const trend = trendTest(
      x,
      x.map((v, i) => v - cycle(i)),
      times,
      365,
    );
    expect(trend.direction).toBe('none');
    expect(trend.pValue).toBeGreaterThan(0.05);
  });

  it('uses plain Mann-Kendall without a season', () => {
    const x = Float64Array.from({ length: 500 }, (_v, i) => -0.02 * i + e[i]);
    const trend = trendTest(x, x, times.subarray(0, 500), null);
    expect(trend.method).toBe('mann-kendall');
    expect(trend.direction).toBe('decreasing');
  });
});
