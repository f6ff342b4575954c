import { DAY_MS, regularGrid, samplingInterval } from './regular-grid';

const HOUR = 3_600_000;

describe('samplingInterval', () => {
  it('is the median positive gap', () => {
    expect(samplingInterval([0, HOUR, 2 * HOUR, 3 * HOUR, 10 * HOUR])).toBe(HOUR);
  });

  it('snaps calendar months (28–31 days) to the mean month', () => {
    const months = Array.from({ length: 24 }, (_v, i) => Date.UTC(2020, i, 1));
    expect(samplingInterval(months)).toBeCloseTo((365.2425 / 12) * DAY_MS, 0);
  });
});

describe('regularGrid', () => {
  it('fills a missing slot by linear interpolation and marks it', () => {
    const grid = regularGrid([0, HOUR, 3 * HOUR, 4 * HOUR], [1, 2, 6, 8]);
    expect(Array.from(grid.values)).toEqual([1, 2, 4, 6, 8]);
    expect(Array.from(grid.sourceIndex)).toEqual([0, 1, -1, 2, 3]);
    expect(grid.times[2]).toBe(2 * HOUR);
    expect(grid.filled).toBe(1);
    expect(grid.longestGap).toBe(1);
  });

  it('places calendar months one per slot across years without drift', () => {
    const times = Array.from({ length: 36 }, (_v, i) => Date.UTC(2019, i, 1));
    const grid = regularGrid(
      times,
      times.map((_t, i) => i),
    );
    expect(grid.values.length).toBe(36);
    expect(grid.filled).toBe(0);
  });

  it('averages points that round onto the same slot', () => {
    const grid = regularGrid([0, HOUR, HOUR + 60_000, 2 * HOUR, 3 * HOUR], [0, 2, 4, 6, 8]);
    expect(grid.values[1]).toBe(3);
  });

  it('keeps every point as its own slot when the times are too sparse for a grid', () => {
    const grid = regularGrid([0, 1000, 2000, 1e12], [1, 2, 3, 4]);
    expect(grid.irregular).toBe(true);
    expect(grid.values.length).toBe(4);
  });
});
