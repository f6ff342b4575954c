import {
  chiSquareSurvival,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
} from './incomplete-gamma';

// Reference values: R (pchisq(x, df, lower.tail = FALSE), pgamma, lgamma), the same as
// SciPy's chi2.sf, gammainc, gammaincc and gammaln give.
describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247], // ln √π
    [1, 0],
    [5, Math.log(24)],
    [10.3, 13.482036786138359],
  ])('ln Γ(%d)', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });
});

describe('regularized incomplete gamma', () => {
  it('matches pgamma in the series and the continued-fraction regions', () => {
    expect(regularizedGammaP(3, 2)).toBeCloseTo(0.32332358381693654, 12);
    expect(regularizedGammaQ(0.5, 0.1)).toBeCloseTo(0.6547208460185768, 12);
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaQ(2, Infinity)).toBe(0);
  });
});

describe('chiSquareSurvival', () => {
  it.each([
    [0.77143, 2, 0.6799642878899435], // R's kruskal.test example (Hollander & Wolfe): p = 0.68
    [29.267, 4, 6.899345870085439e-6], // R's kruskal.test(Ozone ~ Month): p = 6.901e-06
    [3.84, 1, 0.05004352124870519],
    [0.5, 7, 0.9994464813904249],
  ])('P(χ² ≥ %d; df %d)', (x, df, expected) => {
    expect(chiSquareSurvival(x, df)).toBeCloseTo(expected, 10);
  });

  it('keeps its relative precision far in the tail', () => {
    expect(chiSquareSurvival(100, 10) / 5.4497019829205215e-17).toBeCloseTo(1, 8);
    expect(chiSquareSurvival(1171.25, 4) / 2.720536785952702e-252).toBeCloseTo(1, 6);
  });

  it('is exp(−x/2) with two degrees of freedom', () => {
    for (const x of [0.1, 1, 7.5, 40])
      expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
  });
});
