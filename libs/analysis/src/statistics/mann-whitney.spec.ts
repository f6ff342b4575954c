import { mannWhitney } from './mann-whitney';

describe('mannWhitney', () => {
  it("reproduces R's wilcox.test example (Hollander & Wolfe 1973, p. 69)", () => {
    // x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
    // y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
    // R's docs: W = 35 and, one-sided without continuity correction, p = 0.1103; two-sided
    // with it (wilcox.test(x, y, exact = FALSE); SciPy's mannwhitneyu agrees) p = 0.2446.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const test = mannWhitney(x, y);
    expect(test.u).toBe(35);
    expect(test.pValue).toBeCloseTo(0.24462360512698333, 6);
    expect(test.z).toBeCloseTo(9.5 / Math.sqrt((10 * 5 * 16) / 12), 12);
    expect(test.rankBiserial).toBeCloseTo((2 * 35) / 50 - 1, 12);
    expect(mannWhitney(y, x).z).toBeCloseTo(-test.z, 12);
  });

  it('corrects the variance for ties', () => {
    // SciPy's mannwhitneyu([1,2,2,3,3,3], [3,4,4,5], method = "asymptotic") — R's
    // wilcox.test(exact = FALSE) formula: U = 1.5, p = 0.026826219079541514
    const test = mannWhitney([1, 2, 2, 3, 3, 3], [3, 4, 4, 5]);
    expect(test.u).toBe(1.5);
    expect(test.pValue).toBeCloseTo(0.026826219079541514, 6);
    expect(test.rankBiserial).toBeCloseTo((2 * 1.5) / 24 - 1, 12);
  });

  it('finds nothing in an empty sample or in equal values', () => {
    expect(mannWhitney([], [1, 2])).toMatchObject({ z: 0, pValue: 1 });
    expect(mannWhitney([2, 2], [2, 2, 2])).toMatchObject({ z: 0, pValue: 1, rankBiserial: 0 });
  });
});
