import { csvField, csvTextField } from '@app/common';
import { quoteIdentifier } from '../csv/identifiers';
import type { DatasetColumn } from '../ingest/csv-table-loader';

/**
 * Reading stored rows back: one SQL expression per column that does not depend on the
 * session's TimeZone or DateStyle, and the JSON and CSV forms of each value.
 * int8 and text come as raw text (see {@link RAW_TEXT_TYPES}), double precision and
 * boolean as JS values, dates and times as ISO text built in SQL.
 */
export function selectExpression({ column, type }: DatasetColumn): string {
  const name = quoteIdentifier(column);
  if (type === 'date') return `to_char(${name}, 'YYYY-MM-DD')`;
  if (type === 'datetime') {
    return `to_char(${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  }
  return name;
}

/** PostgreSQL type OIDs read as text, not parsed by node-postgres: int8 (20), text (25). */
const RAW_TEXT_TYPES = new Set<number>([20, 25]);

/** node-postgres `types` for queries over dataset tables. */
export const DATASET_VALUE_TYPES = {
  getTypeParser(oid: number): (value: string) => unknown {
    if (RAW_TEXT_TYPES.has(oid)) return (value: string) => value;
    if (oid === 701) return Number; // float8
    if (oid === 16) return (value: string) => value === 't'; // bool
    return (value: string) => value;
  },
};

/** `2024-01-02T10:00:00.500000Z` → `2024-01-02T10:00:00.5Z`; whole seconds lose the fraction. */
function trimFraction(iso: string): string {
  return iso.replace(/\.(\d*?)0+Z$/, '.$1Z').replace(/\.Z$/, 'Z');
}

export type JsonCell = string | number | boolean | null;

/** A stored value as JSON: integers as numbers while exact (beyond ±2^53, as strings). */
export function jsonCell(value: unknown, type: DatasetColumn['type']): JsonCell {
  if (value === null || value === undefined) return null;
  if (type === 'integer') {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : (value as string);
  }
  if (type === 'datetime') return trimFraction(value as string);
  return value as JsonCell;
}

/**
 * A stored value as a CSV cell (comma-delimited): NULL is an empty field, an empty
 * string is `""`, so the file reads back the same. Text that a spreadsheet would run
 * as a formula is prefixed with `'`; only text columns can hold such values (a
 * negative number in a number column stays a number).
 */
export function csvCell(value: unknown, type: DatasetColumn['type']): string {
  if (value === null || value === undefined) return '';
  if (type === 'string') return csvTextField(value as string);
  if (type === 'datetime') return csvField(trimFraction(value as string));
  return csvField(typeof value === 'string' ? value : JSON.stringify(value));
}

/** One CSV line (with `\n`) from a row of values in column order. */
export function csvLine(values: readonly unknown[], columns: readonly DatasetColumn[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(values[i], columns[i].type);
  }
  return `${line}\n`;
}
