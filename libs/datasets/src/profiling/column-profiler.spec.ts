import { ColumnProfiler, type ColumnProfile } from './column-profiler';
import { seededRandom, zipfSampler } from './testing/reference';
import { type Column, mergedInChunks, mismatches, profileOf } from './testing/profile-check';

function generatedColumns(): Column[] {
  const random = seededRandom(42);
  const zipf = zipfSampler(random, 40_000, 1.05);
  const n = 100_000;
  const maybe = <T>(nullRate: number, make: () => T): T | null =>
    random() < nullRate ? null : make();
  const day = Date.UTC(2000, 0, 1);
  return [
    {
      name: 'zipf integers',
      type: 'integer',
      values: Array.from({ length: n }, () => maybe(0.05, zipf)),
    },
    {
      name: 'uniform numbers, NaN and Infinity',
      type: 'number',
      values: Array.from({ length: n }, (_, i) =>
        i % 50_000 === 7
          ? NaN
          : i % 50_000 === 8
            ? -Infinity
            : maybe(0.1, () => random() * 2000 - 1000),
      ),
    },
    {
      name: 'small integers',
      type: 'integer',
      values: Array.from({ length: 150 }, () => Math.floor(random() * 20) - 10),
    },
    {
      name: 'flags',
      type: 'boolean',
      values: Array.from({ length: n }, () => maybe(0.2, () => random() < 0.3)),
    },
    {
      name: 'days',
      type: 'date',
      values: Array.from({ length: n }, () =>
        maybe(0.01, () => new Date(day + Math.floor(random() * 5000) * 86_400_000)),
      ),
    },
    {
      name: 'timestamps',
      type: 'datetime',
      values: Array.from({ length: n }, () => new Date(day + Math.floor(random() * 1e12))),
    },
    {
      name: 'categories',
      type: 'string',
      values: Array.from({ length: n }, () =>
        maybe(
          0.02,
          () => ['north', 'south', 'east', 'west', 'été', ''][Math.floor(random() ** 2 * 6)],
        ),
      ),
    },
    {
      name: 'ids',
      type: 'string',
      values: Array.from({ length: n }, () => `id-${zipf()}-${Math.floor(random() * 3)}`),
    },
    { name: 'all null', type: 'number', values: [null, null, null] },
    { name: 'empty', type: 'string', values: [] },
  ];
}

describe('ColumnProfiler', () => {
  const generated = generatedColumns();
  const onePass = new Map<string, ColumnProfile>();
  beforeAll(() =>
    generated.forEach((column) => onePass.set(column.name, profileOf(column).profile())),
  );

  it.each(generated.map((column) => [column.name, column] as const))(
    'matches an exact computation on generated data (%s)',
    (_, column) => {
      expect(mismatches(onePass.get(column.name) as ColumnProfile, column)).toEqual([]);
    },
  );

  it.each(generated.map((column) => [column.name, column] as const))(
    'merged from 7 JSON round-tripped chunks, matches too (%s)',
    (_, column) => {
      const merged = mergedInChunks(column).profile();
      const single = onePass.get(column.name) as ColumnProfile;
      expect(mismatches(merged, column)).toEqual([]);
      const exactParts = (p: ColumnProfile) => [p.count, p.nullCount, p.min, p.max];
      expect(exactParts(merged)).toEqual(exactParts(single));
      if (single.distinctCount <= 10_000) expect(merged.distinctCount).toBe(single.distinctCount);
    },
  );

  it('exercises both regimes: exact below the thresholds, sketches above them', () => {
    const distinct = (name: string) => onePass.get(name)?.distinctCount ?? 0;
    expect(distinct('zipf integers')).toBeGreaterThan(10_000);
    expect(distinct('timestamps')).toBeGreaterThan(10_000);
    expect(distinct('ids')).toBeGreaterThan(10_000);
    expect(distinct('days')).toBeLessThanOrEqual(10_000);
    expect(distinct('days')).toBeGreaterThan(100);
    expect(distinct('categories')).toBeLessThanOrEqual(100);
  });

  it('produces plain JSON in the shape docs/api.md gives', () => {
    const profile = profileOf({
      name: 'd',
      type: 'datetime',
      values: [new Date(0), null, new Date(1000)],
    }).profile();
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile);
    expect(profile).toEqual({
      name: 'd',
      type: 'datetime',
      count: 3,
      nullCount: 1,
      distinctCount: 2,
      min: '1970-01-01T00:00:00.000Z',
      max: '1970-01-01T00:00:01.000Z',
      mean: null,
      stddev: null,
      quantiles: { p05: null, p25: null, p50: null, p75: null, p95: null },
      topValues: [
        { value: '1970-01-01T00:00:00.000Z', count: 1 },
        { value: '1970-01-01T00:00:01.000Z', count: 1 },
      ],
    });
  });

  it('refuses values of another type and merges of other columns', () => {
    const profiler = new ColumnProfiler('n', 'number');
    expect(() => profiler.add('1')).toThrow(TypeError);
    expect(() => new ColumnProfiler('d', 'date').add(1)).toThrow(/column d is date, got a number/);
    expect(() => profiler.merge(new ColumnProfiler('n', 'integer'))).toThrow(RangeError);
    expect(() => ColumnProfiler.fromJSON({ ...profiler.toJSON(), version: 2 as 1 })).toThrow(
      /version/,
    );
  });
});

describe('ColumnProfiler.widen', () => {
  it('carries integer statistics into number, as if the values had been numbers all along', () => {
    const widened = new ColumnProfiler('x', 'integer');
    const direct = new ColumnProfiler('x', 'number');
    for (const value of [3, 1, 4, 1, 5]) {
      widened.add(value);
      direct.add(value);
    }
    widened.widen('number');
    for (const value of [2.5, 6.25]) {
      widened.add(value);
      direct.add(value);
    }
    expect(widened.profile()).toEqual(direct.profile());
  });

  it('carries dates into datetimes at midnight UTC', () => {
    const profiler = new ColumnProfiler('d', 'date');
    profiler.add(new Date(Date.UTC(2024, 0, 2)));
    profiler.widen('datetime').add(new Date(Date.UTC(2024, 0, 3, 12)));
    expect(profiler.profile()).toMatchObject({
      type: 'datetime',
      min: '2024-01-02T00:00:00.000Z',
      max: '2024-01-03T12:00:00.000Z',
    });
  });

  it('refuses a change that would need the original text', () => {
    expect(() => new ColumnProfiler('x', 'integer').widen('string')).toThrow(RangeError);
    expect(() => new ColumnProfiler('x', 'boolean').widen('integer')).toThrow(RangeError);
  });
});

describe('ColumnProfiler fast paths', () => {
  it('addNumeric, addEpochMillis and addMissing profile as add() does', () => {
    const direct = new ColumnProfiler('n', 'number');
    const fast = new ColumnProfiler('n', 'number');
    for (const value of [3.5, null, -1, 0, null, 42]) {
      direct.add(value);
      if (value === null) fast.addMissing();
      else fast.addNumeric(value);
    }
    expect(fast.profile()).toEqual(direct.profile());

    const times = new ColumnProfiler('t', 'datetime');
    const millis = new ColumnProfiler('t', 'datetime');
    for (const ms of [Date.UTC(2024, 0, 1), Date.UTC(2023, 5, 6, 7, 8, 9)]) {
      times.add(new Date(ms));
      millis.addEpochMillis(ms);
    }
    expect(millis.profile()).toEqual(times.profile());
  });
});
