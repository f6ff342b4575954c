import type { DatasetColumn } from '@app/datasets';
import { compileQuery } from './query-compiler';
import { InvalidQueryException } from './query-validation';
import type { StructuredQuery } from './structured-query';

const COLUMNS: DatasetColumn[] = [
  { name: 'Day', column: 'day', type: 'date' },
  { name: 'City name', column: 'city_name', type: 'string' },
  { name: 'Temp', column: 'temp', type: 'number' },
];
const DATASET = { tableName: 'd_1', columns: COLUMNS };
const HOSTILE = `x"; DROP TABLE datasets; --`;

describe('compileQuery', () => {
  it('writes identifiers from the dataset and every value as a cast parameter', () => {
    const compiled = compileQuery(
      {
        measures: [{ agg: 'avg', column: 'Temp', as: HOSTILE }],
        groupBy: [{ column: 'City name' }],
        filters: [
          { column: 'City name', op: 'eq', value: HOSTILE },
          { column: 'Day', op: 'between', from: '2014-01-01', to: '2014-03-31' },
        ],
        orderBy: [{ by: HOSTILE, direction: 'desc' }],
        limit: 5,
      },
      DATASET,
    );
    expect(compiled.sql).toBe(
      'SELECT t."city_name" AS c0, avg(t."temp")::double precision AS c1' +
        ' FROM "dataset_rows"."d_1" t' +
        ' WHERE t."city_name" = $1::text AND (t."day" >= $2::date AND t."day" <= $3::date)' +
        ' GROUP BY t."city_name"' +
        ' ORDER BY avg(t."temp")::double precision DESC NULLS LAST, t."city_name" ASC NULLS LAST' +
        ' LIMIT $4::integer',
    );
    expect(compiled.values).toEqual([HOSTILE, '2014-01-01', '2014-03-31', 6]);
    expect(compiled.columns).toEqual([
      { name: 'City name', type: 'string' },
      { name: HOSTILE, type: 'number' },
    ]);
    expect(compiled.rowCap).toBe(5);
  });

  it('always limits, to the row cap at most', () => {
    const rows: StructuredQuery = { select: ['Day'] };
    expect(compileQuery(rows, DATASET).values).toEqual([1001]);
    expect(compileQuery({ ...rows, limit: 1000 }, DATASET, 10).values).toEqual([11]);
    expect(compileQuery(rows, DATASET).sql).toMatch(/ ORDER BY t\.ctid LIMIT \$1::integer$/);
  });

  it('orders by a time bucket first when no order is asked', () => {
    const { sql } = compileQuery(
      {
        measures: [{ agg: 'count' }],
        groupBy: [{ column: 'City name' }, { column: 'Day', bucket: 'week' }],
      },
      DATASET,
    );
    expect(sql).toContain(
      `ORDER BY date_trunc('week', t."day"::timestamp) ASC NULLS LAST, t."city_name" ASC NULLS LAST`,
    );
  });

  it('refuses a query that does not fit the dataset with a 422 naming the field', () => {
    let thrown: unknown;
    try {
      compileQuery({ select: ['day'] }, DATASET);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidQueryException);
    expect(thrown).toMatchObject({
      status: 422,
      slug: 'invalid-query',
      fieldErrors: [
        {
          field: 'query.select[0]',
          message: "unknown column 'day'; columns are Day, City name, Temp",
        },
      ],
    });
  });
});
