import type { OrganizationId } from '@app/tenancy';
import { ProblemException, RequestValidationException } from '@app/common';
import { AppConfig } from '@app/config';
import {
  addBuckets,
  bucketCount,
  bucketStart,
  MetricReadsService,
  parseQueryTime,
  SERIES_DEFAULT_GROUPS,
} from '@app/metrics';
import { Injectable } from '@nestjs/common';
import { MAX_RECORDS } from '../dtos/analysis.dto';
import type { AnalysisMetricDto } from '../dtos/analysis-metric.dto';
import type { AnalysisMetricInput } from '../entities/analysis.entity';
import { chooseInterval, seriesColumns, seriesRecords } from '../input/metric-series';

/** A metric's series read as records, and what was read (the window and interval resolved). */
export interface MetricSeriesRecords {
  records: Array<Record<string, string | number | null>>;
  metric: AnalysisMetricInput;
}

/**
 * `{metric: {...}}` of an analysis: the metric's series, read through the metrics
 * service (the same query and cache as `GET /v1/metrics/series`), as records that then
 * take the records path.
 */
@Injectable()
export class MetricSeriesInputService {
  constructor(
    private readonly metrics: MetricReadsService,
    private readonly config: AppConfig,
  ) {}

  async read(
    organizationId: OrganizationId,
    request: AnalysisMetricDto,
  ): Promise<MetricSeriesRecords> {
    const { name, groupBy } = request;
    const dimensions = request.dimensions ?? {};
    const from =
      request.from === undefined ? undefined : parseQueryTime(request.from, 'metric.from');
    const to = request.to === undefined ? undefined : parseQueryTime(request.to, 'metric.to');
    if (from !== undefined && to !== undefined && from >= to)
      throw new RequestValidationException([
        { field: 'metric.from', message: 'from must be before to' },
      ]);

    const span = await this.metrics.span(organizationId, { name, from, to, dimensions, groupBy });
    if (span === null) {
      // As an unknown datasetId is: 404, and another organization's metric is unknown too.
      const detail = `There is no metric ${name}${from !== undefined || to !== undefined ? ' in that window' : ''}${Object.keys(dimensions).length > 0 ? ' with those dimensions' : ''}`;
      throw new ProblemException(404, 'not-found', detail, [
        { field: 'metric.name', message: 'no points of this metric match' },
      ]);
    }
    // A grouped series has a run per kept group, and one `other` run for the rest.
    const runs =
      groupBy === undefined
        ? 1
        : Math.min(span.groups, SERIES_DEFAULT_GROUPS) +
          (span.groups > SERIES_DEFAULT_GROUPS ? 1 : 0);
    const interval =
      request.interval ??
      chooseInterval(
        { from: from ?? span.first, to: to ?? new Date(span.last.getTime() + 1) },
        span.count,
        runs,
      );
    const window = {
      from: from ?? bucketStart(span.first, interval),
      to: to ?? addBuckets(bucketStart(span.last, interval), interval, 1),
    };

    const limit = Math.min(MAX_RECORDS, this.config.metrics.seriesMaxPoints);
    const buckets = bucketCount(window.from, window.to, interval);
    if (buckets * runs > limit) {
      const groups = runs > 1 ? ` × ${runs} groups` : '';
      throw new ProblemException(
        400,
        'series-too-large',
        `From ${window.from.toISOString()} to ${window.to.toISOString()} is ${buckets} ` +
          `${interval} buckets${groups}; an analysis takes at most ${limit} records. ` +
          'Narrow from/to or use a longer interval.',
        [
          {
            field: request.interval === undefined ? 'metric' : 'metric.interval',
            message: `at most ${limit} values (buckets × groups)`,
          },
        ],
      );
    }

    const agg = request.agg ?? 'avg';
    const series = await this.metrics.seriesOf(organizationId, {
      name,
      ...window,
      interval,
      agg,
      groupBy,
      groups: SERIES_DEFAULT_GROUPS,
      dimensions,
    });
    return {
      records: seriesRecords(series, seriesColumns(name, groupBy)),
      metric: {
        name,
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        interval,
        agg,
        ...(groupBy === undefined ? {} : { groupBy }),
        ...(Object.keys(dimensions).length === 0 ? {} : { dimensions }),
      },
    };
  }
}
