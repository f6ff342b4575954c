import type { ColumnType } from '../csv/type-inference';
import { type ColumnValue } from './column-profiler';
import { type Column, mergedInChunks, mismatches, profileOf } from './testing/profile-check';
import { readJsonRecords, readSimpleCsv } from './testing/vega-data';

/** Types vega's simple CSVs by their content, as an ingest would: empty cells are null. */
function csvColumns(file: string, parseDate: (raw: string) => Date | null = isoDate): Column[] {
  const { header, rows } = readSimpleCsv(file);
  return header.map((name, i) => {
    const raw = rows.map((row) => row[i]).filter((cell) => cell !== '');
    const numbers = raw.map(Number);
    const type: ColumnType = raw.every((cell) => parseDate(cell) !== null)
      ? 'date'
      : numbers.every(Number.isFinite)
        ? numbers.every(Number.isInteger)
          ? 'integer'
          : 'number'
        : 'string';
    const parse = (cell: string): ColumnValue =>
      cell === ''
        ? null
        : type === 'date'
          ? parseDate(cell)
          : type === 'string'
            ? cell
            : Number(cell);
    return { name, type, values: rows.map((row) => parse(row[i])) };
  });
}

function isoDate(raw: string): Date | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : null;
}

function monthDayYear(raw: string): Date | null {
  return /^[A-Z][a-z]{2} \d{1,2} \d{4}$/.test(raw) ? new Date(`${raw} UTC`) : null;
}

describe('ColumnProfiler on vega-datasets files', () => {
  const realFiles: Array<[string, Column[]]> = [
    ['weather.csv', csvColumns('weather.csv')],
    ['seattle-weather.csv', csvColumns('seattle-weather.csv')],
    ['stocks.csv', csvColumns('stocks.csv', monthDayYear)],
    ['birdstrikes.csv', csvColumns('birdstrikes.csv')],
  ];
  it.each(realFiles)(
    'profiles every column of vega-datasets %s exactly or within bounds',
    (_, columns) => {
      for (const column of columns) {
        expect({
          column: column.name,
          problems: mismatches(profileOf(column).profile(), column),
        }).toEqual({
          column: column.name,
          problems: [],
        });
        expect({
          column: column.name,
          problems: mismatches(mergedInChunks(column).profile(), column),
        }).toEqual({
          column: column.name,
          problems: [],
        });
      }
    },
  );

  it('types the real files as expected (the specs above test what they claim)', () => {
    const types = (columns: Column[]) => Object.fromEntries(columns.map((c) => [c.name, c.type]));
    expect(types(realFiles[0][1])).toMatchObject({
      date: 'date',
      precipitation: 'number',
      weather: 'string',
    });
    expect(types(realFiles[2][1])).toMatchObject({
      date: 'date',
      price: 'number',
      symbol: 'string',
    });
    expect(types(realFiles[3][1])).toMatchObject({
      'Speed IAS in knots': 'integer',
      'Flight Date': 'date',
    });
  });

  it('profiles 200,000 real flights (vega-datasets flights-200k.json)', () => {
    const flights = readJsonRecords('flights-200k.json');
    for (const [name, type] of [
      ['delay', 'integer'],
      ['distance', 'integer'],
      ['time', 'number'],
    ] as const) {
      const column: Column = { name, type, values: flights.map((row) => row[name] as number) };
      expect(mismatches(profileOf(column).profile(), column)).toEqual([]);
    }
  });
});
