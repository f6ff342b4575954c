import { levelShifts, varianceChanges, withoutExcursions } from './change-points';
import { noise } from './testing/random';

describe('levelShifts', () => {
  it('finds a step of 4 noise SDs where it is, with its signed size', () => {
    const e = noise(600, 11);
    const x = e.map((v, i) => v + (i >= 350 ? 4 : 0));
    const shifts = levelShifts(x, 1, 20);
    expect(shifts).toHaveLength(1);
    expect(Math.abs(shifts[0].index - 350)).toBeLessThanOrEqual(3);
    expect(shifts[0].step).toBeGreaterThan(3);
  });

  it('does not cut a steady trend into stairs', () => {
    const e = noise(600, 12);
    const x = e.map((v, i) => v + 0.05 * i);
    expect(levelShifts(x, 1, 20)).toEqual([]);
  });

  it('finds nothing in noise', () => {
    expect(levelShifts(noise(2000, 13), 1, 20)).toEqual([]);
  });

  it('asks for more evidence when the noise is autocorrelated', () => {
    // AR(1), ρ = 0.8: slow swells that independent-noise segmentation would call shifts.
    const e = noise(3000, 14);
    const ar = new Float64Array(3000);
    for (let i = 1; i < ar.length; i++) ar[i] = 0.8 * ar[i - 1] + 0.6 * e[i];
    expect(levelShifts(ar, 0.6, 20, 0.8)).toEqual([]);
  });
});

describe('change points in a wandering series', () => {
  // A random walk: each step a small noise, so the level drifts without any change of regime.
  const walk = (n: number, seed: number, size: number) => {
    const e = noise(n, seed);
    const x = new Float64Array(n);
    for (let i = 1; i < n; i++) x[i] = x[i - 1] + size * e[i];
    return x;
  };

  it('does not cut a random walk into level shifts', () => {
    const e = noise(6000, 32);
    const x = walk(6000, 31, 0.5).map((v, i) => v + e[i]);
    expect(levelShifts(x, 1, 60, 0.3)).toEqual([]);
  });

  it('still finds a step far beyond the wander', () => {
    const e = noise(6000, 34);
    const x = walk(6000, 33, 0.05).map((v, i) => v + e[i] + (i >= 4000 ? 8 : 0));
    const shifts = levelShifts(x, 1, 60, 0.1);
    expect(shifts.map((s) => Math.round(s.index / 100))).toEqual([40]);
  });

  it('does not read a spread that swells and ebbs as changes of variance, but sees a jump', () => {
    // The SD drifts between 0.6 and 1.6 over 1,000 points, again and again.
    const x = noise(6000, 36).map((v, i) => v * Math.exp(0.5 * Math.sin((2 * Math.PI * i) / 1000)));
    expect(varianceChanges(x, 1, 60)).toEqual([]);
    const jump = x.map((v, i) => (i >= 4000 ? 4 * v : v));
    expect(varianceChanges(jump, 1, 60).map((c) => Math.round(c.index / 100))).toEqual([40]);
  });
});

describe('withoutExcursions', () => {
  it('drops a step out and back within the span, keeps a lasting one', () => {
    const e = noise(1000, 15);
    const x = e.map((v, i) => v + (i >= 300 && i < 340 ? -8 : 0) + (i >= 700 ? 5 : 0));
    const shifts = levelShifts(x, 1, 20);
    expect(shifts.map((s) => s.index).length).toBe(3);
    const kept = withoutExcursions(shifts, x, 80, 20);
    expect(kept).toHaveLength(1);
    expect(Math.abs(kept[0].index - 700)).toBeLessThanOrEqual(3);
  });
});

describe('varianceChanges', () => {
  it('finds the spread tripling, with the ratio as its score', () => {
    const e = noise(2000, 16);
    const x = e.map((v, i) => (i >= 1200 ? 3 * v : v));
    const changes = varianceChanges(x, 1, 60);
    expect(changes).toHaveLength(1);
    expect(Math.abs(changes[0].index - 1200)).toBeLessThanOrEqual(30);
    expect(changes[0].score).toBeGreaterThan(2.5);
  });

  it('is not fooled by a few spikes in steady noise', () => {
    const x = noise(2000, 17);
    for (const i of [300, 900, 1500]) x[i] += 30;
    expect(varianceChanges(x, 1, 60)).toEqual([]);
  });
});
