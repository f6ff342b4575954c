import { ANOMALY_SDS, remainderAnomalies, type AnomalyInput } from './series-anomalies';
import { HOUR_MS, MONDAY, noise } from './testing/random';

function input(remainder: Float64Array, fitted = new Float64Array(remainder.length)): AnomalyInput {
  return {
    values: remainder.map((r, i) => fitted[i] + r),
    times: Float64Array.from(remainder, (_r, i) => MONDAY + i * HOUR_MS),
    observed: () => true,
    fitted,
    remainder,
    bounds: [0],
    seasons: ['daily'],
    intervalMs: HOUR_MS,
    cycles: [],
    window: 96,
  };
}

describe('remainderAnomalies', () => {
  it('shows a spike in a quiet stretch and does not flood from a noisy one', () => {
    const e = noise(2000, 21);
    // Quiet noise (SD 1), then a stretch ten times noisier, then quiet again.
    const r = e.map((v, i) => (i >= 800 && i < 1200 ? 10 * v : v));
    r[400] += 8;
    r[1600] += 40;
    // The pipeline passes the variance changes as bounds of the rolling baseline.
    const found = remainderAnomalies({ ...input(r), bounds: [0, 800, 1200] });
    expect(found.map((a) => a.index).slice(0, 2)).toEqual([1600, 400]);
    // 8 is within the range the noisy stretch spans: unusual here, not extreme overall.
    expect(found.map((a) => a.kind).slice(0, 2)).toEqual(['spike', 'contextual']);
    // One global threshold (4 SDs of the whole) flags dozens in the noisy stretch; here only chance ones.
    const global = r.filter((v, i) => i >= 800 && i < 1200 && Math.abs(v) > 4 * 1.4826);
    expect(global.length).toBeGreaterThan(20);
    expect(found.filter((a) => a.index >= 800 && a.index < 1200).length).toBeLessThanOrEqual(2);
  });

  it('reports a run of flagged points once, at its peak, with its band and reason', () => {
    const r = noise(1000, 22).map((v) => 0.5 * v);
    r[500] = -10;
    r[501] = -12;
    r[502] = -9;
    const fitted = new Float64Array(1000).fill(40);
    const [event] = remainderAnomalies(input(r, fitted));
    expect(event.index).toBe(501);
    expect(event.kind).toBe('dip');
    expect(event.expected).toBeCloseTo(40, 0);
    expect(event.upper - event.expected).toBeCloseTo(event.expected - event.lower, 9);
    expect(28).toBeLessThan(event.lower);
    // MONDAY + 501 h = Thursday 2024-01-18 21:00.
    expect(event.reason).toMatch(
      /^value 28 is \d+(\.\d+)? robust SDs below the expected 40 at 21:00$/,
    );
  });

  it('calls a value contextual when it is ordinary overall but wrong for its time', () => {
    const n = 24 * 30;
    const fitted = Float64Array.from(
      { length: n },
      (_v, i) => 10 * Math.sin((2 * Math.PI * i) / 24),
    );
    const r = noise(n, 23).map((v) => 0.5 * v);
    // At the daily peak (+10) the value of the trough (−10): a normal value at the wrong hour.
    const peak = 24 * 10 + 6;
    r[peak] -= 20;
    const [event] = remainderAnomalies(input(r, fitted));
    expect(event.index).toBe(peak);
    expect(event.kind).toBe('contextual');
    expect(event.score).toBeGreaterThan(ANOMALY_SDS);
    expect(event.reason).toContain('ordinary for the series overall');
  });

  it('never reports an interpolated point', () => {
    const r = noise(500, 24).map((v) => 0.5 * v);
    r[250] = 50;
    const found = remainderAnomalies({ ...input(r), observed: (i) => i !== 250 });
    expect(found.map((a) => a.index)).not.toContain(250);
    expect(remainderAnomalies(input(r))[0].index).toBe(250);
  });
});
