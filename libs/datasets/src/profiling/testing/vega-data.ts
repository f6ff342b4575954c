import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Folder of the data files shipped by the `vega-datasets` dev dependency. */
export const VEGA_DATA_DIR = path.join(
  path.dirname(require.resolve('vega-datasets')),
  '..',
  'data',
);

/**
 * Reads one of vega-datasets' simple CSV files (no quoted fields) as rows of raw strings,
 * checking that each row has as many fields as the header.
 */
export function readSimpleCsv(file: string): { header: string[]; rows: string[][] } {
  const text = readFileSync(path.join(VEGA_DATA_DIR, file), 'utf8');
  if (text.includes('"'))
    throw new Error(`${file} has quoted fields; this splitter cannot read it`);
  const [header, ...rows] = text
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
  rows.forEach((row, i) => {
    if (row.length !== header.length) throw new Error(`${file}:${i + 2} has ${row.length} fields`);
  });
  return { header, rows };
}

/** Reads a JSON array of records from vega-datasets. */
export function readJsonRecords(file: string): Array<Record<string, unknown>> {
  return JSON.parse(readFileSync(path.join(VEGA_DATA_DIR, file), 'utf8')) as Array<
    Record<string, unknown>
  >;
}
