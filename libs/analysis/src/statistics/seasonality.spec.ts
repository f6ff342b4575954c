import { DAY_MS } from './regular-grid';
import { candidatePeriods, detrendByMovingAverage, hasCycle, phaseMedians } from './seasonality';
import { HOUR_MS, noise } from './testing/random';

const periods = (intervalMs: number, n: number) =>
  candidatePeriods(intervalMs, n).map((c) => `${c.name}:${c.period}`);

describe('candidatePeriods', () => {
  it('offers the calendar cycles that fit the interval and the length', () => {
    expect(periods(HOUR_MS, 2000)).toEqual(['daily:24', 'weekly:168']);
    expect(periods(5 * 60_000, 4000)).toEqual(['hourly:12', 'daily:288']);
    expect(periods(5 * 60_000, 4032)).toEqual(['hourly:12', 'daily:288', 'weekly:2016']);
    expect(periods(30 * 60_000, 20_000)).toEqual(['daily:48', 'weekly:336']);
    expect(periods(DAY_MS, 800)).toEqual(['weekly:7', 'yearly:365']);
    expect(periods(7 * DAY_MS, 200)).toEqual(['yearly:52']);
    expect(periods((365.2425 / 12) * DAY_MS, 48)).toEqual(['yearly:12']);
  });

  it('asks for two whole cycles: no yearly cycle on 18 months of days', () => {
    expect(periods(DAY_MS, 540)).toEqual(['weekly:7']);
  });
});

describe('detrendByMovingAverage', () => {
  it('removes a line exactly, with the 2×p average for an even period', () => {
    const x = Float64Array.from({ length: 30 }, (_v, i) => 3 + 2 * i);
    const d = detrendByMovingAverage(x, 4);
    expect(d[1]).toBeNaN();
    for (let i = 2; i < 28; i++) expect(d[i]).toBeCloseTo(0, 10);
  });
});

describe('hasCycle', () => {
  const sine = (n: number, period: number, amplitude: number, seed: number) => {
    const e = noise(n, seed);
    return Float64Array.from(
      { length: n },
      (_v, i) => amplitude * Math.sin((2 * Math.PI * i) / period) + e[i],
    );
  };

  it('finds a daily cycle in noisy hourly data', () => {
    const { found, acf } = hasCycle(sine(24 * 30, 24, 2, 1), 24);
    expect(found).toBe(true);
    expect(acf).toBeGreaterThan(0.5);
  });

  it('finds no cycle in white noise', () => {
    expect(hasCycle(noise(2000, 2), 24).found).toBe(false);
  });

  it('finds no cycle in strongly autocorrelated AR(1) noise, whose ACF only decays', () => {
    const e = noise(3000, 3);
    const ar = new Float64Array(3000);
    for (let i = 1; i < ar.length; i++) ar[i] = 0.9 * ar[i - 1] + e[i];
    expect(hasCycle(ar, 24).found).toBe(false);
  });
});

describe('phaseMedians', () => {
  it('recovers a repeating pattern, centred, despite a spike', () => {
    const pattern = [1, 5, 3, -1];
    const x = Float64Array.from({ length: 40 }, (_v, i) => 10 + pattern[i % 4]);
    x[9] = 500;
    const s = phaseMedians(x, 4);
    // The pattern's mean is 2: centred it is -1, 3, 1, -3.
    expect(Array.from(s.subarray(0, 4))).toEqual([-1, 3, 1, -3]);
    expect(s[9]).toBe(3);
  });
});
