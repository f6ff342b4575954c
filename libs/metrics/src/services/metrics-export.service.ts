import type { OrganizationId } from '@app/tenancy';
import { csvField, csvTextField } from '@app/common';
import { Injectable } from '@nestjs/common';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { mapMetric, type MetricDto, type MetricFilterDto } from '../dtos/metric.dto';
import { metricFilterOf } from '../input/metric-filter';
import type { MetricRow } from '../repositories/metric-queries';
import { MetricsRepository } from '../repositories/metrics.repository';

const CSV_COLUMNS: Array<keyof MetricDto> = [
  'id',
  'name',
  'value',
  'unit',
  'dimensions',
  'observedAt',
  'source',
  'datasetId',
  'analysisId',
  'agent',
  'toolCallId',
  'createdAt',
];

/** One metric as a CSV line: text a spreadsheet would run as a formula is neutralised. */
export function metricCsvLine(metric: MetricDto): string {
  const cells = CSV_COLUMNS.map((column) => {
    const value = metric[column];
    if (value === null) return '';
    if (column === 'dimensions') return csvTextField(JSON.stringify(value));
    // Numbers are never neutralised: a negative value stays a number.
    if (typeof value === 'number') return String(value);
    return csvTextField(value as string);
  });
  return `${cells.join(',')}\n`;
}

/**
 * `GET /v1/metrics/export`: every metric matching the filters, newest first, streamed (not
 * cached: see MetricsRepository.stream).
 */
@Injectable()
export class MetricsExportService {
  constructor(private readonly metrics: MetricsRepository) {}

  export(
    organizationId: OrganizationId,
    query: MetricFilterDto,
    format: 'csv' | 'json',
  ): Promise<Readable> {
    const filter = metricFilterOf(query);
    let first = true;
    const encode = new Transform({
      writableObjectMode: true,
      transform(row: MetricRow, _encoding, callback: TransformCallback) {
        const metric = mapMetric(row);
        if (format === 'csv') {
          callback(null, metricCsvLine(metric));
        } else {
          const prefix = first ? '[\n' : ',\n';
          first = false;
          callback(null, prefix + JSON.stringify(metric));
        }
      },
      flush(callback: TransformCallback) {
        callback(null, format === 'json' ? (first ? '[]\n' : '\n]\n') : undefined);
      },
    });
    if (format === 'csv') encode.push(`${CSV_COLUMNS.map(csvField).join(',')}\n`);
    return this.metrics.stream(organizationId, filter, encode);
  }
}
