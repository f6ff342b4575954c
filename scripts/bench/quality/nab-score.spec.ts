import { nabFileScore, nabNormalised, probationaryLength } from './nab-score';

// scaledSigmoid(x) = 2/(1 + e^{5x}) − 1, as NAB defines it.
const sigmoid = (x: number) => 2 / (1 + Math.exp(5 * x)) - 1;

describe('nabFileScore (NAB standard profile: tp 1, fp 0.11, fn 1)', () => {
  const n = 1000; // probation: the first 150 points
  const windows = [{ start: 400, end: 499 }];

  it('scores no detections as −1 per window', () => {
    expect(nabFileScore(n, [], windows)).toEqual({ score: -1, tp: 0, fp: 0 });
  });

  it('scores a detection at the left edge of a window as 1, later ones less', () => {
    expect(nabFileScore(n, [400], windows).score).toBeCloseTo(1, 12);
    // Halfway: relative position −0.5 (−(499 − 450 + 1)/100), weighted by 1/maxTP.
    expect(nabFileScore(n, [450, 451], windows).score).toBeCloseTo(sigmoid(-0.5) / sigmoid(-1), 12);
  });

  it('charges 0.11 for each point before the first window, nothing in probation', () => {
    const result = nabFileScore(n, [10, 200, 201, 400], windows);
    expect(result).toEqual({ score: expect.any(Number) as number, tp: 1, fp: 2 });
    expect(result.score).toBeCloseTo(1 - 2 * 0.11, 12);
  });

  it('weights a point after a window by its distance relative to the window width', () => {
    // 49.5 points past the right edge of a 100-point window: position |499 − 549| / 99.
    const result = nabFileScore(n, [549], windows);
    expect(result.score).toBeCloseTo(-1 + sigmoid(50 / 99) * 0.11, 12);
  });

  it('uses NAB’s probation length, min(⌊0.15·n⌋, 750)', () => {
    expect(probationaryLength(1000)).toBe(150);
    expect(probationaryLength(22_000)).toBe(750);
  });
});

describe('nabNormalised', () => {
  it('puts the null detector at 0 and a perfect one at 100', () => {
    expect(nabNormalised(-10, -10, 10)).toBe(0);
    expect(nabNormalised(10, -10, 10)).toBe(100);
    expect(nabNormalised(0, -10, 10)).toBe(50);
  });
});
