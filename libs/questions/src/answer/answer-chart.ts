import type { TopLevelSpec } from 'vega-lite';
import type { QueryResult, StructuredQuery } from '../query/structured-query';
import { label, measurePhrase } from './answer-sentence';
import { answerShape } from './answer-shape';
import { formatCell } from './result-numbers';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A Vega-Lite spec over a result, chosen by its shape: values over time → a line, values
 * per category (or a comparison) → bars sorted by value, one number → the number itself;
 * plain rows → null. Data is copied under fixed field names (`x`, `value`): a column
 * name with a dot or a bracket would be read by Vega as a path into the row.
 */
export function answerChart(query: StructuredQuery, result: QueryResult): TopLevelSpec | null {
  if (result.rows.length === 0) return null;
  const shape = answerShape(query, result);
  if (shape.kind === 'rows') return null;
  // The measure asked about: a count beside it only says how many rows it covers.
  const measure = shape.measures.find((m) => m.measure.agg !== 'count') ?? shape.measures[0];
  if (measure === undefined) return null;
  const title = measurePhrase(measure.measure);
  const valueAt = (row: QueryResult['rows'][number]) => {
    const value = row[measure.index];
    return typeof value === 'number' ? value : null;
  };
  switch (shape.kind) {
    case 'single': {
      const value = result.rows[0]?.[measure.index] ?? null;
      return {
        $schema: SCHEMA,
        title,
        width: 320,
        height: 120,
        data: { values: [{ text: formatCell(value) }] },
        mark: { type: 'text', fontSize: 48, fontWeight: 'bold' },
        encoding: { text: { field: 'text', type: 'nominal' } },
      };
    }
    case 'time':
      return {
        $schema: SCHEMA,
        title,
        width: 640,
        height: 280,
        data: { values: result.rows.map((row) => ({ x: row[0] ?? null, value: valueAt(row) })) },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'x', type: 'temporal', title: shape.dimension.column },
          y: { field: 'value', type: 'quantitative', title },
        },
      };
    case 'category':
    case 'comparison':
    case 'groups': {
      const name =
        shape.kind === 'comparison'
          ? 'compared'
          : shape.kind === 'category'
            ? shape.dimension.column
            : shape.dimensions.map((d) => d.column).join(' / ');
      const labelOf = (row: QueryResult['rows'][number]): string =>
        shape.kind === 'category'
          ? label(row[0] ?? null, shape.dimension.bucket)
          : shape.kind === 'groups'
            ? shape.dimensions.map((d, i) => label(row[i] ?? null, d.bucket)).join(' / ')
            : formatCell(row[0] ?? null);
      return {
        $schema: SCHEMA,
        title,
        width: 640,
        height: { step: 20 },
        data: { values: result.rows.map((row) => ({ x: labelOf(row), value: valueAt(row) })) },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'x', type: 'nominal', title: name, sort: '-x' },
          x: { field: 'value', type: 'quantitative', title },
        },
      };
    }
  }
}
