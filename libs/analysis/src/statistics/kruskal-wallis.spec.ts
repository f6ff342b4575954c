import { dunnZ, kruskalWallis } from './kruskal-wallis';

describe('kruskalWallis', () => {
  it("reproduces R's kruskal.test example (Hollander & Wolfe 1973, p. 116)", () => {
    // x <- c(2.9, 3.0, 2.5, 2.6, 3.2); y <- c(3.8, 2.7, 4.0, 2.4); z <- c(2.8, 3.4, 3.7, 2.2, 2.0)
    // kruskal.test(list(x, y, z)): Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
    const kw = kruskalWallis([
      [2.9, 3.0, 2.5, 2.6, 3.2],
      [3.8, 2.7, 4.0, 2.4],
      [2.8, 3.4, 3.7, 2.2, 2.0],
    ]);
    expect(kw.h).toBeCloseTo(0.7714285714285722, 10);
    expect(kw.df).toBe(2);
    expect(kw.pValue).toBeCloseTo(0.6799647735788936, 10);
    expect(kw.n).toBe(14);
    expect(kw.epsilonSquared).toBeCloseTo(0.7714285714285722 / 13, 12);
    expect(kw.tieCorrection).toBe(1);
  });

  it('corrects H for ties', () => {
    // SciPy's stats.kruskal (the statistic of R's kruskal.test, tie-corrected H against χ²):
    // [1,2,2,3,3,3], [3,4,4,5], [1,1,5,6,6] → H = 3.168942189421897, p = 0.20505621975974103
    const kw = kruskalWallis([
      [1, 2, 2, 3, 3, 3],
      [3, 4, 4, 5],
      [1, 1, 5, 6, 6],
    ]);
    expect(kw.h).toBeCloseTo(3.168942189421897, 10);
    expect(kw.pValue).toBeCloseTo(0.20505621975974103, 10);
    expect(kw.tieCorrection).toBeLessThan(1);
  });

  it('finds nothing to test in one group, empty groups or equal values', () => {
    expect(kruskalWallis([[1, 2, 3], []])).toMatchObject({ h: 0, df: 0, pValue: 1 });
    expect(
      kruskalWallis([
        [4, 4],
        [4, 4, 4],
      ]),
    ).toMatchObject({ h: 0, pValue: 1 });
  });
});

describe('dunnZ', () => {
  it('is the difference of mean ranks over its standard error', () => {
    // Groups 1 2 3 | 4 5 6: mean ranks 2 and 5, n = 6; SE = √(6·7/12 · (1/3 + 1/3)) = √(7/3).
    const kw = kruskalWallis([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const z = dunnZ(kw, { meanRank: 2, n: 3 }, { meanRank: 5, n: 3 });
    expect(z).toBeCloseTo(-3 / Math.sqrt(7 / 3), 12);
  });
});
