import type { DatasetColumn } from '../ingest/csv-table-loader';
import { csvCell, csvLine, jsonCell } from './cell-values';

describe('csvCell', () => {
  it.each([
    ['=SUM(A1:A2)', `'=SUM(A1:A2)`],
    ['+1', `'+1`],
    ['-2', `'-2`],
    ['@cmd', `'@cmd`],
    ['\tx', `'\tx`],
    ['\rx', `"'\rx"`],
    ['plain', 'plain'],
  ])('neutralises a text cell %j that a spreadsheet would run as a formula', (value, cell) => {
    expect(csvCell(value, 'string')).toBe(cell);
  });

  it('leaves numbers alone: a negative number is not a formula', () => {
    expect(csvCell(-3.5, 'number')).toBe('-3.5');
    expect(csvCell('-9223372036854775808', 'integer')).toBe('-9223372036854775808');
  });

  it('quotes what CSV needs quoted and keeps NULL apart from the empty string', () => {
    expect(csvCell('a,b', 'string')).toBe('"a,b"');
    expect(csvCell('say "hi"', 'string')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines', 'string')).toBe('"two\nlines"');
    expect(csvCell(' padded ', 'string')).toBe('" padded "');
    expect(csvCell('', 'string')).toBe('""');
    expect(csvCell(null, 'string')).toBe('');
  });

  it('writes datetimes as ISO-8601 UTC without empty fractions', () => {
    expect(csvCell('2024-01-02T10:00:00.000000Z', 'datetime')).toBe('2024-01-02T10:00:00Z');
    expect(csvCell('2024-01-02T10:00:00.500000Z', 'datetime')).toBe('2024-01-02T10:00:00.5Z');
    expect(csvCell('2024-01-02T10:00:00.123456Z', 'datetime')).toBe('2024-01-02T10:00:00.123456Z');
  });

  it('builds whole lines in column order', () => {
    const columns: DatasetColumn[] = [
      { name: 'a', column: 'a', type: 'integer' },
      { name: 'b', column: 'b', type: 'boolean' },
      { name: 'c', column: 'c', type: 'string' },
    ];
    expect(csvLine(['1', true, null], columns)).toBe('1,true,\n');
  });
});

describe('jsonCell', () => {
  it('gives integers as numbers while exact, as strings beyond 2^53', () => {
    expect(jsonCell('42', 'integer')).toBe(42);
    expect(jsonCell('9007199254740993', 'integer')).toBe('9007199254740993');
  });

  it('passes other values through, with datetimes trimmed', () => {
    expect(jsonCell(1.5, 'number')).toBe(1.5);
    expect(jsonCell(false, 'boolean')).toBe(false);
    expect(jsonCell('2024-01-02', 'date')).toBe('2024-01-02');
    expect(jsonCell('2024-01-02T00:00:00.000000Z', 'datetime')).toBe('2024-01-02T00:00:00Z');
    expect(jsonCell(null, 'string')).toBeNull();
  });
});
