import { spreadChanges } from './spread-changes';
import { noise } from './testing/random';

const PERIOD = 240;
/** Noise three times as wide in the busy half of each cycle as in the calm half. */
function dayAndNight(n: number, seed: number): Float64Array {
  const e = noise(n, seed);
  return e.map((v, i) => v * (i % PERIOD < PERIOD / 2 ? 0.5 : 1.5));
}
const everySlot = () => true;

describe('spreadChanges', () => {
  it('does not read a season of spread (calm nights, busy days) as changes', () => {
    expect(spreadChanges(dayAndNight(2400, 21), everySlot, [PERIOD], 1, 30, 0)).toEqual([]);
  });

  it('still finds a change of regime across every phase of the season', () => {
    const x = dayAndNight(2400, 22).map((v, i) => (i >= 1500 ? 4 * v : v));
    // Left in, the daily swing of spread is the wander the change must stand out from.
    expect(spreadChanges(x, everySlot, [], 1, 30, 0)).toEqual([]);
    const changes = spreadChanges(x, everySlot, [PERIOD], 1, 30, 0);
    expect(changes).toHaveLength(1);
    expect(Math.abs(changes[0].index - 1500)).toBeLessThanOrEqual(PERIOD);
    expect(changes[0].score).toBeGreaterThan(2);
  });

  it('ignores a gap filled by interpolation, and maps indexes back to the grid', () => {
    const x = noise(2000, 23);
    const gap = (i: number) => i >= 800 && i < 1000;
    // Interpolated slots carry no noise: a straight line across the gap.
    const filled = x.map((v, i) => (gap(i) ? 0 : v));
    expect(spreadChanges(filled, everySlot, [], 1, 30, 0).length).toBeGreaterThan(0);
    expect(spreadChanges(filled, (i) => !gap(i), [], 1, 30, 0)).toEqual([]);

    const wider = filled.map((v, i) => (i >= 1400 ? 3 * v : v));
    const [change] = spreadChanges(wider, (i) => !gap(i), [], 1, 30, 0);
    expect(Math.abs((change?.index ?? 0) - 1400)).toBeLessThanOrEqual(10);
  });
});
