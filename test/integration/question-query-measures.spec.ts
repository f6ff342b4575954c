import { type QueryResult, type StructuredQuery, type TimeBucket } from '@app/questions';
import {
  FIXTURE,
  type FixtureRow,
  questionDatabase,
  type QuestionDatabase,
} from '../support/question-dataset';

type Cell = QueryResult['rows'][number][number];
const DAY_MS = 86_400_000;

const present = <T>(values: Array<T | null>): T[] => values.filter((v): v is T => v !== null);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** Linear interpolation between the closest ranks, as percentile_cont is defined. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const [low, high] = [sorted[Math.floor(at)] ?? NaN, sorted[Math.ceil(at)] ?? NaN];
  return low + (high - low) * (at - Math.floor(at));
}
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A bucket of a UTC day or time, computed with Date. */
function bucketOf(value: string | null, bucket: TimeBucket): string | number | null {
  if (value === null) return null;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  const date = new Date(ms);
  const [year, month] = [date.getUTCFullYear(), date.getUTCMonth()];
  const isoWeekday = ((date.getUTCDay() + 6) % 7) + 1;
  switch (bucket) {
    case 'hour':
      return date.getUTCHours();
    case 'weekday':
      return isoWeekday;
    case 'day':
      return isoDay(ms);
    case 'week':
      return isoDay(Date.UTC(year, month, date.getUTCDate()) - (isoWeekday - 1) * DAY_MS);
    case 'month':
      return isoDay(Date.UTC(year, month, 1));
    case 'quarter':
      return isoDay(Date.UTC(year, month - (month % 3), 1));
    case 'year':
      return isoDay(Date.UTC(year, 0, 1));
  }
}

