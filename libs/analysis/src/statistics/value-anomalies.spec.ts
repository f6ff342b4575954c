import { noise, seeded } from './testing/random';
import { valueAnomalies } from './value-anomalies';

describe('valueAnomalies', () => {
  it('scores symmetric data on robust z and ranks the farthest first', () => {
    const values = Array.from(noise(500, 41), (v) => 50 + 5 * v);
    values[10] = 100;
    values[20] = 10;
    const result = valueAnomalies(values);
    expect(result.distribution).toBe('symmetric');
    expect(result.anomalies.map((a) => a.index)).toEqual([10, 20]);
    expect(result.anomalies[0].kind).toBe('high');
    expect(result.anomalies[0].expected).toBeCloseTo(50, 0);
    expect(result.anomalies[1].kind).toBe('low');
    expect(result.anomalies[0].reason).toMatch(
      /^value 100 is \d+(\.\d+)? robust SDs above the typical 49\.5$/,
    );
  });

  it('judges log-normal data on the log scale: a long tail is not a list of anomalies', () => {
    const values = Array.from(noise(1000, 42), (v) => Math.exp(1 + v));
    const result = valueAnomalies(values);
    expect(result.distribution).toBe('skewed');
    // On the raw scale robust z would flag dozens of the tail's values.
    expect(result.anomaliesFound).toBeLessThanOrEqual(1);
    values[5] = Math.exp(1 + 7);
    expect(valueAnomalies(values).anomalies[0].index).toBe(5);
  });

  it('flags the far tail of exponential data, which a log scale would hide', () => {
    const random = seeded(46);
    // Exponential, mean 5: P(X > 60) = e^{-12}; the log-scale band would reach past 250.
    const values = Array.from({ length: 1000 }, () => -5 * Math.log(1 - random()));
    values[10] = 80;
    const result = valueAnomalies(values);
    expect(result.distribution).toBe('skewed');
    expect(result.anomalies.map((a) => a.index)).toEqual([10]);
  });

  it('treats zeros as normal in zero-inflated data and scores the rest among themselves', () => {
    // Rain-like: 60 % dry days, wet days log-normal around 4 mm, and one 300 mm day.
    const random = seeded(43);
    const values = Array.from(noise(1500, 44), (v) =>
      random() < 0.6 ? 0 : Math.exp(1.4 + 0.8 * v),
    );
    values[700] = 300;
    const result = valueAnomalies(values);
    expect(result.distribution).toBe('zero_inflated');
    expect(result.anomalies.map((a) => a.index)).toEqual([700]);
    expect(result.anomalies[0].reason).toContain('among the non-zero values');
  });

  it('flags a burst in sparse counts whose values are mostly tied at 1', () => {
    // Mentions per five minutes: 75 % none, and of the rest 70 % one, 20 % two, a few
    // more. The medcouple of such ties is near 1, which would put the fence past 60.
    const random = seeded(47);
    const values = Array.from({ length: 4000 }, () => {
      if (random() < 0.75) return 0;
      const u = random();
      return u < 0.7 ? 1 : u < 0.9 ? 2 : u < 0.97 ? 3 : 4 + Math.floor(random() * 4);
    });
    values[2500] = 40;
    const result = valueAnomalies(values);
    expect(result.distribution).toBe('zero_inflated');
    expect(result.anomalies.map((a) => a.index)).toEqual([2500]);
    expect(result.anomalies[0].upper).toBeLessThan(25);
  });

  it('cuts at maxAnomalies and says so', () => {
    const values = Array.from(noise(300, 45), (v) => v);
    for (let i = 0; i < 5; i++) values[i] = 50 + i;
    const result = valueAnomalies(values, { maxAnomalies: 3 });
    expect(result.anomaliesFound).toBe(5);
    expect(result.anomalies.map((a) => a.index)).toEqual([4, 3, 2]);
    expect(result.truncated).toBe(true);
  });

  it('finds nothing in a constant column', () => {
    expect(valueAnomalies([3, 3, 3, 3])).toEqual({
      distribution: 'constant',
      anomalies: [],
      anomaliesFound: 0,
      truncated: false,
    });
  });
});
