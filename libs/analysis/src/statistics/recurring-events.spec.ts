import { recurs } from './recurring-events';
import { analyseSeries } from './series-analysis';
import { MONDAY, noise, seeded } from './testing/random';

const FIVE_MINUTES = 300_000;
const DAY = 288;

describe('recurs', () => {
  const scores = new Float64Array(DAY * 6);
  const up = () => 1;
  it('needs the excursion in half of the other cycles, near the same phase', () => {
    for (const day of [0, 1, 3]) scores[day * DAY + 24 + day] = 10;
    // Days 1 and 3 of 5 others: 2 repeats, under half.
    expect(recurs(24, scores, up, [DAY], 5)).toBe(false);
    scores[4 * DAY + 22] = 10;
    expect(recurs(24, scores, up, [DAY], 5)).toBe(true);
    // Too small to count, or the other way.
    expect(recurs(24, scores, up, [DAY], 11)).toBe(false);
    expect(recurs(24, scores, (i) => (i === 24 ? 1 : -1), [DAY], 5)).toBe(false);
  });

  it('gives a phase no more slack than a fiftieth of the cycle', () => {
    const far = new Float64Array(DAY * 6);
    for (let day = 0; day < 6; day++) far[day * DAY + 100 + (day % 2) * 12] = 10;
    expect(recurs(100, far, up, [DAY], 5)).toBe(false);
  });
});

describe('analyseSeries and habits', () => {
  it('reports the one unusual spike, not a nightly job that spikes at about 02:00', () => {
    const days = 14;
    const e = noise(DAY * days, 61);
    const jitter = seeded(62);
    const job = new Set<number>();
    for (let day = 0; day < days; day++) job.add(day * DAY + 24 + Math.floor(jitter() * 5) - 2);
    const oneOff = 9 * DAY + 170; // day 9, 14:10
    const points = [...e].map((v, i) => ({
      t: MONDAY + i * FIVE_MINUTES,
      y: 50 + v + (job.has(i) ? 25 : 0) + (i === oneOff ? 40 : 0),
    }));
    const result = analyseSeries(points);
    expect(result.anomalies.map((a) => a.index)).toEqual([oneOff]);
  });
});
