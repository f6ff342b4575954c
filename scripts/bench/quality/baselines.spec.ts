import { globalZScore, upperTail, windowedGaussian } from './baselines';
import { sightlineBefore } from './sightline-before';

describe('upperTail', () => {
  it('matches Q(z) = erfc(z/√2)/2 to double precision in the far tail', () => {
    // Reference values from R: pnorm(z, lower.tail = FALSE).
    expect(upperTail(5) / 2.866515718791939e-7).toBeCloseTo(1, 12);
    expect(upperTail(8) / 6.220960574271785e-16).toBeCloseTo(1, 12);
  });
});

describe('windowedGaussian', () => {
  it('flags a jump far beyond the trailing window, not the ordinary noise', () => {
    // A repeating ±1 pattern (sd ≈ 0.82), then one value 20 above: z ≈ 24.
    const values = Array.from({ length: 500 }, (_, i) => (i % 3) - 1);
    values[400] = 20;
    // Index 1 also qualifies: after one point the window's sd is NAB's 1e-6 floor.
    expect(windowedGaussian(values)).toEqual([1, 400]);
  });
});

describe('globalZScore', () => {
  it('flags points more than 3 sd from the mean', () => {
    const values = Array.from({ length: 100 }, (_, i): number => (i % 2 === 0 ? 1 : -1));
    values[30] = 12;
    expect(globalZScore(values)).toEqual([30]);
    expect(globalZScore([5, 5, 5])).toEqual([]);
  });
});

describe('sightlineBefore', () => {
  it('tests residuals from the line over time: a trend is not an anomaly, a spike is', () => {
    const t = Array.from({ length: 200 }, (_, i) => i * 60_000);
    const y = t.map((_, i) => 10 + 0.5 * i + ((i * 7) % 5) - 2);
    y[120] = (y[120] ?? 0) + 40;
    expect(sightlineBefore(t, y)).toEqual([120]);
  });

  it('reports at most 50, the farthest first', () => {
    const t = Array.from({ length: 1000 }, (_, i) => i * 1000);
    const y = t.map((_, i) => (i % 10 === 0 ? 100 + i : (i % 3) - 1));
    const found = sightlineBefore(t, y);
    expect(found).toHaveLength(50);
    expect(found[0]).toBe(990);
  });
});
