import { decompose, seasonalStrength, trendWindow } from './decomposition';
import { noise } from './testing/random';

describe('decompose', () => {
  const n = 24 * 28;
  const pattern = (i: number) => 5 * Math.sin((2 * Math.PI * i) / 24);
  const e = noise(n, 7);
  const x = Float64Array.from({ length: n }, (_v, i) => 50 + 0.01 * i + pattern(i) + 0.3 * e[i]);
  x[300] += 40;

  it('recovers the season and the trend, and leaves a spike in the remainder', () => {
    const { trend, seasonal, remainder } = decompose(x, [24]);
    for (const i of [100, 250, 400, 500]) {
      expect(seasonal[0][i]).toBeCloseTo(pattern(i), 0);
      expect(trend[i]).toBeCloseTo(50 + 0.01 * i, 0);
    }
    expect(remainder[300]).toBeGreaterThan(38);
    expect(Math.abs(remainder[301])).toBeLessThan(2);
  });

  it('keeps a level shift as a step when told where the segments start', () => {
    const step = Float64Array.from({ length: n }, (_v, i) => (i < 336 ? 0 : 10) + pattern(i));
    const { trend } = decompose(step, [24], [0, 336]);
    // Near a bound the window holds part of a cycle, so the level is close, not exact.
    expect(trend[335]).toBeCloseTo(0, 0);
    expect(trend[336]).toBeCloseTo(10, 0);
    expect(trend[300]).toBeCloseTo(0, 5);
  });
});

describe('seasonalStrength', () => {
  it('is near 1 for a clean season and near 0 for a season drowned in noise', () => {
    const s = Float64Array.from({ length: 480 }, (_v, i) => Math.sin((2 * Math.PI * i) / 24));
    const small = noise(480, 1).map((v) => 0.05 * v);
    const large = noise(480, 2).map((v) => 20 * v);
    expect(seasonalStrength(s, small)).toBeGreaterThan(0.99);
    expect(seasonalStrength(s, large)).toBeLessThan(0.01);
  });
});

describe('trendWindow', () => {
  it('is one and a half of the longest cycle, odd', () => {
    expect(trendWindow([24, 168], 5000)).toBe(253);
    expect(trendWindow([], 5000)).toBe(101);
  });
});
