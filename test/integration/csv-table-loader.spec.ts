import {
  ColumnProfiler,
  convert,
  CsvError,
  loadCsvIntoTable,
  RowTypeTracker,
  type CsvLoadOptions,
} from '@app/datasets';
import { Readable } from 'node:stream';
import { Client, types } from 'pg';
import { read } from '../../libs/datasets/src/csv/testing/read-csv';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The bytes of `text` in chunks of `size`: cuts fall inside rows, quotes and CRLFs. */
function source(text: string | Buffer, size: number): Readable {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

// Rows as PostgreSQL stores them: dates and times as their UTC text, int8 as text.
const AS_TEXT = new Set<number>([20, 25, 1082, 1184]); // int8, text, date, timestamptz
const TYPE_PARSERS = {
  getTypeParser: (oid: number) =>
    AS_TEXT.has(oid)
      ? (value: string) => value
      : (types.getTypeParser(oid) as (value: string) => unknown),
};

describe('loadCsvIntoTable (PostgreSQL COPY with type widening)', () => {
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

  async function load(
    text: string | Buffer,
    options: Partial<CsvLoadOptions> & { chunk?: number } = {},
  ) {
    const table = `loaded_${++tableNumber}`;
    await client.query('BEGIN');
    try {
      const result = await loadCsvIntoTable(client, source(text, options.chunk ?? 5), {
        table,
        sampleBytes: 8,
        windowBytes: 8,
        batchSize: 1,
        ...options,
      });
      const stored = await client.query({
        text: `SELECT * FROM ${table} ORDER BY ctid`,
        rowMode: 'array',
        types: TYPE_PARSERS,
      });
      const sqlTypes = await client.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      await client.query('COMMIT');
      return {
        result,
        rows: stored.rows as unknown[][],
        sqlTypes: sqlTypes.rows.map((row) => row.data_type),
      };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  /** What the rows should be, from the reader: each field converted to its column's final type. */
  async function expectedRows(text: string, header = true): Promise<unknown[][]> {
    const { columns, rows } = await read(text, { header });
    const tracker = new RowTypeTracker(columns.length);
    rows.forEach((row) => tracker.observe(row));
    return rows.map((row) =>
      row.map((field, c) => {
        const value = convert(field, tracker.types[c] ?? 'string');
        if (value instanceof Date) return value.getTime();
        return value;
      }),
    );
  }

  function normalise(rows: unknown[][], sqlTypes: string[]): unknown[][] {
    return rows.map((row) =>
      row.map((value, c) => {
        if (value === null) return null;
        const type = sqlTypes[c];
        if (type === 'bigint') return Number(value);
        if (type === 'date') return Date.parse(`${value as string}T00:00:00Z`);
        if (type === 'timestamp with time zone')
          return Date.parse((value as string).replace(' ', 'T').replace(/\+00$/, 'Z'));
        return value;
      }),
    );
  }

  const mixed =
    'id,price,when,day,ok,note\r\n' +
    '1,2,2024-01-02 10:00:00,2024-01-02,true,"a, ""quoted""\r\nnote"\r\n' +
    '2,2.5,2024-01-03T11:30:00Z,2024-01-03,FALSE,\r\n' +
    '3,,,,,""\r\n' +
    '4,-7e2,2024-02-29 23:59:59.999+02:00,2024-02-29,true,plain\r\n';

  it.each([1, 3, 7, 64, 4096])(
    'stores every row with its type, in chunks of %i bytes',
    async (chunk) => {
      const { result, rows, sqlTypes } = await load(mixed, { chunk });
      expect(result.columns.map((column) => column.type)).toEqual([
        'integer',
        'number',
        'datetime',
        'date',
        'boolean',
        'string',
      ]);
      expect(sqlTypes).toEqual([
        'bigint',
        'double precision',
        'timestamp with time zone',
        'date',
        'boolean',
        'text',
      ]);
      expect(result.rowCount).toBe(4);
      expect(normalise(rows, sqlTypes)).toEqual(await expectedRows(mixed));
    },
  );

  it.each([1, 4096])(
    'stores a quoted empty field in a typed column as NULL wherever it first appears (windows of %i bytes)',
    async (windowBytes) => {
      // The reader reads `""` as a missing value in a typed column; the binary tuples carry
      // it as NULL, wherever the window boundaries fall.
      const text =
        'n,day,flag,note\n' +
        '1,2024-01-01,true,a\n' +
        '2,2024-01-02,false,""\n' +
        '"","","",""\n' +
        '4,2024-01-04,true,d\n';
      const { result, rows, sqlTypes } = await load(text, {
        sampleBytes: windowBytes,
        windowBytes,
        chunk: 3,
      });
      expect(sqlTypes).toEqual(['bigint', 'date', 'boolean', 'text']);
      expect(rows).toEqual([
        ['1', '2024-01-01', true, 'a'],
        ['2', '2024-01-02', false, ''],
        [null, null, null, ''],
        ['4', '2024-01-04', true, 'd'],
      ]);
      expect(result.typeChanges).toEqual([]);
      expect(result.profile.map(({ count, nullCount }) => [count, nullCount])).toEqual([
        [4, 1],
        [4, 1],
        [4, 1],
        [4, 0],
      ]);
    },
  );

  it('widens columns after rows were stored, keeping every value, and says so', async () => {
    const text =
      'a,b,c,d,e\n' +
      '1,2024-01-01,,x,\n' +
      '2,2024-01-02,,y,""\n' +
      '3.5,2024-01-03 12:00,7,z,\n' +
      'oops,2024-01-04,8,w,5\n';
    const { result, rows, sqlTypes } = await load(text, {
      sampleBytes: 1,
      windowBytes: 1,
      chunk: 2,
    });
    expect(result.columns.map((column) => column.type)).toEqual([
      'string',
      'datetime',
      'integer',
      'string',
      'integer',
    ]);
    expect(sqlTypes).toEqual(['text', 'timestamp with time zone', 'bigint', 'text', 'bigint']);
    expect(rows.map((row) => row[0])).toEqual(['1', '2', '3.5', 'oops']);
    expect(rows.map((row) => row[4])).toEqual([null, null, null, '5']);
    expect(result.typeChanges).toEqual(
      expect.arrayContaining([
        { column: 'a', from: 'integer', to: 'number', rowsBefore: 2 },
        { column: 'a', from: 'number', to: 'string', rowsBefore: 3 },
        { column: 'b', from: 'date', to: 'datetime', rowsBefore: 2 },
      ]),
    );
    // A column turned into text is profiled from the table; the others carry over.
    const [a, b, c, , e] = result.profile;
    expect(a).toMatchObject({ type: 'string', count: 4, nullCount: 0, distinctCount: 4 });
    expect(b).toMatchObject({
      type: 'datetime',
      min: '2024-01-01T00:00:00.000Z',
      max: '2024-01-04T00:00:00.000Z',
    });
    expect(c).toMatchObject({ type: 'integer', count: 4, nullCount: 2, min: 7, max: 8, mean: 7.5 });
    expect(e).toMatchObject({ type: 'integer', count: 4, nullCount: 3, min: 5 });
  });

  it('profiles each column as an independent profiler over the final types would', async () => {
    const { result } = await load(mixed, { sampleBytes: 1 << 20 });
    const { columns, rows } = await read(mixed);
    columns.forEach((name, c) => {
      const type = result.columns[c]?.type ?? 'string';
      const profiler = new ColumnProfiler(name, type);
      rows.forEach((row) => profiler.add(convert(row[c] ?? null, type)));
      expect(result.profile[c]).toEqual(profiler.profile());
    });
  });

  it('reads a BOM, tab delimiters, no header and lone CRs the way COPY stores them', async () => {
    const text = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('1\tx\r2\t"y\ty"\r\r'),
    ]);
    const { result, rows } = await load(text, { header: false, chunk: 1 });
    expect(result.delimiter).toBe('\t');
    expect(result.columns.map((column) => column.name)).toEqual(['column_1', 'column_2']);
    expect(rows).toEqual([
      ['1', 'x'],
      ['2', 'y\ty'],
    ]);
  });

  it('keeps empty lines of a one-column file as nulls and drops those at the end', async () => {
    const { rows } = await load('v\n1\n\n2\n\n\n', { chunk: 2 });
    expect(rows).toEqual([['1'], [null], ['2']]);
  });

  it('fails on a bad row after COPY started, and the rollback leaves no table', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(50) + '3\n';
    const failure = load(text);
    await expect(failure).rejects.toBeInstanceOf(CsvError);
    await expect(failure).rejects.toMatchObject({ code: 'ragged-row', line: 52 });
    const tables = await client.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = $1`,
      [`loaded_${tableNumber}`],
    );
    expect(tables.rows[0]).toEqual({ n: 0 });
  });
});
