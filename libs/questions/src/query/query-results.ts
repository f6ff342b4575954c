import type { CompiledQuery } from './query-compiler';
import type { QueryResult, ResultColumn } from './structured-query';

type Cell = QueryResult['rows'][number][number];

/**
 * The rows a compiled statement returned (objects keyed `c0`, `c1`, …, one more than the cap
 * when there were more) as a result of JSON-able values in column order.
 */
export function queryResultOf(
  compiled: Pick<CompiledQuery, 'columns' | 'rowCap'>,
  rows: ReadonlyArray<Record<string, unknown>>,
): QueryResult {
  const kept = rows.slice(0, compiled.rowCap);
  return {
    columns: compiled.columns,
    rows: kept.map((row) => compiled.columns.map((column, i) => cellOf(row[`c${i}`], column))),
    truncated: rows.length > compiled.rowCap,
  };
}

/**
 * One value as JSON: bigint and numeric (counts, sums of integers) come from node-postgres
 * as text and become numbers while exact (beyond ±2^53 they stay text, as dataset rows do);
 * times lose trailing zeros of their fraction (`…:00.500000Z` → `…:00.5Z`).
 */
function cellOf(value: unknown, column: ResultColumn): Cell {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'integer': {
      const number = Number(value);
      return Number.isSafeInteger(number) ? number : textOf(value);
    }
    case 'number':
      return Number(value);
    case 'boolean':
      return value === true || value === 't' || value === 'true';
    case 'datetime':
      return textOf(value)
        .replace(/\.(\d*?)0+Z$/, '.$1Z')
        .replace(/\.Z$/, 'Z');
    case 'date':
    case 'string':
      return textOf(value);
  }
}

/** node-postgres gives text for the types selected as text, bigint and numeric. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
