import type { OrganizationId } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { quoteIdentifier } from '../csv/identifiers';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import type { DatasetColumn } from '../ingest/csv-table-loader';
import { ownedBy } from './dataset-ownership';

/** A value of a column and how many rows hold it. */
export interface ValueCount {
  value: string;
  count: number;
}

/**
 * Equal-width buckets of an ordered column, numbered from 0, with the column's bounds
 * (times as epoch milliseconds); only buckets holding a value are there.
 */
export interface BucketCounts {
  low: number;
  high: number;
  counts: Map<number, number>;
}

type ChartedDataset = Pick<DatasetEntity, 'organizationId' | 'tableName'>;

/** What charts of a dataset's columns count, in PostgreSQL (one grouped scan each). */
@Injectable()
export class DatasetChartsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The `limit` most frequent values of the column (ties in byte order), nulls left out. */
  async topValues(
    organizationId: OrganizationId,
    dataset: ChartedDataset,
    column: DatasetColumn,
    limit: number,
  ): Promise<ValueCount[]> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const name = quoteIdentifier(column.column);
    const rows: Array<{ value: string; count: string }> = await this.dataSource.query(
      `SELECT ${name}::text AS value, count(*) AS count FROM ${table} WHERE ${name} IS NOT NULL
       GROUP BY 1 ORDER BY 2 DESC, ${name}::text COLLATE "C" LIMIT ${limit}`,
    );
    return rows.map((row) => ({ value: row.value, count: Number(row.count) }));
  }

  /**
   * The column's values in `bins` equal-width buckets between its minimum and maximum
   * (dates and times as epoch milliseconds, so one query serves every ordered type);
   * null when the column holds no value.
   */
  async buckets(
    organizationId: OrganizationId,
    dataset: ChartedDataset,
    column: DatasetColumn,
    bins: number,
  ): Promise<BucketCounts | null> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const name = quoteIdentifier(column.column);
    const temporal = column.type === 'date' || column.type === 'datetime';
    const value = temporal ? `(extract(epoch FROM ${name}) * 1000)::float8` : `${name}::float8`;
    const rows: Array<{ bucket: number; count: string; low: number; high: number }> =
      await this.dataSource.query(
        `WITH bounds AS (SELECT min(${value}) AS low, max(${value}) AS high FROM ${table})
         SELECT LEAST(floor((${value} - low) / GREATEST((high - low) / $1::int, 1e-300))::int, $1::int - 1) AS bucket,
                count(*) AS count, min(low) AS low, min(high) AS high
         FROM ${table}, bounds WHERE ${name} IS NOT NULL GROUP BY 1 ORDER BY 1`,
        [bins],
      );
    const first = rows[0];
    if (first === undefined) return null;
    return {
      low: first.low,
      high: first.high,
      counts: new Map(rows.map((row) => [row.bucket, Number(row.count)])),
    };
  }
}
