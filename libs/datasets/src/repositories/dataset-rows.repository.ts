import type { OrganizationId } from '@app/tenancy';
import { LongConnections } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import type { Readable, Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import { quoteIdentifier } from '../csv/identifiers';
import { DATASET_VALUE_TYPES, selectExpression } from '../export/cell-values';
import { exportBatchRows } from '../export/export-batch';
import type { DatasetColumn } from '../ingest/csv-table-loader';
import { ownedBy } from './dataset-ownership';

/** The first row's place: before block 0's first line pointer (which is 1). */
export const FIRST_ROW = '(0,0)';

/** A row's place (`ctid` text) and the bytes of its text cells as stored. */
export interface RowPlace {
  at: string;
  textBytes: number;
}

type StoredDataset = Pick<DatasetEntity, 'organizationId' | 'tableName' | 'columns'>;

/** The sum of a row's text cells' bytes, read without detoasting them (`octet_length`). */
function textBytesExpression(columns: readonly DatasetColumn[]): string {
  const text = columns.filter((column) => column.type === 'string');
  if (text.length === 0) return '0';
  return text
    .map(({ column }) => `coalesce(octet_length(${quoteIdentifier(column)}), 0)`)
    .join(' + ');
}

/**
 * The rows of a dataset table by their place in it (`ctid`, as `(block,offset)` text).
 * A dataset table is written once by COPY and never updated, so `ctid` order is file
 * order and a row's `ctid` stays put: keyset pages need no index (an ordinal column with
 * a btree would cost the upload a third of its COPY time to build).
 *
 * `ctid` is always qualified (`r.ctid`): a bare `ORDER BY ctid` binds to an output
 * column of that name first, and `ctid::text` in the select list is one — text order
 * (`(0,1)`, `(0,10)`, `(0,2)`) skipped and repeated rows.
 */
@Injectable()
export class DatasetRowsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: LongConnections,
  ) {}

  /**
   * The places (and text bytes) of up to `count` rows after `after`, in file order. Scanned a window of
   * blocks at a time (a TID range scan of about `count` rows, sorted), never the rest
   * of the table: a window is sized from the table's rows per block and doubles while it
   * comes back short (rows of uneven width).
   */
  async placesAfter(
    organizationId: OrganizationId,
    dataset: StoredDataset & Pick<DatasetEntity, 'rowCount'>,
    after: string,
    count: number,
  ): Promise<RowPlace[]> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    return this.withClient(async (client) => {
      const size = await client.query<{ blocks: string }>(
        `SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS blocks`,
        [table],
      );
      const blocks = Number(size.rows[0]?.blocks ?? 0);
      const rowsPerBlock = Math.max(1, dataset.rowCount / Math.max(1, blocks));
      let span = Math.ceil(count / rowsPerBlock) + 1;
      let from = blockOf(after);
      const places: RowPlace[] = [];
      const textBytes = textBytesExpression(dataset.columns);
      while (places.length < count && from < blocks) {
        const to = Math.min(blocks, from + span);
        const found = await client.query<{ at: string; text_bytes: string }>(
          `SELECT r.ctid::text AS at, (${textBytes})::int8 AS text_bytes FROM ${table} AS r
           WHERE r.ctid > $1::tid AND r.ctid >= $2::tid AND r.ctid < $3::tid
           ORDER BY r.ctid LIMIT $4`,
          [
            places[places.length - 1]?.at ?? after,
            `(${from},0)`,
            `(${to},0)`,
            count - places.length,
          ],
        );
        for (const row of found.rows)
          places.push({ at: row.at, textBytes: Number(row.text_bytes) });
        from = to;
        span *= 2;
      }
      return places;
    });
  }

  /**
   * The values of the rows from place `first` through `last`, in file order (`rowMode:
   * 'array'`). With `cutBytes`, a text cell longer than that many bytes comes cut to
   * `cutBytes / 4` characters (at most `cutBytes` bytes of UTF-8), cut by PostgreSQL.
   */
  async valuesBetween(
    organizationId: OrganizationId,
    dataset: StoredDataset,
    first: string,
    last: string,
    cutBytes?: number,
  ): Promise<unknown[][]> {
    const select = dataset.columns
      .map((column) => {
        if (cutBytes === undefined || column.type !== 'string') return selectExpression(column);
        const name = quoteIdentifier(column.column);
        return `CASE WHEN octet_length(${name}) > $3 THEN left(${name}, $3 / 4) ELSE ${name} END`;
      })
      .join(', ');
    const result = await this.withClient((client) =>
      client.query<unknown[]>({
        text: `SELECT ${select} FROM ${datasetTable(ownedBy(organizationId, dataset))} AS r
               WHERE r.ctid >= $1::tid AND r.ctid <= $2::tid ORDER BY r.ctid`,
        values: cutBytes === undefined ? [first, last] : [first, last, cutBytes],
        rowMode: 'array',
        types: DATASET_VALUE_TYPES,
      }),
    );
    return result.rows;
  }

  /** The bytes of each text cell of the row at `at`, by column name (read without detoasting). */
  async textCellBytes(
    organizationId: OrganizationId,
    dataset: StoredDataset,
    at: string,
  ): Promise<Map<string, number>> {
    ownedBy(organizationId, dataset);
    const text = dataset.columns.filter((column) => column.type === 'string');
    if (text.length === 0) return new Map();
    const lengths = text
      .map(({ column }) => `coalesce(octet_length(${quoteIdentifier(column)}), 0)`)
      .join(', ');
    const result = await this.withClient((client) =>
      client.query<string[]>({
        text: `SELECT ${lengths} FROM ${datasetTable(dataset)} AS r WHERE r.ctid = $1::tid`,
        values: [at],
        rowMode: 'array',
      }),
    );
    const row = result.rows[0] ?? [];
    return new Map(text.map(({ name }, i) => [name, Number(row[i] ?? 0)]));
  }

  /**
   * Every row's values in file order (`rowMode: 'array'`), from a server-side cursor
   * through `encode`, on a long slot: memory stays flat for any size, and the connection
   * goes back to the pool when the stream ends, fails or is abandoned by its reader.
   */
  stream(
    organizationId: OrganizationId,
    dataset: StoredDataset & Pick<DatasetEntity, 'byteSize' | 'rowCount'>,
    encode: Transform,
  ): Promise<Readable> {
    const select = dataset.columns.map(selectExpression).join(', ');
    const query = new QueryStream(
      `SELECT ${select} FROM ${datasetTable(ownedBy(organizationId, dataset))} ORDER BY ctid`,
      [],
      {
        batchSize: exportBatchRows(dataset),
        rowMode: 'array',
        types: DATASET_VALUE_TYPES,
      },
    );
    return this.connections.streamQuery(query, encode);
  }

  private async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const [client, release] = (await this.dataSource.driver.obtainMasterConnection()) as [
      PoolClient,
      () => void,
    ];
    try {
      return await work(client);
    } finally {
      release();
    }
  }
}

function blockOf(place: string): number {
  return Number(place.slice(1, place.indexOf(',')));
}
