import { spearman } from './spearman';

describe('spearman', () => {
  it("reproduces R's cor.test example (Hollander & Wolfe 1973, p. 187) in its t form", () => {
    // x <- c(44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1)
    // y <- c( 2.6,  3.1,  2.5,  5.0,  3.6,  4.0,  5.2,  2.8,  3.8)
    // cor.test(x, y, method = "spearman", exact = FALSE): rho = 0.6, p-value = 0.08762
    const x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1];
    const y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8];
    const test = spearman(x, y);
    expect(test.rho).toBeCloseTo(0.6, 12);
    expect(test.n).toBe(9);
    expect(test.t).toBeCloseTo(1.9843134832984428, 10);
    expect(test.pValue).toBeCloseTo(0.08762282904140249, 10);
  });

  it('ranks ties by their average rank', () => {
    // SciPy's spearmanr: 0.8902439024390245, p = 0.0030392955684888086
    const test = spearman([1, 2, 2, 3, 4, 5, 5, 6], [2, 1, 3, 3, 5, 4, 7, 7]);
    expect(test.rho).toBeCloseTo(0.8902439024390245, 12);
    expect(test.pValue).toBeCloseTo(0.0030392955684888086, 10);
  });

  it('drops pairs with a missing value, and finds nothing without spread', () => {
    expect(spearman([1, 2, NaN, 4], [1, 2, 3, 4]).n).toBe(3);
    expect(spearman([1, 2, 3, 4], [5, 5, 5, 5])).toMatchObject({ rho: 0, pValue: 1 });
    expect(spearman([1, 2], [1, 2])).toMatchObject({ rho: 0, pValue: 1 });
    expect(spearman([1, 2, 3], [3, 2, 1])).toMatchObject({ rho: -1, pValue: 0 });
  });
});
