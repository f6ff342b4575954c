import { QuantileSketch } from './quantile-sketch';
import {
  exactQuantile,
  rankError,
  seededRandom,
  unevenChunks,
  zipfSampler,
} from './testing/reference';
import { readJsonRecords } from './testing/vega-data';

const GRID = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];
const BOUND = QuantileSketch.rankErrorBound(200);

function sketchOf(values: ArrayLike<number>, options: { k?: number; seed?: number } = {}) {
  const sketch = new QuantileSketch(options);
  for (let i = 0; i < values.length; i++) sketch.add(values[i]);
  return sketch;
}

function worstRankError(sketch: QuantileSketch, values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return Math.max(...GRID.map((q) => rankError(sorted, q, sketch.quantile(q) as number)));
}

function generated(): Record<string, Float64Array> {
  const random = seededRandom(7);
  const zipf = zipfSampler(random, 50_000, 1.1);
  const n = 200_000;
  return {
    uniform: Float64Array.from({ length: n }, () => random()),
    'zipf (heavy ties)': Float64Array.from({ length: n }, zipf),
    sorted: Float64Array.from({ length: n }, (_, i) => i),
    reversed: Float64Array.from({ length: n }, (_, i) => n - i),
    'normal with outliers': Float64Array.from({ length: n }, (_, i) =>
      i % 1000 === 0
        ? 1e12
        : Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
    ),
  };
}

describe('QuantileSketch (KLL)', () => {
  const data = generated();

  it('states a 1.65 % rank error bound for k = 200, shrinking as k grows', () => {
    expect(BOUND).toBeCloseTo(0.0165, 4);
    expect(new QuantileSketch({ k: 400 }).rankErrorBound()).toBeLessThan(BOUND / 1.8);
  });

  it('is exact (type 1 quantiles) up to k values', () => {
    const random = seededRandom(3);
    for (const n of [1, 2, 3, 10, 99, 200]) {
      const values = Float64Array.from({ length: n }, () => Math.round(random() * 50));
      const sketch = sketchOf(values);
      const sorted = Float64Array.from(values).sort();
      expect(sketch.isExact).toBe(true);
      for (let q = 0; q <= 1; q += 0.01) expect(sketch.quantile(q)).toBe(exactQuantile(sorted, q));
    }
    expect(sketchOf(new Float64Array(201)).isExact).toBe(false);
  });

  it.each(Object.keys(data))('stays within the rank error bound on 200k values (%s)', (name) => {
    const sketch = sketchOf(data[name]);
    expect(sketch.count).toBe(200_000);
    expect(worstRankError(sketch, data[name])).toBeLessThanOrEqual(BOUND);
    const sorted = Float64Array.from(data[name]).sort();
    expect(sketch.quantile(0)).toBe(sorted[0]);
    expect(sketch.quantile(1)).toBe(sorted[sorted.length - 1]);
  });

  it.each(Object.keys(data))('merged from 7 chunks, stays within the bound (%s)', (name) => {
    const chunks = unevenChunks(Array.from(data[name]), 7);
    const merged = chunks
      .map((chunk, i) => QuantileSketch.deserialize(sketchOf(chunk, { seed: i }).serialize()))
      .reduce((a, b) => a.merge(b));
    expect(merged.count).toBe(200_000);
    expect(worstRankError(merged, data[name])).toBeLessThanOrEqual(BOUND);
  });

  it('stays within the bound for every one of 60 seeds, input orders and k', () => {
    const random = seededRandom(11);
    const values = Float64Array.from({ length: 20_000 }, () => random() * 1e6);
    const errors: number[] = [];
    for (let seed = 0; seed < 60; seed++) {
      const k = [64, 200, 500][seed % 3];
      const sketch = sketchOf(seed % 2 === 0 ? values : Float64Array.from(values).sort(), {
        k,
        seed,
      });
      const error = worstRankError(sketch, values);
      errors.push(error / QuantileSketch.rankErrorBound(k));
    }
    expect(Math.max(...errors)).toBeLessThanOrEqual(1);
  });

  it('profiles 200,000 real flight delays and distances within the bound (vega-datasets)', () => {
    const flights = readJsonRecords('flights-200k.json');
    for (const field of ['delay', 'distance']) {
      const values = Float64Array.from(flights, (row) => row[field] as number);
      const sketch = sketchOf(values);
      expect(worstRankError(sketch, values)).toBeLessThanOrEqual(BOUND);
    }
  });

  it('round-trips through JSON and then behaves exactly as the original', () => {
    const values = data.uniform;
    const original = sketchOf(values.subarray(0, 100_000));
    const copy = QuantileSketch.deserialize(JSON.parse(JSON.stringify(original)));
    for (let i = 100_000; i < values.length; i++) {
      original.add(values[i]);
      copy.add(values[i]);
    }
    expect(copy.serialize()).toEqual(original.serialize());
  });

  it('is deterministic for a seed and input order', () => {
    expect(sketchOf(data.uniform).serialize()).toEqual(sketchOf(data.uniform).serialize());
  });

  it('keeps total weight equal to n through adds and merges', () => {
    const state = sketchOf(data.uniform).merge(sketchOf(data.sorted)).serialize();
    const weight = state.levels.reduce((sum, level, h) => sum + level.length * 2 ** h, 0);
    expect(weight).toBe(400_000);
    expect(state.levels.flat().length).toBeLessThan(3 * 200 + 8 * state.levels.length);
  });

  it('answers null when empty and refuses mismatched or corrupt input', () => {
    expect(new QuantileSketch().quantile(0.5)).toBeNull();
    expect(() => new QuantileSketch({ k: 4 })).toThrow(RangeError);
    expect(() => new QuantileSketch({ k: 100 }).merge(new QuantileSketch())).toThrow(RangeError);
    const state = sketchOf([1, 2, 3]).serialize();
    expect(() => QuantileSketch.deserialize({ ...state, n: 4 })).toThrow(/corrupt/);
  });
});
