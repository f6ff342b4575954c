import {
  candidateBounds,
  type ColumnSpread,
  IQR_FENCE,
  ordinaryBand,
  ROBUST_Z_LIMIT,
} from './anomaly-band';

const spread = (overrides: Partial<ColumnSpread> = {}): ColumnSpread => ({
  median: 10,
  q1: 8,
  q3: 12,
  mad: 2,
  ...overrides,
});

/** The test the SQL runs on a tested value, in the same float8 arithmetic. */
function anomalous(value: number, s: ColumnSpread): boolean {
  return (
    (s.mad > 0 && (0.6745 * Math.abs(value - s.median)) / s.mad > ROBUST_Z_LIMIT) ||
    value < s.q1 - IQR_FENCE * (s.q3 - s.q1) ||
    value > s.q3 + IQR_FENCE * (s.q3 - s.q1)
  );
}

describe('candidateBounds', () => {
  it('takes the robust-z limit where it is nearer the median than the fences', () => {
    // z limit: 10 ± 3.5 · 2 / 0.6745 ≈ 10 ± 10.38; fences: 8 − 12 = −4 and 12 + 12 = 24.
    const { lower, upper } = candidateBounds(spread());
    expect(lower).toBeCloseTo(10 - (3.5 * 2) / 0.6745, 6);
    expect(upper).toBeCloseTo(10 + (3.5 * 2) / 0.6745, 6);
  });

  it('takes the fences alone when MAD is 0', () => {
    const s = spread({ median: 5, q1: 5, q3: 5, mad: 0 });
    expect(candidateBounds(s)).toEqual({ lower: 5, upper: 5 });
    // A constant column has no candidate at all: nothing is below 5 or above 5.
    expect(anomalous(5, s)).toBe(false);
  });

  it('widens nothing but the robust-z limit, and only inwards', () => {
    const band = ordinaryBand(spread());
    const { lower, upper } = candidateBounds(spread());
    expect(lower).toBeGreaterThan(band.low);
    expect(upper).toBeLessThan(band.high);
    expect(lower - band.low).toBeLessThan(1e-6);
  });

  it('leaves no anomaly inside the bounds, even at the limit itself', () => {
    for (const s of [
      spread(),
      spread({ median: 1e9 + 0.1, q1: 1e9 - 3, q3: 1e9 + 3, mad: 2.9 }),
      spread({ median: -0.003, q1: -0.01, q3: 0.02, mad: 1e-7 }),
    ]) {
      const { lower, upper } = candidateBounds(s);
      const limit = (ROBUST_Z_LIMIT * s.mad) / 0.6745;
      for (const base of [s.median - limit, s.median + limit, lower, upper]) {
        // Values within a few units in the last place of the limit, where rounding decides.
        for (let step = -8; step <= 8; step++) {
          const value = base + step * Number.EPSILON * Math.max(1, Math.abs(base));
          if (anomalous(value, s)) expect(value < lower || value > upper).toBe(true);
        }
      }
    }
  });
});
