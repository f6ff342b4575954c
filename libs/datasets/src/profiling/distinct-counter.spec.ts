import { DistinctCounter } from './distinct-counter';
import { seededRandom, unevenChunks } from './testing/reference';
import { readSimpleCsv } from './testing/vega-data';

const SE = DistinctCounter.standardError(14);

function countNumbers(keys: ArrayLike<number>, counter = new DistinctCounter()): DistinctCounter {
  for (let i = 0; i < keys.length; i++) counter.add(keys[i]);
  return counter;
}

function relativeError(estimate: number, truth: number): number {
  return Math.abs(estimate - truth) / truth;
}

describe('DistinctCounter', () => {
  it('states 0.81 % standard error for p = 14', () => {
    expect(SE).toBeCloseTo(0.008125, 6);
    expect(new DistinctCounter().standardError()).toBe(0);
  });

  it('is exact up to the threshold and switches to HyperLogLog just past it', () => {
    const random = seededRandom(1);
    const keys = Float64Array.from({ length: 10_000 }, (_, i) => i + random());
    const counter = countNumbers(keys);
    countNumbers(keys, counter); // repeats change nothing
    expect(counter.isExact).toBe(true);
    expect(counter.estimate).toBe(10_000);
    counter.add(-1);
    expect(counter.isExact).toBe(false);
    expect(relativeError(counter.estimate, 10_001)).toBeLessThanOrEqual(3 * SE);
  });

  it('honours a configured threshold, and counts 0 and -0 as one value', () => {
    const counter = new DistinctCounter({ threshold: 3 });
    [0, -0, 1, 2].forEach((key) => counter.add(key));
    expect(counter.isExact).toBe(true);
    expect(counter.estimate).toBe(3);
  });

  const cases: Array<[string, number, (i: number) => number]> = [
    ['sequential integers', 20_000, (i) => i],
    ['sequential integers', 1_000_000, (i) => i],
    ['random doubles', 50_000, (i) => i * Math.PI],
    ['large integers', 300_000, (i) => 2 ** 40 + i * 977],
    ['epoch milliseconds, hourly', 100_000, (i) => Date.UTC(2000, 0, 1) + i * 3_600_000],
  ];
  it.each(cases)('estimates %s (%i distinct) within 3 standard errors', (_, n, key) => {
    const counter = new DistinctCounter();
    for (let i = 0; i < n; i++) counter.add(key(i));
    for (let i = 0; i < n; i += 3) counter.add(key(i)); // duplicates must not move the estimate
    expect(relativeError(counter.estimate, n)).toBeLessThanOrEqual(3 * SE);
  });

  it('estimates strings within 3 standard errors', () => {
    const counter = new DistinctCounter();
    for (let i = 0; i < 150_000; i++) counter.addString(`user-${i}@example.com`);
    expect(relativeError(counter.estimate, 150_000)).toBeLessThanOrEqual(3 * SE);
  });

  it('has the stated standard error: RMS relative error over 40 independent streams', () => {
    const random = seededRandom(9);
    const squares: number[] = [];
    for (let run = 0; run < 40; run++) {
      const counter = new DistinctCounter();
      for (let i = 0; i < 30_000; i++) counter.add(random());
      squares.push(relativeError(counter.estimate, 30_000) ** 2);
    }
    const rms = Math.sqrt(squares.reduce((a, b) => a + b, 0) / squares.length);
    expect(rms).toBeLessThan(1.5 * SE);
  });

  it('merges 7 chunks losslessly: the registers of one pass', () => {
    const keys = Array.from({ length: 120_000 }, (_, i) => i * 1.5);
    const onePass = countNumbers(keys);
    const merged = unevenChunks(keys, 7)
      .map((chunk) => DistinctCounter.deserialize(JSON.parse(JSON.stringify(countNumbers(chunk)))))
      .reduce((a, b) => a.merge(b));
    expect(merged.serialize()).toEqual(onePass.serialize());
  });

  it('merges exact sides exactly, and mixed sides into a sketch', () => {
    const a = countNumbers([1, 2, 3]);
    const b = countNumbers([3, 4]);
    expect(a.merge(b).estimate).toBe(4);
    expect(a.isExact).toBe(true);
    const big = countNumbers(Array.from({ length: 30_000 }, (_, i) => i + 10));
    const small = countNumbers([1, 2, 3, 4, 5]);
    expect(relativeError(small.merge(big).estimate, 30_005)).toBeLessThanOrEqual(3 * SE);
    expect(small.isExact).toBe(false);
    const halves = [0, 1].map((h) =>
      countNumbers(Array.from({ length: 6_000 }, (_, i) => 2 * i + h)),
    );
    const union = halves[0].merge(halves[1]);
    expect(union.isExact).toBe(false);
    expect(union.serialize()).toEqual(
      countNumbers(Array.from({ length: 12_000 }, (_, i) => i)).serialize(),
    );
  });

  it('counts real zip codes, cities and states (vega-datasets zipcodes.csv)', () => {
    const { header, rows } = readSimpleCsv('zipcodes.csv');
    for (const column of ['zip_code', 'city', 'state']) {
      const index = header.indexOf(column);
      const truth = new Set(rows.map((row) => row[index])).size;
      const counter = new DistinctCounter();
      rows.forEach((row) => counter.addString(row[index]));
      if (truth <= 10_000) expect(counter.estimate).toBe(truth);
      else expect(relativeError(counter.estimate, truth)).toBeLessThanOrEqual(3 * SE);
    }
  });

  it('refuses mismatched precisions and corrupt registers', () => {
    expect(() => new DistinctCounter({ precision: 12 }).merge(new DistinctCounter())).toThrow(
      RangeError,
    );
    expect(() =>
      DistinctCounter.deserialize({ threshold: 0, precision: 14, exact: null, registers: 'AAAA' }),
    ).toThrow(/corrupt/);
  });
});
