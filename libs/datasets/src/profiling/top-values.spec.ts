import { exactFrequencies, seededRandom, unevenChunks, zipfSampler } from './testing/reference';
import { TopValues, type TopValue } from './top-values';

function summaryOf(values: readonly number[], counters = 100): TopValues {
  const top = new TopValues({ counters });
  values.forEach((value) => top.add(value));
  return top;
}

/** Checks Space-Saving's guarantees against exact frequencies; returns what failed. */
function violations(top: TopValues, values: readonly number[]): string[] {
  const truth = new Map(exactFrequencies(values));
  const m = top.counters;
  const monitored = top.top(m);
  const problems: string[] = [];
  for (const { key, count, upperBound } of monitored) {
    const f = truth.get(key) ?? 0;
    if (count > f || f > upperBound) problems.push(`${key}: ${count} ≤ ${f} ≤ ${upperBound} fails`);
    if (upperBound - count > values.length / m)
      problems.push(`${key}: error ${upperBound - count}`);
  }
  const keys = new Set(monitored.map((entry) => entry.key));
  for (const [key, f] of truth) {
    if (f > values.length / m && !keys.has(key)) problems.push(`${key} (f = ${f}) not monitored`);
  }
  return problems;
}

const exactTop = (values: readonly number[], k: number) =>
  exactFrequencies(values)
    .slice(0, k)
    .map(([key, count]): TopValue => ({ key, label: null, count, upperBound: count }));

describe('TopValues (Space-Saving)', () => {
  const random = seededRandom(5);
  const zipf = zipfSampler(random, 50_000, 1.1);
  const skewed = Array.from({ length: 200_000 }, zipf);
  const fewDistinct = Array.from({ length: 50_000 }, () => Math.floor(random() ** 2 * 100));

  it('is exact, counts and order, while distinct values ≤ counters', () => {
    const top = summaryOf(fewDistinct);
    expect(top.isExact).toBe(true);
    expect(top.top(100)).toEqual(exactTop(fewDistinct, 100));
    expect(top.top()).toEqual(exactTop(fewDistinct, 10));
  });

  it('keeps its bounds on 200k Zipf values over 50k distinct, and finds the true top 10', () => {
    const top = summaryOf(skewed);
    expect(top.isExact).toBe(false);
    expect(violations(top, skewed)).toEqual([]);
    expect(top.top().map((entry) => entry.key)).toEqual(exactTop(skewed, 10).map((e) => e.key));
  });

  it('reports a count of 1 for values seen once, even after heavy eviction', () => {
    const distinct = Array.from({ length: 100_000 }, (_, i) => i * 0.5);
    const top = summaryOf(distinct);
    expect(top.top().every((entry) => entry.count === 1)).toBe(true);
    expect(violations(top, distinct)).toEqual([]);
  });

  it('merged from 7 JSON round-tripped chunks, keeps the bounds for the whole stream', () => {
    const merged = unevenChunks(skewed, 7)
      .map((chunk) => TopValues.deserialize(JSON.parse(JSON.stringify(summaryOf(chunk)))))
      .reduce((a, b) => a.merge(b));
    expect(merged.total).toBe(skewed.length);
    expect(violations(merged, skewed)).toEqual([]);
    expect(merged.top(5).map((entry) => entry.key)).toEqual(exactTop(skewed, 5).map((e) => e.key));
  });

  it('merged from chunks that stay under the counters, is exact', () => {
    const merged = unevenChunks(fewDistinct, 7)
      .map((chunk) => summaryOf(chunk))
      .reduce((a, b) => a.merge(b));
    expect(merged.isExact).toBe(true);
    expect(merged.top(100)).toEqual(exactTop(fewDistinct, 100));
  });

  it('keeps the labels of string keys and orders ties by label', () => {
    const top = new TopValues({ counters: 4 });
    for (const word of ['pear', 'fig', 'apple', 'fig', 'pear', 'kiwi'])
      top.add(word.length * 7 + word.charCodeAt(0), word);
    expect(top.top(3).map(({ label, count }) => [label, count])).toEqual([
      ['fig', 2],
      ['pear', 2],
      ['apple', 1],
    ]);
  });

  it('round-trips through JSON mid-stream and then behaves exactly as the original', () => {
    const original = summaryOf(skewed.slice(0, 100_000));
    const copy = TopValues.deserialize(JSON.parse(JSON.stringify(original)));
    skewed.slice(100_000).forEach((value) => {
      original.add(value);
      copy.add(value);
    });
    expect(copy.serialize()).toEqual(original.serialize());
  });

  it('refuses fewer than one counter and corrupt state', () => {
    expect(() => new TopValues({ counters: 0 })).toThrow(RangeError);
    const state = summaryOf([1, 2, 3], 3).serialize();
    expect(() => TopValues.deserialize({ ...state, counters: 2 })).toThrow(/corrupt/);
  });
});
