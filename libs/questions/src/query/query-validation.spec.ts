import type { DatasetColumn } from '@app/datasets';
import { parseQuery, validateQuery } from './query-validation';
import type { StructuredQuery } from './structured-query';

const COLUMNS: DatasetColumn[] = [
  { name: 'date', column: 'date', type: 'date' },
  { name: 'at', column: 'at', type: 'datetime' },
  { name: 'precipitation', column: 'precipitation', type: 'number' },
  { name: 'temp_max', column: 'temp_max', type: 'integer' },
  { name: 'weather', column: 'weather', type: 'string' },
  { name: 'sunny', column: 'sunny', type: 'boolean' },
];

const faults = (query: StructuredQuery) => validateQuery(query, COLUMNS);
const fields = (query: StructuredQuery) => faults(query).map((error) => error.field);

describe('validateQuery', () => {
  it('accepts a query that fits the dataset', () => {
    expect(
      faults({
        measures: [{ agg: 'avg', column: 'temp_max' }, { agg: 'count' }, { agg: 'share' }],
        groupBy: [{ column: 'date', bucket: 'month' }, { column: 'weather' }],
        filters: [
          { column: 'date', op: 'between', from: '2014-01-01', to: '2014-03-31' },
          { column: 'at', op: 'lte', value: '2014-03-31' },
          { column: 'weather', op: 'contains', value: 'rain' },
          { column: 'temp_max', op: 'in', values: [1, '2', 3] },
          { column: 'sunny', op: 'eq', value: true },
          { column: 'at', op: 'last', amount: 3, unit: 'hour' },
        ],
        orderBy: [
          { by: 'avg_temp_max', direction: 'desc' },
          { by: 'date', direction: 'asc' },
        ],
        limit: 10,
      }),
    ).toEqual([]);
  });

  it('names an unknown column and lists the columns that exist', () => {
    expect(faults({ select: ['date'], filters: [{ column: 'tmp', op: 'is_null' }] })).toEqual([
      {
        field: 'query.filters[0].column',
        message:
          "unknown column 'tmp'; columns are date, at, precipitation, temp_max, weather, sunny",
      },
    ]);
    expect(fields({ select: ['nope'] })).toEqual(['query.select[0]']);
    expect(fields({ measures: [{ agg: 'max', column: 'nope' }] })).toEqual([
      'query.measures[0].column',
    ]);
    expect(fields({ measures: [{ agg: 'count' }], groupBy: [{ column: 'nope' }] })).toEqual([
      'query.groupBy[0].column',
    ]);
  });

  it('lists a long set of columns only so far', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      name: `column number ${i}`,
      column: `c${i}`,
      type: 'string' as const,
    }));
    const [error] = validateQuery({ select: ['x'] }, many);
    expect(error?.message).toMatch(/column number 0, column number 1, .*, and \d+ more$/);
    expect(error?.message.length).toBeLessThan(1024);
  });

  it('wants select or measures, not both, and measures for groupBy and compare', () => {
    expect(fields({})).toEqual(['query']);
    expect(fields({ select: ['date'], measures: [{ agg: 'count' }] })).toEqual(['query.select']);
    expect(fields({ measures: [] })).toEqual(['query.measures']);
    expect(
      fields({
        select: ['date'],
        groupBy: [{ column: 'weather' }],
        compare: {
          groups: [
            { label: 'a', filters: [{ column: 'sunny', op: 'eq', value: true }] },
            { label: 'b', filters: [{ column: 'sunny', op: 'eq', value: false }] },
          ],
        },
      }),
    ).toEqual(['query.groupBy', 'query.compare']);
  });

  it('checks the column types of aggregates', () => {
    const aggregate = (
      agg: NonNullable<StructuredQuery['measures']>[number]['agg'],
      column: string,
    ) => fields({ measures: [{ agg, column }] });
    for (const agg of ['sum', 'avg', 'median', 'p90', 'p95', 'share'] as const) {
      expect(aggregate(agg, 'temp_max')).toEqual([]);
      expect(aggregate(agg, 'precipitation')).toEqual([]);
      expect(aggregate(agg, 'weather')).toEqual(['query.measures[0].column']);
      expect(aggregate(agg, 'date')).toEqual(['query.measures[0].column']);
    }
    for (const agg of ['min', 'max'] as const) {
      for (const column of ['temp_max', 'precipitation', 'date', 'at', 'weather']) {
        expect(aggregate(agg, column)).toEqual([]);
      }
      expect(aggregate(agg, 'sunny')).toEqual(['query.measures[0].column']);
    }
    for (const agg of ['count', 'count_distinct'] as const) {
      expect(aggregate(agg, 'sunny')).toEqual([]);
    }
    expect(faults({ measures: [{ agg: 'sum', column: 'weather' }] })[0]?.message).toBe(
      "sum needs a column of integers, numbers; 'weather' holds text",
    );
    expect(fields({ measures: [{ agg: 'avg' }] })).toEqual(['query.measures[0].column']);
    expect(fields({ measures: [{ agg: 'share' }, { agg: 'count' }] })).toEqual([]);
  });

  it('puts time buckets on dates and times only, hours on times only', () => {
    const bucket = (column: string, b: 'hour' | 'week' | 'weekday') =>
      fields({ measures: [{ agg: 'count' }], groupBy: [{ column, bucket: b }] });
    expect(bucket('date', 'week')).toEqual([]);
    expect(bucket('date', 'weekday')).toEqual([]);
    expect(bucket('at', 'hour')).toEqual([]);
    expect(bucket('date', 'hour')).toEqual(['query.groupBy[0].bucket']);
    expect(bucket('temp_max', 'week')).toEqual(['query.groupBy[0].bucket']);
  });

  it('checks the column types of operators', () => {
    const op = (filter: NonNullable<StructuredQuery['filters']>[number]) =>
      fields({ select: ['date'], filters: [filter] });
    for (const ordered of ['lt', 'lte', 'gt', 'gte'] as const) {
      expect(op({ column: 'temp_max', op: ordered, value: 3 })).toEqual([]);
      expect(op({ column: 'precipitation', op: ordered, value: 0.5 })).toEqual([]);
      expect(op({ column: 'date', op: ordered, value: '2014-01-01' })).toEqual([]);
      expect(op({ column: 'at', op: ordered, value: '2014-01-01T10:00Z' })).toEqual([]);
      expect(op({ column: 'weather', op: ordered, value: 'm' })).toEqual(['query.filters[0].op']);
      expect(op({ column: 'sunny', op: ordered, value: true })).toEqual(['query.filters[0].op']);
    }
    expect(op({ column: 'weather', op: 'between', from: 'a', to: 'b' })).toEqual([
      'query.filters[0].op',
    ]);
    expect(op({ column: 'weather', op: 'contains', value: 'ra' })).toEqual([]);
    expect(op({ column: 'temp_max', op: 'contains', value: '1' })).toEqual(['query.filters[0].op']);
    expect(op({ column: 'date', op: 'last', amount: 2, unit: 'week' })).toEqual([]);
    expect(op({ column: 'date', op: 'last', amount: 2, unit: 'hour' })).toEqual([
      'query.filters[0].op',
    ]);
    expect(op({ column: 'temp_max', op: 'last', amount: 2, unit: 'day' })).toEqual([
      'query.filters[0].op',
    ]);
  });

  it('wants values of the column type', () => {
    const value = (column: string, v: string | number | boolean) =>
      faults({ select: ['date'], filters: [{ column, op: 'eq', value: v }] });
    expect(value('date', '2014-03-01')).toEqual([]);
    expect(value('date', '2014-03-01T10:00')).toHaveLength(1);
    expect(value('date', 20140301)).toHaveLength(1);
    expect(value('at', '2014-03-01')).toEqual([]);
    expect(value('at', '2014-03-01 10:00:00+02')).toEqual([]);
    expect(value('at', 'yesterday')).toHaveLength(1);
    expect(value('precipitation', 'abc')).toEqual([
      {
        field: 'query.filters[0].value',
        message: `"abc" is not a value of this column, which holds numbers ('precipitation')`,
      },
    ]);
    expect(value('precipitation', '1.5')).toEqual([]);
    expect(value('temp_max', 1.5)).toHaveLength(1);
    expect(value('temp_max', 2 ** 60)).toHaveLength(1);
    expect(value('temp_max', '9223372036854775807')).toEqual([]);
    expect(value('temp_max', '9223372036854775808')).toHaveLength(1);
    expect(value('sunny', 'TRUE')).toEqual([]);
    expect(value('sunny', 1)).toHaveLength(1);
    expect(value('weather', 2014)).toEqual([]);
    expect(
      fields({ select: ['date'], filters: [{ column: 'temp_max', op: 'in', values: [1, 'x'] }] }),
    ).toEqual(['query.filters[0].values[1]']);
  });

  it('wants a between whose bounds are in order', () => {
    const between = (column: string, from: string | number, to: string | number) =>
      fields({ select: ['date'], filters: [{ column, op: 'between', from, to }] });
    expect(between('temp_max', 1, 1)).toEqual([]);
    expect(between('temp_max', 2, '1')).toEqual(['query.filters[0].to']);
    expect(between('date', '2014-03-02', '2014-03-01')).toEqual(['query.filters[0].to']);
    expect(between('at', '2014-03-01T10:00Z', '2014-03-01')).toEqual(['query.filters[0].to']);
    expect(between('precipitation', 'x', 1)).toEqual(['query.filters[0].from']);
  });

  it('checks the filters of compared groups and wants two labels', () => {
    expect(
      fields({
        measures: [{ agg: 'count' }],
        compare: {
          groups: [
            { label: 'same', filters: [{ column: 'nope', op: 'is_null' }] },
            { label: 'same', filters: [{ column: 'temp_max', op: 'gt', value: 'hot' }] },
          ],
        },
      }),
    ).toEqual([
      'query.compare.groups[0].filters[0].column',
      'query.compare.groups[1].filters[0].value',
      'query.compare.groups[1].label',
    ]);
  });

  it('wants unique result names', () => {
    expect(
      fields({ measures: [{ agg: 'count' }, { agg: 'count', column: 'date', as: 'count' }] }),
    ).toEqual(['query.measures[1].as']);
    expect(
      fields({
        measures: [
          { agg: 'max', column: 'date' },
          { agg: 'max', column: 'date' },
        ],
      }),
    ).toEqual(['query.measures[1]']);
    expect(
      fields({ measures: [{ agg: 'count', as: 'weather' }], groupBy: [{ column: 'weather' }] }),
    ).toEqual(['query.measures[0].as']);
    expect(fields({ select: ['date', 'date'] })).toEqual(['query.select[1]']);
  });

  it('orders by result columns, or by any column of rows', () => {
    const order = (query: StructuredQuery, by: string) =>
      fields({ ...query, orderBy: [{ by, direction: 'asc' }] });
    const grouped: StructuredQuery = {
      measures: [{ agg: 'sum', column: 'precipitation', as: 'rain' }],
      groupBy: [{ column: 'date', bucket: 'year' }],
    };
    expect(order(grouped, 'rain')).toEqual([]);
    expect(order(grouped, 'year_date')).toEqual([]);
    expect(order(grouped, 'date')).toEqual([]);
    expect(order(grouped, 'sum_precipitation')).toEqual(['query.orderBy[0].by']);
    expect(faults({ ...grouped, orderBy: [{ by: 'x', direction: 'asc' }] })[0]?.message).toBe(
      "'x' is not a result column; order by one of 'year_date', 'rain'",
    );
    expect(order({ select: ['date'] }, 'temp_max')).toEqual([]);
    expect(order({ select: ['date'] }, 'nope')).toEqual(['query.orderBy[0].by']);
  });
});

describe('parseQuery', () => {
  it('names the faults of the schema by their path', () => {
    const parsed = parseQuery(
      { select: ['date'], filters: [{ column: 'date', op: 'near' }] },
      COLUMNS,
    );
    expect(parsed.query).toBeUndefined();
    expect(parsed.errors.map((error) => error.field)).toEqual(['query.filters[0].op']);
  });

  it('answers the query when it parses and fits', () => {
    const parsed = parseQuery({ measures: [{ agg: 'count' }] }, COLUMNS);
    expect(parsed).toEqual({ query: { measures: [{ agg: 'count' }] }, errors: [] });
    expect(
      parseQuery({ measures: [{ agg: 'sum', column: 'weather' }] }, COLUMNS).errors,
    ).toHaveLength(1);
  });
});
