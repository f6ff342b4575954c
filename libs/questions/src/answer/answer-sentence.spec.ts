import type { QueryResult, StructuredQuery } from '../query/structured-query';
import { answerSentence, filterPhrase, label } from './answer-sentence';
import { formatNumber, isInResult, numbersAreFromResult, numbersIn } from './result-numbers';

const num = (name: string) => ({ name, type: 'number' as const });
const text = (name: string) => ({ name, type: 'string' as const });
const result = (columns: QueryResult['columns'], rows: QueryResult['rows']): QueryResult => ({
  columns,
  rows,
  truncated: false,
});

/** Every case: the sentence, and the proof that each of its numbers is in the result. */
function answered(query: StructuredQuery, answer: QueryResult, readings: string[] = []): string {
  const sentence = answerSentence(query, answer, readings);
  expect({ sentence, fromResult: numbersAreFromResult(sentence, answer) }).toEqual({
    sentence,
    fromResult: true,
  });
  return sentence;
}

describe('numbers in an answer', () => {
  it('formats as the result has them, rounded for reading', () => {
    expect(formatNumber(641)).toBe('641');
    expect(formatNumber(1461)).toBe('1,461');
    expect(formatNumber(13.4459)).toBe('13.45');
    expect(formatNumber(19.9)).toBe('19.9');
    expect(formatNumber(2.9999)).toBe('3');
    expect(formatNumber(0.043871)).toBe('0.0439');
    expect(formatNumber(-1234.567)).toBe('-1,234.57');
  });

  it('finds the numbers a sentence states, not digits inside names', () => {
    expect(numbersIn('The p90 of temp_max2 is 13.45, over 1,461 rows in 2015-08-01.')).toEqual([
      '13.45',
      '1,461',
      '2015',
      '08',
      '01',
    ]);
  });

  it('holds a number to be in the result only when a cell rounds to it', () => {
    const r = result([text('d'), num('v')], [['2015-08-01', 13.4459]]);
    expect(isInResult('13.45', r)).toBe(true);
    expect(isInResult('13.4', r)).toBe(true);
    expect(isInResult('13.5', r)).toBe(false);
    expect(isInResult('2015', r)).toBe(true);
    expect(isInResult('8', r)).toBe(true);
    expect(isInResult('20', r)).toBe(false);
  });
});

