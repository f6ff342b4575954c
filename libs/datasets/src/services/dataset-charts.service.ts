import { ProblemException } from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { categorySvg, histogramSvg, type HistogramBin } from '../charts/histogram-chart';
import { quoteIdentifier } from '../csv/identifiers';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import type { DatasetColumn } from '../ingest/csv-table-loader';

const CATEGORY_BARS = 20;

/** Column charts, counted in PostgreSQL (one grouped scan), drawn with Vega-Lite. */
@Injectable()
export class DatasetChartsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The column by its name in the file, or by its SQL name; 404 otherwise. */
  column(dataset: DatasetEntity, name: string): DatasetColumn {
    const column =
      dataset.columns.find((candidate) => candidate.name === name) ??
      dataset.columns.find((candidate) => candidate.column === name);
    if (column === undefined) {
      throw new ProblemException(404, 'not-found', `Dataset ${dataset.id} has no column "${name}"`);
    }
    return column;
  }

  async histogram(dataset: DatasetEntity, columnName: string, bins: number): Promise<string> {
    const column = this.column(dataset, columnName);
    const table = datasetTable(dataset);
    const name = quoteIdentifier(column.column);
    if (column.type === 'string' || column.type === 'boolean') {
      const rows: Array<{ value: string; count: string }> = await this.dataSource.query(
        `SELECT ${name}::text AS value, count(*) AS count FROM ${table} WHERE ${name} IS NOT NULL
         GROUP BY 1 ORDER BY 2 DESC, ${name}::text COLLATE "C" LIMIT ${CATEGORY_BARS}`,
      );
      return categorySvg(
        column.name,
        rows.map((row) => ({ value: row.value, count: Number(row.count) })),
      );
    }
    const temporal = column.type === 'date' || column.type === 'datetime';
    // Times as epoch milliseconds, so one binning query serves every ordered type.
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
    const low = first?.low ?? 0;
    const width = first === undefined ? 1 : (first.high - first.low) / bins || 1;
    const counts = new Map(rows.map((row) => [row.bucket, Number(row.count)]));
    const bars: HistogramBin[] = [];
    const used = first === undefined ? 0 : first.high === first.low ? 1 : bins;
    for (let bucket = 0; bucket < used; bucket++) {
      const start = low + bucket * width;
      const end = start + width;
      bars.push({
        start: temporal ? new Date(start).toISOString() : start,
        end: temporal ? new Date(end).toISOString() : end,
        count: counts.get(bucket) ?? 0,
      });
    }
    return histogramSvg(column.name, bars, temporal);
  }
}
