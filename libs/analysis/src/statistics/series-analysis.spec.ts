import { analyseSeries, type SeriesPoint } from './series-analysis';
import {
  DAY_MS,
  gaussian as gaussianNoise,
  HOUR_MS,
  MONDAY,
  noise,
  seeded,
} from './testing/random';

/** Hourly points from Monday 2024-01-01: a daily sine (peak at 18:00), weekends 4 lower. */
function hourly(n: number, seed: number, extra: (i: number) => number = () => 0): SeriesPoint[] {
  const e = noise(n, seed);
  return Array.from({ length: n }, (_v, i) => {
    const t = MONDAY + i * HOUR_MS;
    const weekend = Math.floor(i / 24) % 7 >= 5 ? -4 : 0;
    return { t, y: 100 + 5 * Math.sin((2 * Math.PI * (i - 12)) / 24) + weekend + e[i] + extra(i) };
  });
}

describe('analyseSeries', () => {
  it('finds the daily and weekly seasons, a spike and a level shift, each where it is', () => {
    const spike = 24 * 20 + 14; // Sunday 2024-01-21 14:00
    const shift = 24 * 45;
    const points = hourly(24 * 70, 51, (i) => (i === spike ? 12 : 0) + (i >= shift ? 6 : 0));
    const result = analyseSeries(points);
    expect(result.intervalMs).toBe(HOUR_MS);
    expect(result.seasonality.map((s) => s.period).sort((a, b) => a - b)).toEqual([24, 168]);
    const daily = result.seasonality.find((s) => s.name === 'daily');
    expect(daily?.strength).toBeGreaterThan(0.8);
    expect(daily?.profile).toHaveLength(24);
    expect(daily?.profile[18].label).toBe('18');

    expect(result.anomalies[0].index).toBe(spike);
    expect(result.anomalies[0].kind).toBe('spike');
    expect(result.anomalies[0].reason).toContain('for a Sunday at 14:00');
    expect(result.anomalies[0].value).toBe(points[spike].y);

    const shifts = result.changePoints.filter((c) => c.kind === 'level_shift');
    expect(shifts).toHaveLength(1);
    expect(Math.abs(shifts[0].index - shift)).toBeLessThanOrEqual(3);
    expect(shifts[0].after.mean - shifts[0].before.mean).toBeCloseTo(6, 0);
    expect(shifts[0].reason).toMatch(/^the level moves from \S+ to \S+ \(up \S+, a step of/);
    // The shift is a change point, not a run of anomalies after it.
    expect(result.anomalies.filter((a) => Math.abs(a.index - shift) < 48)).toHaveLength(0);
  });

  it('reports the yearly cycle of daily data with monthly means, and the trend under it', () => {
    const n = 4 * 365;
    const e = noise(n, 52);
    const start = Date.UTC(2012, 0, 1);
    const points = Array.from({ length: n }, (_v, i) => ({
      t: start + i * DAY_MS,
      y: 16 - 9 * Math.cos((2 * Math.PI * (i - 20)) / 365.25) + 0.004 * i + 2 * e[i],
    }));
    const result = analyseSeries(points);
    const yearly = result.seasonality.find((s) => s.name === 'yearly');
    expect(yearly?.period).toBe(365);
    expect(yearly?.profile.map((p) => p.label)).toHaveLength(12);
    const means = new Map(yearly?.profile.map((p) => [p.label, p.mean]));
    expect(means.get('Jul')).toBeGreaterThan((means.get('Jan') ?? 0) + 15);
    expect(result.trend.method).toBe('seasonal-mann-kendall');
    expect(result.trend.direction).toBe('increasing');
    expect(result.trend.slopePerDay).toBeCloseTo(0.004, 2);
  });

  it('finds no structure in white noise', () => {
    const e = noise(2000, 53);
    const points = Array.from(e, (y, i) => ({ t: MONDAY + i * HOUR_MS, y }));
    const result = analyseSeries(points);
    expect(result.seasonality).toEqual([]);
    expect(result.changePoints).toEqual([]);
    expect(result.trend.direction).toBe('none');
    expect(result.anomaliesFound).toBeLessThanOrEqual(2);
  });

  it('returns the top maxAnomalies with the total and truncated', () => {
    const spikes = [300, 500, 700, 900, 1100];
    const points = hourly(24 * 60, 54, (i) =>
      spikes.includes(i) ? 15 + 5 * spikes.indexOf(i) : 0,
    );
    const result = analyseSeries(points, { maxAnomalies: 3 });
    expect(result.anomalies.map((a) => a.index)).toEqual([1100, 900, 700]);
    expect(result.anomaliesFound).toBeGreaterThanOrEqual(5);
    expect(result.truncated).toBe(true);
  });

  it('maps grid positions back to input indexes across missing readings', () => {
    const points = hourly(24 * 40, 55, (i) => (i === 600 ? 15 : 0));
    const kept = points.filter((_p, i) => i % 10 !== 3);
    const result = analyseSeries(kept);
    expect(result.gaps.filled).toBe(96);
    expect(kept[result.anomalies[0].index].t).toBe(points[600].t);
  });

  it('answers very short series without structure', () => {
    const result = analyseSeries([
      { t: 0, y: 1 },
      { t: HOUR_MS, y: 2 },
    ]);
    expect(result.n).toBe(2);
    expect(result.seasonality).toEqual([]);
    expect(result.anomalies).toEqual([]);
  });

  it('finds both seasons of 20,000 hourly points (the size the agents bucket long series to)', () => {
    const result = analyseSeries(hourly(20_000, 56));
    expect(result.seasonality.map((s) => s.name).sort()).toEqual(['daily', 'weekly']);
  });

  it('reports no ordinary wet day of a zero-inflated series, only the cloudburst', () => {
    const random = seeded(11);
    // Daily rain: dry 60 % of days, else exponential with mean 5 mm; one 80 mm day.
    const burst = 400;
    const points = Array.from({ length: 730 }, (_v, i) => ({
      t: MONDAY + i * DAY_MS,
      y: i === burst ? 80 : random() < 0.6 ? 0 : -5 * Math.log(1 - random()),
    }));
    const result = analyseSeries(points);
    expect(result.distribution).toBe('zero_inflated');
    // Wet and dry stretches are not regimes of a noise the zeros leave unmeasurable.
    expect(result.changePoints).toEqual([]);
    const wet = points
      .filter((p) => p.y > 0)
      .map((p) => p.y)
      .sort((a, b) => a - b);
    const p99 = wet[Math.floor(0.99 * (wet.length - 1))];
    expect(result.anomalies.map((a) => a.index)).toContain(burst);
    for (const anomaly of result.anomalies) expect(anomaly.value).toBeGreaterThan(p99);
  });

  it('raises few alarms on a long heavy-tailed series with nothing planted', () => {
    const random = seeded(12);
    // Student-t-like noise (a Gaussian over a random scale): spikes are its normal state.
    const points = Array.from({ length: 10_000 }, (_v, i) => ({
      t: MONDAY + i * HOUR_MS,
      y: 50 + gaussianNoise(random) / Math.sqrt(-Math.log(1 - random())),
    }));
    expect(analyseSeries(points).anomaliesFound).toBeLessThanOrEqual(10);
  });
  it('does not report a cycle that explains next to none of the variation', () => {
    // A faint daily sine under frequent large spikes: visible to the clipped autocorrelation,
    // about 1 % of the variance.
    const n = 288 * 14;
    const e = noise(n, 71);
    const random = seeded(72);
    const points = [...e].map((v, i) => ({
      t: MONDAY + i * 300_000,
      y: 10 + Math.sin((2 * Math.PI * i) / 288) + 0.5 * v + (random() < 0.03 ? 50 : 0),
    }));
    expect(analyseSeries(points).seasonality).toEqual([]);
  });
});
