import type { ColumnType } from '../csv/type-inference';

/**
 * How a column is stored while an upload loads: a column type, or `unknown` while
 * only empty fields have been seen (stored as `text`; any type can follow).
 */
export type StoredType = ColumnType | 'unknown';

/** The PostgreSQL type of each column type; `number` is a double, as JS numbers are. */
export const SQL_TYPES: Readonly<Record<StoredType, string>> = {
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp with time zone',
  string: 'text',
  unknown: 'text',
};

/**
 * The `USING` expression that changes a stored column (quoted name) from `from` to
 * the wider `to`, or undefined when the storage stays as it is (`unknown` → `string`).
 * Every value `from` holds is valid in `to` (see `widen` in ../csv/type-inference):
 * a number keeps its value, a date becomes midnight UTC, and a value turned into
 * text is written the way PostgreSQL prints it (`1.50` → `1.5`).
 */
export function widenExpression(
  column: string,
  from: StoredType,
  to: ColumnType,
): string | undefined {
  if (from === to || (from === 'unknown' && to === 'string')) return undefined;
  // An unknown column holds NULLs and quoted empty strings only.
  if (from === 'unknown') return `NULLIF(${column}, '')::${SQL_TYPES[to]}`;
  return `${column}::${SQL_TYPES[to]}`;
}
