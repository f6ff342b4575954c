import { mad, median, quantileSorted, robustScale, rollingRobust, sortedCopy } from './robust';

describe('median and quantiles', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('agrees with sorting on values with many ties', () => {
    const values = Array.from({ length: 101 }, (_v, i) => (i * 37) % 7);
    expect(median(values)).toBe(quantileSorted(sortedCopy(values), 0.5));
  });

  it('interpolates quantiles linearly (R type 7)', () => {
    expect(quantileSorted([0, 10, 20, 30], 0.25)).toBe(7.5);
    expect(quantileSorted([0, 10, 20, 30], 1)).toBe(30);
  });
});

describe('robustScale', () => {
  it('is 1.4826 × MAD', () => {
    // Deviations from 3: 2, 1, 0, 1, 7 → MAD = 1.
    expect(mad([1, 2, 3, 4, 10], 3)).toBe(1);
    expect(robustScale([1, 2, 3, 4, 10], 3)).toBeCloseTo(1.4826, 10);
  });

  it('falls back to the mean absolute deviation × √(π/2) when MAD is 0', () => {
    // Six of eight values at the median: MAD = 0; mean |deviation| = 8/8 = 1.
    expect(robustScale([5, 5, 5, 5, 5, 5, 1, 9], 5)).toBeCloseTo(Math.sqrt(Math.PI / 2), 10);
    expect(robustScale([2, 2, 2], 2)).toBe(0);
  });
});

describe('rollingRobust', () => {
  it('follows a step without smearing it across a bound', () => {
    const x = Float64Array.from({ length: 200 }, (_v, i) => (i < 100 ? 0 : 10));
    const cut = rollingRobust(x, 41, median, [0, 100]);
    expect(cut[99]).toBe(0);
    expect(cut[100]).toBe(10);
    // Without the bound, the rolling median moves at the step, within half a window.
    const uncut = rollingRobust(x, 41, median);
    expect(uncut[60]).toBe(0);
    expect(uncut[140]).toBe(10);
  });

  it('ignores a spike shorter than half the window', () => {
    const x = Float64Array.from({ length: 100 }, (_v, i) => i);
    x[50] = 1000;
    const level = rollingRobust(x, 21, median);
    // The window 40..60 without its spike has median 50; with it, the next value up.
    expect(level[50]).toBe(51);
  });
});
