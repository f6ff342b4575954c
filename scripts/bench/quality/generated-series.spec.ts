import { generatedSeries, mulberry32 } from './generated-series';
import { probationaryLength } from './nab-score';

describe('mulberry32', () => {
  it('is deterministic and uniform enough: same seed, same draws; mean near 1/2', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((s, v) => s + v, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});

describe('generatedSeries', () => {
  const set = generatedSeries();

  it('gives the same set for the same seed and another for another seed', () => {
    expect(generatedSeries()[5]?.y).toEqual(set[5]?.y);
    expect(generatedSeries(1)[5]?.y).not.toEqual(set[5]?.y);
  });

  it('plants every event past the probationary period, inside the series, ascending times', () => {
    for (const series of set) {
      const n = series.y.length;
      const { levelShifts, varianceChanges, spikes, contextual } = series.truth;
      for (const i of [...levelShifts, ...varianceChanges, ...spikes, ...contextual]) {
        expect(i).toBeGreaterThanOrEqual(probationaryLength(n));
        expect(i).toBeLessThan(n);
      }
      expect(series.t.every((t, i) => i === 0 || t > (series.t[i - 1] ?? t))).toBe(true);
      expect(series.y.every(Number.isFinite)).toBe(true);
    }
  });

  it('makes contextual anomalies ordinary values: within the range of the rest of the series', () => {
    const withContext = set.filter((s) => s.truth.contextual.length > 0);
    expect(withContext.length).toBeGreaterThan(0);
    for (const series of withContext) {
      const planted = new Set([...series.truth.contextual, ...series.truth.spikes]);
      const rest = series.y.filter((_, i) => !planted.has(i));
      for (const i of series.truth.contextual) {
        expect(series.y[i]).toBeGreaterThan(Math.min(...rest));
        expect(series.y[i]).toBeLessThan(Math.max(...rest));
      }
    }
  });

  it('keeps the planted points of a series with gaps, re-indexed', () => {
    const gapped = set.find((s) => s.name.startsWith('gaps'));
    expect(gapped).toBeDefined();
    if (gapped === undefined) return;
    const hourly = (gapped.t[gapped.t.length - 1] - gapped.t[0]) / 3_600_000 + 1;
    expect(gapped.y.length).toBeLessThan(hourly);
    expect(gapped.truth.spikes).toHaveLength(4);
    expect(gapped.truth.spikes.every((i) => i >= 0)).toBe(true);
  });
});
