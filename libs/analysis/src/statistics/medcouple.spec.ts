import { medcouple } from './medcouple';

describe('medcouple', () => {
  it('is 0 for symmetric data', () => {
    const symmetric = Float64Array.from({ length: 101 }, (_v, i) => (i - 50) ** 3);
    expect(medcouple(symmetric)).toBeCloseTo(0, 10);
  });

  it('is about 1/3 for the exponential distribution (Brys et al. 2004)', () => {
    const n = 2001;
    const exponential = Float64Array.from({ length: n }, (_v, i) => -Math.log(1 - (i + 0.5) / n));
    expect(medcouple(exponential)).toBeCloseTo(1 / 3, 1);
  });

  it('is negative for left-skewed data', () => {
    const n = 501;
    const left = Float64Array.from({ length: n }, (_v, i) => Math.log((i + 0.5) / n));
    expect(medcouple(left)).toBeLessThan(-0.2);
  });
});
