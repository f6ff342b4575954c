import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdentifier } from '../csv/identifiers';
import type { ColumnType } from '../csv/type-inference';
import { SQL_TYPES, type StoredType, widenExpression } from '../ingest/column-storage';

/** A column's change of type: from what the rows were stored as, to what they now need. */
export interface ColumnWidening {
  identifier: string;
  from: StoredType;
  to: ColumnType;
}

/** Counts of a text column's stored values: rows, non-null values, distinct values. */
export interface TextColumnCounts {
  count: number;
  values: number;
  distinct: number;
}

/**
 * The statements of one load into a new rows table, on the connection (and in the
 * transaction) the caller owns: create, widen a column, COPY, and the exact counts of a
 * text column. The table belongs to no organization until its dataset row commits with it
 * (see DatasetTablesRepository); `table` is schema-qualified and quoted, never user input.
 */
export class DatasetTableRepository {
  constructor(
    private readonly client: ClientBase,
    private readonly table: string,
  ) {}

  /**
   * Settings of the transaction the client is in, for loading a large file: no statement
   * timeout (COPY of a big file outlasts the API's), and times read and stored in UTC/ISO.
   */
  async prepareLoad(): Promise<void> {
    await this.client.query(
      "SET LOCAL statement_timeout = 0; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'",
    );
  }

  async create(columns: ReadonlyArray<{ identifier: string; type: StoredType }>): Promise<void> {
    const definitions = columns.map(
      ({ identifier, type }) => `${quoteIdentifier(identifier)} ${SQL_TYPES[type]}`,
    );
    await this.client.query(`CREATE TABLE ${this.table} (${definitions.join(', ')})`);
  }

  /**
   * Changes the columns' types in place (`ALTER TABLE ... TYPE ... USING`, which rewrites
   * the rows stored so far); the widenings that need no conversion are left out. The
   * widenings made, in column order.
   */
  async widen(widenings: readonly ColumnWidening[]): Promise<ColumnWidening[]> {
    const made: ColumnWidening[] = [];
    const changes: string[] = [];
    for (const widening of widenings) {
      const column = quoteIdentifier(widening.identifier);
      const using = widenExpression(column, widening.from, widening.to);
      if (using === undefined) continue;
      changes.push(`ALTER COLUMN ${column} TYPE ${SQL_TYPES[widening.to]} USING ${using}`);
      made.push(widening);
    }
    if (changes.length > 0) {
      await this.client.query(`ALTER TABLE ${this.table} ${changes.join(', ')}`);
    }
    return made;
  }

  /** A binary `COPY ... FROM STDIN` into the columns; with `freeze`, COPY FREEZE. */
  copy(
    identifiers: readonly string[],
    freeze: boolean,
    highWaterMark: number,
  ): ReturnType<typeof copyFrom> {
    const names = identifiers.map((identifier) => quoteIdentifier(identifier));
    const options = freeze ? 'FORMAT binary, FREEZE' : 'FORMAT binary';
    return this.client.query(
      copyFrom(`COPY ${this.table} (${names.join(', ')}) FROM STDIN WITH (${options})`, {
        highWaterMark,
      }),
    );
  }

  async textCounts(identifier: string): Promise<TextColumnCounts> {
    const column = quoteIdentifier(identifier);
    const counts = await this.client.query<{ count: string; values: string; distinct: string }>(
      `SELECT count(*) AS count, count(${column}) AS values, count(DISTINCT ${column}) AS distinct FROM ${this.table}`,
    );
    const row = counts.rows[0];
    return {
      count: Number(row?.count ?? 0),
      values: Number(row?.values ?? 0),
      distinct: Number(row?.distinct ?? 0),
    };
  }

  /** The `limit` most frequent values of a text column (ties in byte order), nulls left out. */
  async topTextValues(
    identifier: string,
    limit: number,
  ): Promise<Array<{ value: string; count: number }>> {
    const column = quoteIdentifier(identifier);
    const top = await this.client.query<{ value: string; count: string }>(
      `SELECT ${column} AS value, count(*) AS count FROM ${this.table} WHERE ${column} IS NOT NULL
       GROUP BY ${column} ORDER BY count(*) DESC, ${column} COLLATE "C" LIMIT ${limit}`,
    );
    return top.rows.map(({ value, count }) => ({ value, count: Number(count) }));
  }
}