describe('answerSentence', () => {
  it('a single aggregate with a filter, with its count', () => {
    const sentence = answered(
      {
        measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
        filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
      },
      result([num('count'), num('avg_temp_max')], [[641, 13.4459]]),
    );
    expect(sentence).toBe('Over the 641 rows where weather = rain, the average temp_max is 13.45.');
  });

  it('a single aggregate without a count', () => {
    expect(
      answered({ measures: [{ agg: 'max', column: 'wind' }] }, result([num('max_wind')], [[9.5]])),
    ).toBe('The maximum wind is 9.5.');
  });

  it('a count alone', () => {
    expect(
      answered(
        { measures: [{ agg: 'count' }], filters: [{ column: 'weather', op: 'eq', value: 'snow' }] },
        result([num('count')], [[26]]),
      ),
    ).toBe('There are 26 rows where weather = snow.');
  });

  it('a filter whose own number is not in the result is not stated', () => {
    const sentence = answered(
      {
        measures: [{ agg: 'count' }, { agg: 'avg', column: 'wind' }],
        filters: [{ column: 'temp_max', op: 'gt', value: 30 }],
      },
      result([num('count'), num('avg_wind')], [[12, 2.51]]),
    );
    expect(sentence).toBe('Over the 12 rows where the filters hold, the average wind is 2.51.');
  });

  it('groups: the highest and the lowest', () => {
    const sentence = answered(
      { measures: [{ agg: 'avg', column: 'temp_max' }], groupBy: [{ column: 'weather' }] },
      result(
        [text('weather'), num('avg_temp_max')],
        [
          ['drizzle', 15.93],
          ['rain', 13.4459],
          ['sun', 19.8616],
        ],
      ),
    );
    expect(sentence).toBe('sun had the highest average temp_max (19.86), rain the lowest (13.45).');
  });

  it('top N, in the order asked', () => {
    const sentence = answered(
      {
        measures: [{ agg: 'sum', column: 'precipitation' }],
        groupBy: [{ column: 'weather' }],
        orderBy: [{ by: 'sum_precipitation', direction: 'desc' }],
        limit: 2,
      },
      result(
        [text('weather'), num('sum_precipitation')],
        [
          ['rain', 2653.2],
          ['snow', 474.5],
        ],
      ),
    );
    expect(sentence).toBe('Highest total precipitation: rain (2,653.2), snow (474.5).');
  });

  it('a time bucket: from first to last, and the peak between', () => {
    const sentence = answered(
      {
        measures: [{ agg: 'avg', column: 'temp_max' }],
        groupBy: [{ column: 'date', bucket: 'month' }],
        filters: [{ column: 'date', op: 'between', from: '2015-01-01', to: '2015-12-31' }],
      },
      result(
        [{ name: 'date', type: 'date' }, num('avg_temp_max')],
        [
          ['2015-01-01', 9.2],
          ['2015-07-01', 28.1],
          ['2015-12-01', 8.4],
        ],
      ),
    );
    // The filter's dates are not cells of the result: "where the filters hold".
    expect(sentence).toBe(
      'Average temp_max where the filters hold fell from 9.2 in Jan 2015 to 8.4 in Dec 2015. It was highest in Jul 2015 (28.1).',
    );
  });

  it('weekdays are named', () => {
    expect(label(1, 'weekday')).toBe('Monday');
    const sentence = answered(
      { measures: [{ agg: 'count' }], groupBy: [{ column: 'at', bucket: 'weekday' }] },
      result(
        [num('at'), num('count')],
        [
          [1, 10],
          [7, 3],
        ],
      ),
    );
    expect(sentence).toBe('Monday had the highest number of rows (10), Sunday the lowest (3).');
  });

  it('a comparison states both values and which is higher, not a difference', () => {
    const sentence = answered(
      {
        measures: [{ agg: 'avg', column: 'temp_max' }],
        compare: {
          groups: [
            {
              label: '2015',
              filters: [{ column: 'date', op: 'between', from: '2015-01-01', to: '2015-12-31' }],
            },
            {
              label: '2014',
              filters: [{ column: 'date', op: 'between', from: '2014-01-01', to: '2014-12-31' }],
            },
          ],
        },
      },
      result(
        [text('compared'), num('avg_temp_max')],
        [
          ['2015', 17.43],
          ['2014', 17.3],
        ],
      ),
    );
    expect(sentence).toBe('2015 has average temp_max 17.43, 2014 17.3: 2015 is higher.');
  });

  it('an empty result says nothing matches, with how the question was read', () => {
    const sentence = answered(
      { measures: [{ agg: 'count' }], filters: [{ column: 'weather', op: 'eq', value: 'hail' }] },
      result([num('count')], [[0]]),
      ['"hail" → weather = hail'],
    );
    expect(sentence).toBe(
      'There are no rows where weather = hail (the question was read as: "hail" → weather = hail).',
    );
    expect(
      answered(
        { select: ['date'], filters: [{ column: 'weather', op: 'eq', value: 'hail' }] },
        result([{ name: 'date', type: 'date' }], []),
      ),
    ).toBe('There are no rows where weather = hail.');
  });

  it('rows: one row spelled out, many rows described', () => {
    expect(
      answered(
        {
          select: ['date', 'temp_max'],
          orderBy: [{ by: 'temp_max', direction: 'desc' }],
          limit: 1,
        },
        result([{ name: 'date', type: 'date' }, num('temp_max')], [['2015-07-24', 35.6]]),
      ),
    ).toBe('The one row has date 2015-07-24 and temp_max 35.6.');
    const cut = {
      ...result([{ name: 'date', type: 'date' }], [['2015-07-24'], ['2015-07-25']]),
      truncated: true,
    };
    expect(
      answered({ select: ['date'], orderBy: [{ by: 'temp_max', direction: 'desc' }] }, cut),
    ).toBe(
      'The result lists the rows, highest temp_max first. The result was cut at the row limit.',
    );
    // A top 10 that has more rows behind it was not cut: it is what was asked for.
    expect(
      answered(
        { select: ['date'], orderBy: [{ by: 'temp_max', direction: 'desc' }], limit: 10 },
        cut,
      ),
    ).toBe('The result lists the rows, highest temp_max first.');
  });

  it('describes every kind of filter', () => {
    expect(
      filterPhrase([
        { column: 'a', op: 'in', values: ['x', 'y'] },
        { column: 'b', op: 'not_null' },
        { column: 'c', op: 'contains', value: 'fog' },
      ]),
    ).toBe('where a is x or y and b is not empty and c contains "fog"');
  });

  it('reads months ranked by a measure as a ranking, not as a rise over time', () => {
    const sentence = answered(
      {
        measures: [{ agg: 'sum', column: 'precipitation' }],
        groupBy: [{ column: 'date', bucket: 'month' }],
        orderBy: [{ by: 'sum_precipitation', direction: 'desc' }],
        limit: 3,
      },
      result(
        [{ name: 'month_date', type: 'date' }, num('sum_precipitation')],
        [
          ['2015-12-01', 284.5],
          ['2014-03-01', 240],
          ['2015-11-01', 212.6],
        ],
      ),
    );
    expect(sentence).not.toMatch(/rose|fell/);
    expect(sentence).toMatch(/Dec 2015 \(284\.5\)/);
  });

  it('says calendar filters in words', () => {
    expect(
      answered(
        {
          measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
          filters: [{ column: 'date', op: 'calendar', part: 'weekday', values: [6, 7] }],
        },
        result([{ name: 'count', type: 'integer' }, num('avg_temp_max')], [[418, 16.1]]),
      ),
    ).toMatch(/date falls on a Saturday or a Sunday/);
  });
});
