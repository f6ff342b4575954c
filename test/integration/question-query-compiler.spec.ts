import { type QueryFilter, type StructuredQuery } from '@app/questions';
import {
  FIXTURE,
  type FixtureRow,
  INJECTION,
  questionDatabase,
  type QuestionDatabase,
} from '../support/question-dataset';

/**
 * Compiled queries run on a real PostgreSQL over a fixed table; every expected answer is
 * computed here from the fixture rows, never by the compiler.
 */
describe('structured query compiler (real PostgreSQL)', () => {
  let db: QuestionDatabase;

  beforeAll(async () => {
    db = await questionDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  const run = (query: StructuredQuery, rowCap?: number) => db.run(query, rowCap);
  const ids = async (filter: QueryFilter) =>
    (await run({ select: ['id'], filters: [filter] })).rows.map(([id]) => id);
  const idsWhere = (keep: (row: FixtureRow) => boolean) =>
    FIXTURE.filter(keep).map((row) => row.id);
  const time = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));

  it('reads rows in file order as JSON values, with their types', async () => {
    const result = await run({ select: ['id', 'day', 'at', 'x', 'label', 'flag', 'a"b'] });
    expect(result.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'datetime' },
      { name: 'x', type: 'number' },
      { name: 'label', type: 'string' },
      { name: 'flag', type: 'boolean' },
      { name: 'a"b', type: 'string' },
    ]);
    expect(result.truncated).toBe(false);
    expect(result.rows).toEqual(
      FIXTURE.map((row) => [row.id, row.day, row.at, row.x, row.label, row.flag, row.quoted]),
    );
  });

  it.each<[string, QueryFilter, (row: FixtureRow) => boolean]>([
    ['eq', { column: 'n', op: 'eq', value: 3 }, (r) => r.n === 3],
    ['ne leaves nulls out', { column: 'n', op: 'ne', value: 3 }, (r) => r.n !== null && r.n !== 3],
    ['lt', { column: 'x', op: 'lt', value: 2.5 }, (r) => r.x !== null && r.x < 2.5],
    ['lte', { column: 'x', op: 'lte', value: '2.5' }, (r) => r.x !== null && r.x <= 2.5],
    ['gt', { column: 'x', op: 'gt', value: 4 }, (r) => r.x !== null && r.x > 4],
    ['gte', { column: 'x', op: 'gte', value: 4 }, (r) => r.x !== null && r.x >= 4],
    [
      'eq on text is exact',
      { column: 'label', op: 'eq', value: 'rain' },
      (r) => r.label === 'rain',
    ],
    [
      'contains ignores case',
      { column: 'label', op: 'contains', value: 'RAIN' },
      (r) => r.label?.toLowerCase().includes('rain') === true,
    ],
    ['contains % literally', { column: 'label', op: 'contains', value: '%' }, (r) => r.id === 2],
    ['contains _ literally', { column: 'label', op: 'contains', value: '_' }, (r) => r.id === 3],
    ['an injection is a value', { column: 'label', op: 'eq', value: INJECTION }, (r) => r.id === 7],
    [
      'an injection in contains',
      { column: 'label', op: 'contains', value: "'); DROP" },
      (r) => r.id === 7,
    ],
    ['in', { column: 'n', op: 'in', values: [1, '3', 8] }, (r) => [1, 3, 8].includes(r.n ?? 0)],
    [
      'in on text',
      { column: 'label', op: 'in', values: ['Sun', 'fog'] },
      (r) => ['Sun', 'fog'].includes(r.label ?? ''),
    ],
    [
      'between dates, inclusive',
      { column: 'day', op: 'between', from: '2014-01-02', to: '2014-03-31' },
      (r) => r.day !== null && r.day >= '2014-01-02' && r.day <= '2014-03-31',
    ],
    [
      'between one day',
      { column: 'day', op: 'between', from: '2014-01-01', to: '2014-01-01' },
      (r) => r.day === '2014-01-01',
    ],
    [
      'between on times: a date-only upper bound takes in its whole day',
      { column: 'at', op: 'between', from: '2014-01-02', to: '2014-03-31' },
      (r) => time(r.at) >= Date.UTC(2014, 0, 2) && time(r.at) < Date.UTC(2014, 3, 1),
    ],
    [
      'lte a date-only time takes in its day',
      { column: 'at', op: 'lte', value: '2014-03-31' },
      (r) => time(r.at) < Date.UTC(2014, 3, 1),
    ],
    [
      'gt a date-only time starts after its day',
      { column: 'at', op: 'gt', value: '2014-03-31' },
      (r) => time(r.at) >= Date.UTC(2014, 3, 1),
    ],
    [
      'eq a date-only time is its day',
      { column: 'at', op: 'eq', value: '2014-01-02' },
      (r) => r.at?.startsWith('2014-01-02') === true,
    ],
    [
      'eq an instant, with a zone',
      { column: 'at', op: 'eq', value: '2014-01-06 13:00:00+01' },
      (r) => r.id === 3,
    ],
    [
      'in on times',
      { column: 'at', op: 'in', values: ['2014-01-02', '2015-12-31T23:00Z'] },
      (r) => r.id === 2 || r.id === 8,
    ],
    ['eq on booleans', { column: 'flag', op: 'eq', value: false }, (r) => r.flag === false],
    ['ne on booleans', { column: 'flag', op: 'ne', value: 'true' }, (r) => r.flag === false],
    ['is_null', { column: 'x', op: 'is_null' }, (r) => r.x === null],
    ['not_null', { column: 'day', op: 'not_null' }, (r) => r.day !== null],
    [
      'last year of days, back from the latest day',
      { column: 'day', op: 'last', amount: 1, unit: 'year' },
      (r) => r.day !== null && r.day > '2014-12-31',
    ],
    [
      'last 2 years of days',
      { column: 'day', op: 'last', amount: 2, unit: 'year' },
      (r) => r.day !== null && r.day > '2013-12-31',
    ],
    [
      'last 90 weeks of days',
      { column: 'day', op: 'last', amount: 90, unit: 'week' },
      (r) => r.day !== null && time(r.day) > Date.UTC(2015, 11, 31) - 90 * 7 * 86_400_000,
    ],
    [
      'last hour of times',
      { column: 'at', op: 'last', amount: 1, unit: 'hour' },
      (r) => time(r.at) > Date.UTC(2015, 11, 31, 22),
    ],
    [
      'last 7 months of times',
      { column: 'at', op: 'last', amount: 7, unit: 'month' },
      (r) => time(r.at) > Date.UTC(2015, 4, 31, 23),
    ],
    [
      'last 30 days of times',
      { column: 'at', op: 'last', amount: 30, unit: 'day' },
      (r) => time(r.at) > Date.UTC(2015, 11, 1, 23),
    ],
    [
      'a column named select',
      { column: 'select', op: 'gte', value: 50 },
      (r) => (r.select ?? 0) >= 50,
    ],
    ['a column with a quote', { column: 'a"b', op: 'eq', value: 'q"1' }, (r) => r.id === 1],
    ['a column with spaces', { column: 'with spaces', op: 'is_null' }, (r) => r.spaced === null],
  ])('filters: %s', async (_, filter, keep) => {
    expect(await ids(filter)).toEqual(idsWhere(keep));
  });

  it('filters on calendar parts in UTC: weekdays of a date, months and hours of a datetime', async () => {
    const isoWeekday = (iso: string) =>
      ((new Date(`${iso.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    expect(await ids({ column: 'day', op: 'calendar', part: 'weekday', values: [6, 7] })).toEqual(
      idsWhere((r) => r.day !== null && isoWeekday(r.day) >= 6),
    );
    expect(await ids({ column: 'at', op: 'calendar', part: 'month', values: [1, 12] })).toEqual(
      idsWhere((r) => r.at !== null && [0, 11].includes(new Date(r.at).getUTCMonth())),
    );
    expect(await ids({ column: 'at', op: 'calendar', part: 'hour', values: [23] })).toEqual(
      idsWhere((r) => r.at !== null && new Date(r.at).getUTCHours() === 23),
    );
    await expect(async () =>
      run({
        select: ['id'],
        filters: [{ column: 'day', op: 'calendar', part: 'hour', values: [1] }],
      }),
    ).rejects.toThrow("query.filters[0].op: the hour needs a column of times; 'day' holds dates");
    await expect(async () =>
      run({
        select: ['id'],
        filters: [{ column: 'day', op: 'calendar', part: 'month', values: [13] }],
      }),
    ).rejects.toThrow('query.filters[0].values[0]: a month is from 1 to 12, not 13');
  });

  it('ANDs filters', async () => {
    const result = await run({
      select: ['id'],
      filters: [
        { column: 'flag', op: 'eq', value: true },
        { column: 'x', op: 'not_null' },
      ],
    });
    expect(result.rows.flat()).toEqual(idsWhere((r) => r.flag === true && r.x !== null));
  });

  it('leaves the table alone whatever a value says', async () => {
    expect(await ids({ column: 'label', op: 'eq', value: `x'; DROP TABLE datasets; --` })).toEqual(
      [],
    );
    expect(await ids({ column: 'a"b', op: 'contains', value: '"; SELECT 1; --' })).toEqual([]);
    expect((await run({ measures: [{ agg: 'count' }] })).rows).toEqual([[FIXTURE.length]]);
  });
});
