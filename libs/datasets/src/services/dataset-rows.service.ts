import { invalidCursor } from '@app/common';
import { streamQuery } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { DataSource } from 'typeorm';
import type { DatasetRowsPageDto } from '../dtos/dataset.dto';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import {
  csvCell,
  csvLine,
  DATASET_VALUE_TYPES,
  jsonCell,
  selectExpression,
} from '../export/cell-values';
import type { DatasetColumn } from '../ingest/csv-table-loader';

/** Rows fetched per round trip while exporting: memory stays flat whatever the size. */
const EXPORT_BATCH_ROWS = 1000;
const TID = /^\((\d{1,10}),(\d{1,5})\)$/;

function encodeRowCursor(tid: string): string {
  return Buffer.from(tid).toString('base64url');
}

function decodeRowCursor(cursor: string | undefined): string {
  if (cursor === undefined) return '(0,0)';
  const tid = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!TID.test(tid)) throw invalidCursor();
  return tid;
}

function rowObject(values: readonly unknown[], columns: readonly DatasetColumn[]) {
  const row: Record<string, string | number | boolean | null> = {};
  columns.forEach((column, i) => {
    row[column.name] = jsonCell(values[i], column.type);
  });
  return row;
}

/**
 * Rows of a dataset, paged and exported. Rows are in file order: a dataset table is
 * written once by COPY and never updated, so its physical order (`ctid`) is the file's
 * and stays put, and keyset pages over `ctid` use a TID range scan (no index needed).
 */
@Injectable()
export class DatasetRowsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(
    dataset: DatasetEntity,
    limit: number,
    cursor: string | undefined,
  ): Promise<DatasetRowsPageDto> {
    const after = decodeRowCursor(cursor);
    const select = dataset.columns.map(selectExpression).join(', ');
    const rows = await this.withClient((client) =>
      client.query<unknown[]>({
        text: `SELECT ctid::text, ${select} FROM ${datasetTable(dataset)} WHERE ctid > $1::tid ORDER BY ctid LIMIT $2`,
        values: [after, limit + 1],
        rowMode: 'array',
        types: DATASET_VALUE_TYPES,
      }),
    );
    const visible = rows.rows.slice(0, limit);
    const last = visible[visible.length - 1];
    return {
      data: visible.map((values) => rowObject(values.slice(1), dataset.columns)),
      nextCursor:
        rows.rows.length > limit && last !== undefined ? encodeRowCursor(last[0] as string) : null,
    };
  }

  /**
   * The whole dataset as CSV (header row first) or as a JSON array of row objects,
   * streamed from a server-side cursor: memory stays flat for any size. The connection
   * goes back to the pool when the stream ends, fails or is abandoned by the client.
   */
  async export(dataset: DatasetEntity, format: 'csv' | 'json'): Promise<Readable> {
    const select = dataset.columns.map(selectExpression).join(', ');
    const query = new QueryStream(
      `SELECT ${select} FROM ${datasetTable(dataset)} ORDER BY ctid`,
      [],
      {
        batchSize: EXPORT_BATCH_ROWS,
        rowMode: 'array',
        types: DATASET_VALUE_TYPES,
      },
    );
    const columns = dataset.columns;
    let first = true;
    const encode = new Transform({
      writableObjectMode: true,
      transform(values: unknown[], _encoding, callback: TransformCallback) {
        if (format === 'csv') {
          callback(null, csvLine(values, columns));
        } else {
          const prefix = first ? '[\n' : ',\n';
          first = false;
          callback(null, prefix + JSON.stringify(rowObject(values, columns)));
        }
      },
      flush(callback: TransformCallback) {
        callback(null, format === 'json' ? (first ? '[]\n' : '\n]\n') : undefined);
      },
    });
    if (format === 'csv') {
      encode.push(columns.map((column) => csvCell(column.name, 'string')).join(',') + '\n');
    }
    return streamQuery(this.dataSource, query, encode);
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
