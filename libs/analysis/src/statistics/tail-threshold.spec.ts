import { tailThreshold } from './tail-threshold';
import { noise, seeded } from './testing/random';

describe('tailThreshold', () => {
  it('puts the level near the exact quantile of an exponential tail', () => {
    const random = seeded(7);
    const scores = Array.from({ length: 50_000 }, () => -Math.log(1 - random()));
    // P(X > x) = e^{-x}: at risk 1e-4 the level is ln(10^4) ≈ 9.21.
    expect(tailThreshold(scores, 1e-4)).toBeCloseTo(Math.log(1e4), 0);
  });

  it('asks more of a heavy-tailed series than of a Gaussian one at the same risk', () => {
    const gaussian = Array.from(noise(20_000, 3), Math.abs);
    const random = seeded(4);
    // Pareto with α = 3: P(X > x) = x^{-3}, x ≥ 1; at risk 1e-4 the level is 10^{4/3} ≈ 21.5.
    const pareto = Array.from({ length: 20_000 }, () => Math.pow(1 - random(), -1 / 3));
    const normalLevel = tailThreshold(gaussian, 1e-4);
    const paretoLevel = tailThreshold(pareto, 1e-4);
    expect(normalLevel).toBeGreaterThan(3.4);
    expect(normalLevel).toBeLessThan(4.6);
    expect(paretoLevel).toBeGreaterThan(15);
    expect(paretoLevel).toBeLessThan(30);
  });

  it('demands nothing of a series too short to show its tail', () => {
    // 120 points: two peaks over the 98th percentile, not enough to fit a tail to.
    const scores = Array.from({ length: 120 }, (_v, i) => (i === 30 ? 40 : i === 80 ? 30 : i % 3));
    expect(tailThreshold(scores, 0.03)).toBe(0);
    expect(tailThreshold([], 0.01)).toBe(0);
  });
});
