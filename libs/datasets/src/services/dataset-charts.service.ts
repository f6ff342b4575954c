import type { OrganizationId } from '@app/tenancy';
import { ProblemException } from '@app/common';
import { Injectable } from '@nestjs/common';
import { categorySvg, histogramSvg, type HistogramBin } from '../charts/histogram-chart';
import type { DatasetEntity } from '../entities/dataset.entity';
import type { DatasetColumn } from '../ingest/csv-table-loader';
import { DatasetChartsRepository } from '../repositories/dataset-charts.repository';
import { DatasetsService } from './datasets.service';

const CATEGORY_BARS = 20;

/** Column charts, counted in PostgreSQL (one grouped scan), drawn with Vega-Lite. */
@Injectable()
export class DatasetChartsService {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly charts: DatasetChartsRepository,
  ) {}

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

  async histogram(
    organizationId: OrganizationId,
    datasetId: string,
    columnName: string,
    bins: number,
  ): Promise<string> {
    const dataset = await this.datasets.get(organizationId, datasetId);
    const column = this.column(dataset, columnName);
    if (column.type === 'string' || column.type === 'boolean') {
      const values = await this.charts.topValues(organizationId, dataset, column, CATEGORY_BARS);
      return categorySvg(column.name, values);
    }
    const temporal = column.type === 'date' || column.type === 'datetime';
    const buckets = await this.charts.buckets(organizationId, dataset, column, bins);
    const low = buckets?.low ?? 0;
    const width = buckets === null ? 1 : (buckets.high - buckets.low) / bins || 1;
    const bars: HistogramBin[] = [];
    const used = buckets === null ? 0 : buckets.high === buckets.low ? 1 : bins;
    for (let bucket = 0; bucket < used; bucket++) {
      const start = low + bucket * width;
      const end = start + width;
      bars.push({
        start: temporal ? new Date(start).toISOString() : start,
        end: temporal ? new Date(end).toISOString() : end,
        count: buckets?.counts.get(bucket) ?? 0,
      });
    }
    return histogramSvg(column.name, bars, temporal);
  }
}