/** Rows grouped by `key`, in ascending key order with the null group last. */
function groups<K extends string | number | boolean>(
  key: (row: FixtureRow) => K | null,
): Array<[K | null, FixtureRow[]]> {
  const grouped = new Map<K | null, FixtureRow[]>();
  for (const row of FIXTURE) grouped.set(key(row), [...(grouped.get(key(row)) ?? []), row]);
  return [...grouped.entries()].sort(([a], [b]) =>
    a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
}

describe('structured query measures (real PostgreSQL)', () => {
  let db: QuestionDatabase;

  beforeAll(async () => {
    db = await questionDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  const run = (query: StructuredQuery, rowCap?: number) => db.run(query, rowCap);
  const expectRows = (actual: Cell[][], expected: Cell[][]) => {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((row, i) =>
      row.forEach((cell, j) => {
        const wanted = expected[i]?.[j];
        if (typeof wanted === 'number' && !Number.isInteger(wanted)) {
          expect(cell).toBeCloseTo(wanted, 10);
        } else {
          expect(cell).toEqual(wanted);
        }
      }),
    );
  };

  it('computes every aggregate over all rows, ignoring nulls', async () => {
    const xs = present(FIXTURE.map((r) => r.x));
    const ns = present(FIXTURE.map((r) => r.n));
    const days = present(FIXTURE.map((r) => r.day)).sort();
    const times = present(FIXTURE.map((r) => r.at)).sort((a, b) => Date.parse(a) - Date.parse(b));
    const result = await run({
      measures: [
        { agg: 'count' },
        { agg: 'count', column: 'x' },
        { agg: 'count_distinct', column: 'label' },
        { agg: 'sum', column: 'n' },
        { agg: 'sum', column: 'x' },
        { agg: 'avg', column: 'n' },
        { agg: 'avg', column: 'x', as: 'mean x' },
        { agg: 'min', column: 'day' },
        { agg: 'max', column: 'day' },
        { agg: 'min', column: 'at' },
      ],
    });
    expect(result.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'count:integer',
      'count_x:integer',
      'count_distinct_label:integer',
      'sum_n:integer',
      'sum_x:number',
      'avg_n:number',
      'mean x:number',
      'min_day:date',
      'max_day:date',
      'min_at:datetime',
    ]);
    expectRows(result.rows, [
      [
        FIXTURE.length,
        xs.length,
        new Set(present(FIXTURE.map((r) => r.label))).size,
        sum(ns),
        sum(xs),
        sum(ns) / ns.length,
        sum(xs) / xs.length,
        days[0] ?? null,
        days[days.length - 1] ?? null,
        times[0] ?? null,
      ],
    ]);
    const more = await run({
      measures: [
        { agg: 'max', column: 'at' },
        { agg: 'max', column: 'label' },
        { agg: 'median', column: 'x' },
        { agg: 'p90', column: 'x' },
        { agg: 'p95', column: 'n' },
        { agg: 'share' },
        { agg: 'share', column: 'x' },
      ],
    });
    expectRows(more.rows, [
      [times[times.length - 1] ?? null, 'sun_ny', percentile(xs, 0.5), percentile(xs, 0.9)].concat([
        percentile(ns, 0.95),
        1,
        1,
      ]),
    ]);
  });

  it.each<[TimeBucket, 'day' | 'at']>([
    ['day', 'day'],
    ['week', 'day'],
    ['month', 'day'],
    ['quarter', 'day'],
    ['year', 'day'],
    ['weekday', 'day'],
    ['hour', 'at'],
    ['day', 'at'],
    ['week', 'at'],
    ['month', 'at'],
    ['weekday', 'at'],
  ])('buckets by %s of %s, in order, with a null group', async (bucket, column) => {
    const result = await run({
      measures: [{ agg: 'count' }, { agg: 'sum', column: 'n' }],
      groupBy: [{ column, bucket }],
    });
    expect(result.columns[0]).toEqual({
      name: `${bucket}_${column}`,
      type: bucket === 'hour' || bucket === 'weekday' ? 'integer' : 'date',
    });
    const expected = groups((row) => bucketOf(row[column], bucket)).map(([key, rows]) => [
      key,
      rows.length,
      rows.some((r) => r.n !== null) ? sum(present(rows.map((r) => r.n))) : null,
    ]);
    expect(result.rows).toEqual(expected);
  });

  it('keeps a null group and orders by the first grouped column', async () => {
    const result = await run({
      measures: [{ agg: 'count' }, { agg: 'sum', column: 'x' }, { agg: 'max', column: 'a"b' }],
      groupBy: [{ column: 'flag' }],
    });
    expectRows(
      result.rows,
      groups((row) => row.flag).map(([flag, rows]) => [
        flag,
        rows.length,
        sum(present(rows.map((r) => r.x))),
        present(rows.map((r) => r.quoted))
          .sort()
          .pop() ?? null,
      ]),
    );
  });

  it('gives shares of the total that sum to 1, of rows and of a column', async () => {
    const byLabel = await run({ measures: [{ agg: 'share' }], groupBy: [{ column: 'label' }] });
    expect(sum(byLabel.rows.map(([, share]) => Number(share)))).toBeCloseTo(1, 12);
    byLabel.rows.forEach(([, share]) => expect(share).toBeCloseTo(1 / FIXTURE.length, 12));
    const totalX = sum(present(FIXTURE.map((r) => r.x)));
    const byFlag = await run({
      measures: [
        { agg: 'share', column: 'with spaces' },
        { agg: 'share', column: 'x' },
      ],
      groupBy: [{ column: 'flag' }],
    });
    const totalSpaced = sum(present(FIXTURE.map((r) => r.spaced)));
    expectRows(
      byFlag.rows,
      groups((row) => row.flag).map(([flag, rows]) => [
        flag,
        sum(present(rows.map((r) => r.spaced))) / totalSpaced,
        sum(present(rows.map((r) => r.x))) / totalX,
      ]),
    );
    // A share is of the whole total even when the limit shows fewer groups.
    const top = await run({
      measures: [{ agg: 'share', column: 'x', as: 'part' }],
      groupBy: [{ column: 'label' }],
      orderBy: [{ by: 'part', direction: 'desc' }],
      limit: 1,
    });
    expect(top.rows[0]?.[1]).toBeCloseTo(10 / totalX, 12);
    expect(top.truncated).toBe(true);
  });

  it('answers a top-N with the order and limit asked', async () => {
    const result = await run({
      measures: [{ agg: 'sum', column: 'x', as: 'total' }],
      groupBy: [{ column: 'label' }],
      filters: [{ column: 'label', op: 'not_null' }],
      orderBy: [{ by: 'total', direction: 'desc' }],
      limit: 3,
    });
    const expected = groups((row) => row.label)
      .filter(([label]) => label !== null)
      .map(([label, rows]) => [label, sum(present(rows.map((r) => r.x)))] as [string, number])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    expectRows(result.rows, expected);
    expect(result.truncated).toBe(true);
  });

  it('caps rows at the limit and at the row cap, and says when it cut', async () => {
    const limited = await run({ select: ['id'], limit: 3 });
    expect(limited).toMatchObject({ rows: [[1], [2], [3]], truncated: true });
    const all = await run({ select: ['id'], limit: FIXTURE.length });
    expect(all.rows).toHaveLength(FIXTURE.length);
    expect(all.truncated).toBe(false);
    const capped = await run({ select: ['id'], limit: 100 }, 5);
    expect(capped.rows).toHaveLength(5);
    expect(capped.truncated).toBe(true);
    const ordered = await run({ select: ['id'], orderBy: [{ by: 'x', direction: 'desc' }] });
    expect(ordered.rows.flat()).toEqual(
      [...FIXTURE].sort((a, b) => (b.x ?? -Infinity) - (a.x ?? -Infinity)).map((r) => r.id),
    );
  });

  it('compares two groups, counting a row in each group it meets', async () => {
    const years = await run({
      measures: [{ agg: 'count' }, { agg: 'avg', column: 'x' }],
      compare: {
        groups: [
          {
            label: '2014',
            filters: [{ column: 'day', op: 'between', from: '2014-01-01', to: '2014-12-31' }],
          },
          { label: "2015'; --", filters: [{ column: 'day', op: 'gte', value: '2015-01-01' }] },
        ],
      },
    });
    expect(years.columns.map((column) => column.name)).toEqual(['compared', 'count', 'avg_x']);
    const of = (keep: (row: FixtureRow) => boolean) => {
      const rows = FIXTURE.filter(keep);
      const xs = present(rows.map((r) => r.x));
      return [rows.length, sum(xs) / xs.length];
    };
    expectRows(years.rows, [
      ['2014', ...of((r) => r.day?.startsWith('2014') === true)],
      ["2015'; --", ...of((r) => r.day?.startsWith('2015') === true)],
    ]);
    const overlapping = await run({
      measures: [{ agg: 'count' }],
      groupBy: [{ column: 'flag' }],
      compare: {
        groups: [
          { label: 'with n', filters: [{ column: 'n', op: 'not_null' }] },
          { label: 'x over 2', filters: [{ column: 'x', op: 'gt', value: 2 }] },
        ],
      },
      orderBy: [{ by: 'compared', direction: 'desc' }],
    });
    const counted = (label: string, keep: (row: FixtureRow) => boolean) =>
      groups((row) => row.flag).flatMap(([flag, rows]) => {
        const kept = rows.filter(keep).length;
        return kept === 0 ? [] : [[label, flag, kept]];
      });
    expect(overlapping.rows).toEqual([
      ...counted('x over 2', (r) => (r.x ?? 0) > 2),
      ...counted('with n', (r) => r.n !== null),
    ]);
  });

  it('compares two groups with every kind of measure, by a time bucket, ordered and cut', async () => {
    const result = await run({
      measures: [
        { agg: 'median', column: 'x' },
        { agg: 'share' },
        { agg: 'count_distinct', column: 'flag' },
        { agg: 'max', column: 'day' },
      ],
      groupBy: [{ column: 'day', bucket: 'year' }],
      filters: [{ column: 'id', op: 'ne', value: 1 }],
      compare: {
        groups: [
          { label: 'rainy', filters: [{ column: 'label', op: 'contains', value: 'rain' }] },
          { label: 'flagged', filters: [{ column: 'flag', op: 'eq', value: true }] },
        ],
      },
      orderBy: [{ by: 'median_x', direction: 'desc' }],
      limit: 3,
    });
    const groupsOf: Array<[string, (row: FixtureRow) => boolean]> = [
      ['rainy', (r) => r.label?.toLowerCase().includes('rain') === true],
      ['flagged', (r) => r.flag === true],
    ];
    const expected = groupsOf.flatMap(([label, keep]) =>
      groups((r) => bucketOf(r.day, 'year')).flatMap(([year, rows]) => {
        const kept = rows.filter((r) => r.id !== 1 && keep(r));
        if (kept.length === 0) return [];
        const xs = present(kept.map((r) => r.x));
        const days = present(kept.map((r) => r.day)).sort();
        const flags = new Set(present(kept.map((r) => r.flag)));
        return [
          [
            label,
            year,
            xs.length > 0 ? percentile(xs, 0.5) : null,
            kept.length,
            flags.size,
            days[days.length - 1] ?? null,
          ],
        ];
      }),
    );
    const total = sum(expected.map((row) => Number(row[3])));
    const shared = expected.map((row) => [
      ...row.slice(0, 3),
      Number(row[3]) / total,
      ...row.slice(4),
    ]);
    // Highest median first, nulls last; ties by label, then year.
    shared.sort(
      (a, b) =>
        (a[2] === null ? 1 : 0) - (b[2] === null ? 1 : 0) ||
        Number(b[2]) - Number(a[2]) ||
        String(a[0]).localeCompare(String(b[0])) ||
        String(a[1]).localeCompare(String(b[1])),
    );
    expect(result.columns.map((column) => column.name)).toEqual([
      'compared',
      'year_day',
      'median_x',
      'share',
      'count_distinct_flag',
      'max_day',
    ]);
    expect(shared.length).toBeGreaterThan(3);
    expectRows(result.rows, shared.slice(0, 3));
    expect(result.truncated).toBe(true);
  });

  it('groups by columns with odd names', async () => {
    const result = await run({
      measures: [{ agg: 'sum', column: 'select' }, { agg: 'count' }],
      groupBy: [{ column: 'a"b' }],
      orderBy: [{ by: 'sum_select', direction: 'asc' }],
    });
    const expected = groups((row) => row.quoted)
      .map(([quoted, rows]) => [quoted, rows[0]?.select ?? null, rows.length])
      .sort((a, b) => (a[1] === null ? 1 : b[1] === null ? -1 : Number(a[1]) - Number(b[1])));
    expect(result.rows).toEqual(expected);
  });
});
