import { mannKendall, normalCdf } from './normal';

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1, 0.841344746],
    [1.959964, 0.975],
    [-1.959964, 0.025],
    [3, 0.998650102],
  ])('Φ(%d) = %d', (x, expected) => {
    expect(normalCdf(x)).toBeCloseTo(expected, 6);
  });
});

describe('mannKendall', () => {
  it('gives z and a two-sided p from S and n', () => {
    // n = 10: Var(S) = 10·9·25/18 = 125; S = 21 → z = 20/√125 ≈ 1.789.
    const { z, pValue } = mannKendall(21, 10);
    expect(z).toBeCloseTo(20 / Math.sqrt(125), 9);
    expect(pValue).toBeCloseTo(2 * (1 - normalCdf(20 / Math.sqrt(125))), 9);
    expect(mannKendall(-21, 10).z).toBeCloseTo(-z, 9);
  });

  it('finds nothing in S = 0 or fewer than three values', () => {
    expect(mannKendall(0, 50)).toEqual({ z: 0, pValue: 1 });
    expect(mannKendall(1, 2)).toEqual({ z: 0, pValue: 1 });
  });
});
