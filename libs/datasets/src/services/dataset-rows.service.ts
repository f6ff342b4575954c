import { invalidCursor } from '@app/common';
import { LongConnections } from '@app/database';
import { Injectable } from '@nestjs/common';
import QueryStream from 'pg-query-stream';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { DatasetRowsPageDto } from '../dtos/dataset.dto';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import {
  csvCell,
  csvLine,
  DATASET_VALUE_TYPES,
  jsonCell,
  type JsonCell,
  selectExpression,
} from '../export/cell-values';
import type { DatasetColumn } from '../ingest/csv-table-loader';
import { DatasetRowsRepository, FIRST_ROW } from '../repositories/dataset-rows.repository';

/** Rows fetched per round trip while exporting: memory stays flat whatever the size. */
const EXPORT_BATCH_ROWS = 1000;
/** A row's place as `(block,offset)`: block < 2^32, offset < 2^16 (PostgreSQL's `tid`). */
const TID = /^\((\d{1,10}),(\d{1,5})\)$/;

function encodeRowCursor(place: string): string {
  return Buffer.from(place).toString('base64url');
}

function decodeRowCursor(cursor: string | undefined): string {
  if (cursor === undefined) return FIRST_ROW;
  const place = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = TID.exec(place);
  if (match === null || Number(match[1]) > 0xffffffff || Number(match[2]) > 0xffff) {
    throw invalidCursor();
  }
  return place;
}

/**
 * A row keyed by its columns' names. Without a prototype, so that every name is an own
 * property as it is: on `{}`, assigning `__proto__` set the prototype and the column was
 * lost from the JSON. Names are unique ignoring case (the reader refuses duplicates).
 */
function rowObject(values: readonly unknown[], columns: readonly DatasetColumn[]) {
  const row = Object.create(null) as Record<string, JsonCell>;
  columns.forEach((column, i) => {
    row[column.name] = jsonCell(values[i], column.type);
  });
  return row;
}

/**
 * Rows of a dataset, paged and exported. Rows are in file order: a dataset table is
 * written once by COPY and never updated, so its physical order (`ctid`) is the file's
 * and stays put (see DatasetRowsRepository); a page's cursor is its last row's `ctid`.
 */
@Injectable()
export class DatasetRowsService {
  constructor(
    private readonly connections: LongConnections,
    private readonly rows: DatasetRowsRepository,
  ) {}

  async page(
    dataset: DatasetEntity,
    limit: number,
    cursor: string | undefined,
  ): Promise<DatasetRowsPageDto> {
    const places = await this.rows.placesAfter(dataset, decodeRowCursor(cursor), limit + 1);
    const shown = places.slice(0, limit);
    const first = shown[0];
    const last = shown[shown.length - 1];
    if (first === undefined || last === undefined) return { data: [], nextCursor: null };
    const values = await this.rows.valuesBetween(dataset, first, last);
    return {
      data: values.map((row) => rowObject(row, dataset.columns)),
      nextCursor: places.length > limit ? encodeRowCursor(last) : null,
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
    return this.connections.streamQuery(query, encode);
  }
}
