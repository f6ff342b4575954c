import { exactMoments, seededRandom, unevenChunks } from './testing/reference';
import { Welford } from './welford';

function relativeError(actual: number | null, expected: number | null): number {
  if (actual === null || expected === null) return actual === expected ? 0 : Infinity;
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

function welfordOf(values: readonly number[]): Welford {
  const welford = new Welford();
  values.forEach((x) => welford.add(x));
  return welford;
}

describe('Welford', () => {
  const random = seededRandom(1);
  const datasets: Record<string, number[]> = {
    uniform: Array.from({ length: 100_000 }, () => random() * 1000 - 500),
    // A large offset with a small spread: where Σx² − n·mean² loses every digit.
    'offset 1e9, spread 1': Array.from({ length: 100_000 }, () => 1e9 + random()),
    integers: Array.from({ length: 100_000 }, () => Math.floor(random() * 1e6)),
    'lognormal (skewed)': Array.from({ length: 100_000 }, () =>
      Math.exp(3 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
    ),
  };

  it.each(Object.keys(datasets))('matches a two-pass computation within 1e-9 (%s)', (name) => {
    const values = datasets[name];
    const expected = exactMoments(values);
    const welford = welfordOf(values);
    expect(welford.count).toBe(values.length);
    expect(relativeError(welford.mean, expected.mean)).toBeLessThan(1e-9);
    expect(relativeError(welford.stddev, expected.stddev)).toBeLessThan(1e-9);
  });

  it.each(Object.keys(datasets))('merges 7 uneven chunks to the one-pass moments (%s)', (name) => {
    const values = datasets[name];
    const expected = exactMoments(values);
    const merged = unevenChunks(values, 7)
      .map((chunk) => Welford.fromJSON(JSON.parse(JSON.stringify(welfordOf(chunk)))))
      .reduce((a, b) => a.merge(b), new Welford());
    expect(merged.count).toBe(values.length);
    expect(relativeError(merged.mean, expected.mean)).toBeLessThan(1e-9);
    expect(relativeError(merged.stddev, expected.stddev)).toBeLessThan(1e-9);
  });

  it('reports the sample standard deviation (n − 1), null below two values', () => {
    expect(new Welford().mean).toBeNull();
    expect(new Welford().stddev).toBeNull();
    expect(welfordOf([5]).mean).toBe(5);
    expect(welfordOf([5]).stddev).toBeNull();
    expect(welfordOf([2, 4, 4, 4, 5, 5, 7, 9]).stddev).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(welfordOf([3, 3, 3]).stddev).toBe(0);
  });

  it('merges with empty sides as a no-op', () => {
    const values = welfordOf([1, 2, 3]);
    expect(new Welford().merge(values).toJSON()).toEqual(values.toJSON());
    expect(welfordOf([1, 2, 3]).merge(new Welford()).toJSON()).toEqual(values.toJSON());
  });
});
