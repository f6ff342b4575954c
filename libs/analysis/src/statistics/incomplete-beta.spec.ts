import { regularizedBeta, studentTTwoSided } from './incomplete-beta';

// Reference values: R's pbeta and 2 * pt(-|t|, df), the same as SciPy's betainc and t.sf.
describe('regularizedBeta', () => {
  it('matches pbeta on both sides of the mean', () => {
    expect(regularizedBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 12); // a polynomial: exact
    expect(regularizedBeta(0.9, 0.5, 0.5)).toBeCloseTo(0.7951672353008665, 12);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });
});

describe('studentTTwoSided', () => {
  it.each([
    [2, 10, 0.07338803477074037],
    [1, 1, 0.5], // Cauchy: P(|T| ≥ 1) = ½
    [1.9843134832984428, 7, 0.08762282904140249],
  ])('t = %d on %d df', (t, df, expected) => {
    expect(studentTTwoSided(t, df)).toBeCloseTo(expected, 12);
    expect(studentTTwoSided(-t, df)).toBeCloseTo(expected, 12);
  });

  it('keeps its relative precision far in the tail', () => {
    expect(studentTTwoSided(15, 1459) / 2.0739294540646043e-47).toBeCloseTo(1, 6);
    expect(studentTTwoSided(Infinity, 5)).toBe(0);
  });
});
