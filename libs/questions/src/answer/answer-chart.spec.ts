import { renderVegaLiteSvg } from '@app/common';
import type { TopLevelSpec } from 'vega-lite';
import type { QueryResult } from '../query/structured-query';
import { answerChart } from './answer-chart';

const result = (columns: QueryResult['columns'], rows: QueryResult['rows']): QueryResult => ({
  columns,
  rows,
  truncated: false,
});

describe('answerChart', () => {
  it('bars sorted by value for a measure per category', async () => {
    const spec = answerChart(
      { measures: [{ agg: 'avg', column: 'temp_max' }], groupBy: [{ column: 'weather' }] },
      result(
        [
          { name: 'weather', type: 'string' },
          { name: 'avg_temp_max', type: 'number' },
        ],
        [
          ['rain', 13.45],
          ['sun', 19.86],
        ],
      ),
    );
    expect(spec).toMatchObject({
      mark: { type: 'bar' },
      data: {
        values: [
          { x: 'rain', value: 13.45 },
          { x: 'sun', value: 19.86 },
        ],
      },
      encoding: { y: { sort: '-x', title: 'weather' } },
    });
    const svg = await renderVegaLiteSvg(spec as TopLevelSpec);
    expect(svg).toContain('<svg');
    expect(svg).toContain('sun');
  });

  it('a line over a time bucket', () => {
    const spec = answerChart(
      { measures: [{ agg: 'count' }], groupBy: [{ column: 'date', bucket: 'month' }] },
      result(
        [
          { name: 'date', type: 'date' },
          { name: 'count', type: 'number' },
        ],
        [
          ['2015-01-01', 31],
          ['2015-02-01', 28],
        ],
      ),
    );
    expect(spec).toMatchObject({
      mark: { type: 'line' },
      encoding: { x: { field: 'x', type: 'temporal' } },
    });
  });

  it('the number itself for a single aggregate', async () => {
    const spec = answerChart(
      { measures: [{ agg: 'avg', column: 'a.b' }] },
      result([{ name: 'avg_a.b', type: 'number' }], [[13.4459]]),
    );
    expect(spec).toMatchObject({ mark: { type: 'text' }, data: { values: [{ text: '13.45' }] } });
    expect(await renderVegaLiteSvg(spec as TopLevelSpec)).toContain('13.45');
  });

  it('no chart for plain rows or an empty result', () => {
    const rows = result([{ name: 'date', type: 'date' }], [['2015-01-01']]);
    expect(answerChart({ select: ['date'] }, rows)).toBeNull();
    expect(
      answerChart({ measures: [{ agg: 'count' }], groupBy: [{ column: 'w' }] }, result([], [])),
    ).toBeNull();
  });

  it('shows the measure asked about, not the count of rows beside it', () => {
    const spec = answerChart(
      {
        measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
        filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
      },
      result(
        [
          { name: 'count', type: 'integer' },
          { name: 'avg_temp_max', type: 'number' },
        ],
        [[641, 13.4546]],
      ),
    );
    expect(spec).toMatchObject({ mark: { type: 'text' }, data: { values: [{ text: '13.45' }] } });
  });
});
