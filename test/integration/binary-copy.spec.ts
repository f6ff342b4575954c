import { loadCsvIntoTable } from '@app/datasets';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The loader sends PostgreSQL binary tuples built from the values Node parsed; every
 * stored value must be the one PostgreSQL's own parser makes of the same CSV text.
 * Each file below is loaded both ways (the loader, and a plain text COPY into a table
 * of the same types) and the stored values compared in their exact text forms
 * (float8 output is shortest-exact, `-0` included; timestamps to the microsecond).
 */
describe('binary COPY tuples (the loader) store what a text COPY of the CSV stores', () => {
  let database: TestDatabase;
  let client: Client;
  let tableNumber = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  function rowsOf(header: string, rows: string[][]): string {
    return [header, ...rows.map((row) => row.join(','))].join('\n') + '\n';
  }

  /** Loads `csv` both ways; returns each table's rows as text, and the loader's SQL types. */
  async function loadBothWays(csv: string, windowBytes = 64) {
    const loaded = `binary_${++tableNumber}`;
    const copied = `text_${tableNumber}`;
    await client.query('BEGIN');
    try {
      await loadCsvIntoTable(client, Readable.from([Buffer.from(csv)]), {
        table: loaded,
        sampleBytes: windowBytes,
        windowBytes,
      });
      const columns = await client.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_name = $1 ORDER BY ordinal_position`,
        [loaded],
      );
      const names = columns.rows.map((column) => `"${column.column_name}"`);
      const typed = names.filter((_, i) => columns.rows[i]?.data_type !== 'text');
      await client.query(`CREATE TABLE ${copied} (LIKE ${loaded})`);
      await pipeline(
        Readable.from([Buffer.from(csv)]),
        client.query(
          copyFrom(
            `COPY ${copied} FROM STDIN WITH (FORMAT csv, HEADER true${
              typed.length > 0 ? `, FORCE_NULL (${typed.join(', ')})` : ''
            })`,
          ),
        ),
      );
      const select = (table: string) =>
        client.query({
          text: `SELECT ${names.map((name) => `${name}::text`).join(', ')} FROM ${table} ORDER BY ${table}."ord"`,
          rowMode: 'array',
        });
      const [binary, text] = [await select(loaded), await select(copied)];
      await client.query('ROLLBACK');
      return {
        types: columns.rows.map((column) => column.data_type),
        binary: binary.rows as Array<Array<string | null>>,
        text: text.rows as Array<Array<string | null>>,
      };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  it('stores integers, including those beyond 2^53 and the ends of bigint', async () => {
    const values = [
      '0',
      '-0',
      '+42',
      '007',
      ' 12\t',
      '-1',
      '4294967295',
      '4294967296',
      '-4294967297',
      '9007199254740991',
      '9007199254740993',
      '-9007199254740993',
      '12345678901234567',
      '9223372036854775807',
      '-9223372036854775808',
      '',
    ];
    const csv = rowsOf(
      'ord,value',
      values.map((value, i) => [String(i), value]),
    );
    const { types, binary, text } = await loadBothWays(csv);
    expect(types).toEqual(['bigint', 'bigint']);
    expect(binary).toHaveLength(values.length);
    expect(binary).toEqual(text);
  });

  it('stores doubles exactly as PostgreSQL rounds them, -0 included', async () => {
    const values = [
      '0.1',
      '-0',
      '-0.0',
      ' -0e5',
      '0',
      '1e5',
      '1.5E-3',
      '.5',
      '5.',
      '-1.5',
      '0.30000000000000004',
      '123456789012345678',
      '3.141592653589793238462643383279',
      '1.7976931348623157e308',
      '2.2250738585072014e-308',
      '4.9e-324',
      '9007199254740993.5',
      ' 3.25\t',
      '',
    ];
    const csv = rowsOf(
      'ord,value',
      values.map((value, i) => [String(i), value]),
    );
    const { types, binary, text } = await loadBothWays(csv);
    expect(types).toEqual(['bigint', 'double precision']);
    expect(binary).toEqual(text);
    expect(binary[1]?.[1]).toBe('-0');
  });

  it('stores dates, and times to the microsecond with PostgreSQL rounding past it', async () => {
    const dates = [
      '2000-01-01',
      '1970-01-01',
      '0001-01-01',
      '9999-12-31',
      '2024-02-29',
      '1999-12-31',
      '',
    ];
    const times = [
      '2000-01-01T00:00:00Z',
      '1969-12-31 23:59:59.999999',
      '2024-03-01 12:00:00+05:30',
      '2024-03-01 12:00:00.5-08',
      '2024-03-01 12:00',
      '2024-03-01T12:00:00.1234Z',
      '2024-03-01T12:00:00.12345Z',
      '2024-03-01T12:00:00.123456Z',
      '2024-03-01T12:00:00.1234565Z',
      '2024-03-01T12:00:00.1234575Z',
      '2024-03-01T12:00:00.0000005Z',
      '2024-03-01T12:00:00.0000015Z',
      '2024-12-31T23:59:59.9999995Z',
      '1900-06-30T10:20:30.123456789+0130',
      '0001-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999999Z',
      '2024-06-01',
      '',
    ];
    const rows = times.map((time, i) => [String(i), dates[i % dates.length] ?? '', time]);
    const { types, binary, text } = await loadBothWays(rowsOf('ord,day,at', rows));
    expect(types).toEqual(['bigint', 'date', 'timestamp with time zone']);
    expect(binary).toEqual(text);
    expect(binary[8]?.[2]).toBe('2024-03-01 12:00:00.123456+00');
  });

  it('stores booleans, text with quotes, non-ASCII and long fields, and empty strings apart from nulls', async () => {
    const long = 'x'.repeat(100_000) + 'é';
    const rows = [
      ['0', 'true', '"a, ""quoted"" note"'],
      ['1', 'FALSE', 'naïve café 😀'],
      ['2', 'True', '""'],
      ['3', '', ''],
      ['4', 'false', `"${long}"`],
      ['5', 'true', '"line\nbreak"'],
    ];
    const { types, binary, text } = await loadBothWays(rowsOf('ord,flag,note', rows), 32);
    expect(types).toEqual(['bigint', 'boolean', 'text']);
    expect(binary).toEqual(text);
    expect(binary.map((row) => row[2])).toEqual([
      'a, "quoted" note',
      'naïve café 😀',
      '',
      null,
      long,
      'line\nbreak',
    ]);
  });

  it('stores 20,000 rows across many 64 KiB buffers and 256 KiB windows', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 20_000; i++) {
      rows.push([
        String(i),
        String((i * 7919) % 100_003) + (i % 7 === 0 ? '.5' : ''),
        `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00.${String(i % 1_000_000).padStart(6, '0')}Z`,
        i % 11 === 0 ? '' : `"row ${i}, ""quoted"" ${'é'.repeat(i % 5)}"`,
      ]);
    }
    const csv = rowsOf('ord,amount,at,note', rows);
    expect(csv.length).toBeGreaterThan(1_000_000);
    const { types, binary, text } = await loadBothWays(csv, 256 * 1024);
    expect(types).toEqual(['bigint', 'double precision', 'timestamp with time zone', 'text']);
    expect(binary).toHaveLength(20_000);
    expect(binary).toEqual(text);
  });

  it('stores what PostgreSQL reads from random CSV files (quoting, line breaks, empties, types)', async () => {
    let state = 0x2545f491;
    const random = (): number => {
      // mulberry32: a fixed seed, so a failure is the same file every time.
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T =>
      items[Math.floor(random() * items.length)] ?? items[0];
    const pieces = ['a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '😀', '0', '-', '.', ';', '\t'];
    const cell = (kind: number): string => {
      switch (kind) {
        case 0:
          return pick(['', String(Math.floor(random() * 2e6) - 1e6), '']);
        case 1:
          return pick(['', (random() * 1e4 - 5e3).toFixed(Math.floor(random() * 8)), '-0', '1e-3']);
        case 2:
          return pick([
            '',
            `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)} 0${Math.floor(random() * 10)}:30:1${Math.floor(random() * 10)}.${Math.floor(random() * 1e7)}+02`,
          ]);
        default: {
          let text = '';
          for (let n = Math.floor(random() * 6); n > 0; n--) text += pick(pieces);
          const quote = /[",\r\n]/.test(text) || text === '' || random() < 0.3;
          return quote ? `"${text.replaceAll('"', '""')}"` : text;
        }
      }
    };
    const seen = new Set<string>();
    for (let file = 0; file < 25; file++) {
      const kinds = [0, 1, 2, 3, 3].map(() => Math.floor(random() * 4));
      const lineBreak = pick(['\n', '\r\n']);
      const lines = ['ord,a,b,c,d,e'];
      for (let row = 0; row < 40; row++) {
        lines.push([String(row), ...kinds.map((kind) => cell(kind))].join(','));
      }
      const csv = lines.join(lineBreak) + lineBreak;
      const { types, binary, text } = await loadBothWays(csv, 128);
      types.forEach((type) => seen.add(type));
      expect(binary).toHaveLength(40);
      expect({ file, rows: binary }).toEqual({ file, rows: text });
    }
    expect([...seen].sort()).toEqual([
      'bigint',
      'double precision',
      'text',
      'timestamp with time zone',
    ]);
  });

  it('stores rows sent before and after a column widened, over many COPY windows', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 400; i++) {
      const late = i >= 300;
      rows.push([
        String(i),
        i < 100 ? '' : late ? `${i}.25` : String(i * 1000),
        late ? `2024-01-0${(i % 9) + 1}T0${i % 10}:30:00.${i}Z` : `2024-01-0${(i % 9) + 1}`,
        i === 350 ? 'not a number' : String(-i),
      ]);
    }
    const { types, binary, text } = await loadBothWays(rowsOf('ord,amount,at,code', rows), 256);
    expect(types).toEqual(['bigint', 'double precision', 'timestamp with time zone', 'text']);
    expect(binary).toHaveLength(400);
    expect(binary).toEqual(text);
  });
});
