import type { OrganizationId } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MetricDimensions } from '../entities/metric.entity';
import type { SeriesInterval } from './metric-queries';
import { whereClause } from './metric-where';

/** The metrics of one name (narrowed by dimensions and dataset) observed in [from, to). */
export interface MetricPeriodQuery {
  name: string;
  dimensions: MetricDimensions;
  datasetId?: string;
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** What a period's metrics add up to; every statistic but `count` is null without any. */
export interface MetricPeriodStatistics {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  average: number | null;
  /** The value observed last (the latest written among equal times). */
  last: number | null;
  p95: number | null;
  /** The unit of the value observed last. */
  unit: string | null;
}

export interface MetricPeriodBucket {
  /** Start of the bucket, in the zone the buckets were cut in. */
  at: Date;
  /** The bucket's average. */
  value: number;
}

const BUCKET_UNITS: Record<SeriesInterval, string> = {
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
};

/**
 * Summaries of a metric over a period, for reports: the statistics of the period and
 * its points bucketed in the reader's time zone. Bound to the organization like every
 * metrics statement.
 */
@Injectable()
export class MetricPeriodsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async statistics(
    organizationId: OrganizationId,
    query: MetricPeriodQuery,
  ): Promise<MetricPeriodStatistics> {
    const { where, values } = whereClause(organizationId, query);
    const [row] = await this.dataSource.query<
      Array<{
        count: string;
        sum: number | null;
        min: number | null;
        max: number | null;
        average: number | null;
        last: number | null;
        p95: number | null;
        unit: string | null;
      }>
    >(
      `SELECT count(*) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max,
         avg(value) AS average,
         (array_agg(value ORDER BY observed_at DESC, created_at DESC, id DESC))[1] AS last,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY value) AS p95,
         (array_agg(unit ORDER BY observed_at DESC, created_at DESC, id DESC))[1] AS unit
       FROM metrics WHERE ${where.join(' AND ')}`,
      values,
    );
    return {
      count: Number(row?.count ?? 0),
      sum: row?.sum ?? null,
      min: row?.min ?? null,
      max: row?.max ?? null,
      average: row?.average ?? null,
      last: row?.last ?? null,
      p95: row?.p95 ?? null,
      unit: row?.unit ?? null,
    };
  }

  /**
   * The period's points averaged per `interval`, cut at the zone's local boundaries (a
   * day in Berlin starts at its midnight); buckets without points are left out.
   */
  buckets(
    organizationId: OrganizationId,
    query: MetricPeriodQuery,
    interval: SeriesInterval,
    timezone: string,
  ): Promise<MetricPeriodBucket[]> {
    const { where, values } = whereClause(organizationId, query);
    values.push(timezone);
    return this.dataSource.query<MetricPeriodBucket[]>(
      `SELECT date_trunc('${BUCKET_UNITS[interval]}', observed_at, $${values.length}) AS at,
         avg(value) AS value
       FROM metrics WHERE ${where.join(' AND ')}
       GROUP BY 1 ORDER BY 1`,
      values,
    );
  }
}
