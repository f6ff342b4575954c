import type { OrganizationId } from '@app/tenancy';
import { invalidCursor } from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { DatasetRowsPageDto } from '../dtos/dataset.dto';
import { csvCell, csvLine, jsonCell, type JsonCell } from '../export/cell-values';
import type { DatasetColumn } from '../ingest/csv-table-loader';
import { DatasetRowsRepository, FIRST_ROW } from '../repositories/dataset-rows.repository';
import { DatasetsService } from './datasets.service';

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
 * Bytes a row's JSON takes besides its text cells' own: each key quoted, its colon and
 * comma, and a typed value at its longest (a datetime: `"2024-01-02T10:00:00.123456Z"`).
 */
function fixedRowBytes(columns: readonly DatasetColumn[]): number {
  let bytes = 2;
  for (const column of columns) {
    bytes += Buffer.byteLength(JSON.stringify(column.name)) + 2;
    bytes += column.type === 'string' ? 2 : 30;
  }
  return bytes;
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
    private readonly datasets: DatasetsService,
    private readonly rows: DatasetRowsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * A page of rows: up to `limit`, and no more than `rowsPageMaxBytes` of cells (counted
   * as stored, plus a fixed share per cell for its key and punctuation), so a page of wide
   * rows ends early and its cursor goes on from there. A row larger than the whole budget
   * comes alone, its text cells over an equal share of the budget cut, and says which in
   * `truncatedCells` (the export has them whole).
   */
  async page(
    organizationId: OrganizationId,
    datasetId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<DatasetRowsPageDto> {
    const dataset = await this.datasets.get(organizationId, datasetId);
    const budget = this.config.datasets.rowsPageMaxBytes;
    const after = decodeRowCursor(cursor);
    const places = await this.rows.placesAfter(organizationId, dataset, after, limit + 1);
    const fixed = fixedRowBytes(dataset.columns);
    let used = 0;
    let count = 0;
    for (const place of places.slice(0, limit)) {
      const bytes = place.textBytes + fixed;
      if (count > 0 && used + bytes > budget) break;
      used += bytes;
      count += 1;
    }
    const first = places[0];
    const last = places[count - 1];
    if (first === undefined || last === undefined) {
      return { data: [], nextCursor: null, truncatedCells: [] };
    }
    const nextCursor = places.length > count ? encodeRowCursor(last.at) : null;
    const textColumns = dataset.columns.filter((column) => column.type === 'string').length;
    if (used <= budget || textColumns === 0) {
      const values = await this.rows.valuesBetween(organizationId, dataset, first.at, last.at);
      const data = values.map((row) => rowObject(row, dataset.columns));
      return { data, nextCursor, truncatedCells: [] };
    }
    const cutBytes = Math.max(4, Math.floor(Math.max(0, budget - fixed) / textColumns));
    const [values, cells] = await Promise.all([
      this.rows.valuesBetween(organizationId, dataset, first.at, first.at, cutBytes),
      this.rows.textCellBytes(organizationId, dataset, first.at),
    ]);
    const truncatedCells = [...cells]
      .filter(([, bytes]) => bytes > cutBytes)
      .map(([column, bytes]) => ({ row: 0, column, bytes }));
    return {
      data: values.map((row) => rowObject(row, dataset.columns)),
      nextCursor,
      truncatedCells,
    };
  }

  /**
   * The whole dataset as CSV (header row first) or as a JSON array of row objects,
   * streamed (see DatasetRowsRepository.stream): memory stays flat for any size; with the
   * name of the file to save it as.
   */
  async export(
    organizationId: OrganizationId,
    datasetId: string,
    format: 'csv' | 'json',
  ): Promise<{ filename: string; stream: Readable }> {
    const dataset = await this.datasets.get(organizationId, datasetId);
    const filename = `${dataset.name.replace(/[^\w.-]+/g, '_') || 'dataset'}.${format}`;
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
    return { filename, stream: await this.rows.stream(organizationId, dataset, encode) };
  }
}
