import type { OrganizationId } from '@app/tenancy';
import { decodeCursor, type Page, ProblemException, toPage } from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { MetricsCacheService } from './metrics-cache.service';
import { seriesSvg } from '../charts/series-chart';
import {
  type ListMetricsQueryDto,
  type MetricDto,
  type MetricNamesDto,
  mapMetric,
  mapMetricName,
  type SeriesDto,
  type SeriesQueryDto,
} from '../dtos/metric.dto';
import { metricFilterOf } from '../input/metric-filter';
import { SeriesWarmerJob } from '../jobs/series-warmer.job';
import type {
  MetricFilter,
  MetricSpan,
  MetricSpanQuery,
  SeriesQuery,
} from '../repositories/metric-queries';
import { MetricsRepository } from '../repositories/metrics.repository';
import { checkGroupedSeriesSize, resolveSeriesWindow } from '../series/series-window';

/**
 * The reads of metrics, cached (MetricsCacheService) and invalidated by every write. They answer
 * JSON text, cached as text: a hit is one string from the cache, sent as it is, with no
 * parsing and serialising of the page on every request.
 */
@Injectable()
export class MetricReadsService {
  constructor(
    private readonly metrics: MetricsRepository,
    private readonly cache: MetricsCacheService,
    private readonly warmer: SeriesWarmerJob,
    private readonly config: AppConfig,
  ) {}

  async list(organizationId: OrganizationId, query: ListMetricsQueryDto): Promise<string> {
    const filter = metricFilterOf(query);
    const after = decodeCursor(query.cursor);
    const normalised = {
      ...normaliseFilter(filter),
      limit: query.limit,
      cursor: query.cursor ?? null,
    };
    return this.cache.read('list', { organizationId, name: filter.name }, normalised, async () => {
      const rows = await this.metrics.list(organizationId, filter, query.limit, after);
      const page: Page<MetricDto> = toPage(rows, query.limit, mapMetric);
      return JSON.stringify(page);
    });
  }

  names(organizationId: OrganizationId): Promise<string> {
    return this.cache.read('names', { organizationId }, {}, async () => {
      const names: MetricNamesDto = {
        data: (await this.metrics.names(organizationId)).map(mapMetricName),
      };
      return JSON.stringify(names);
    });
  }

  /** The series as JSON text (see {@link list}); {@link seriesData} for the object. */
  async series(
    organizationId: OrganizationId,
    query: SeriesQueryDto,
    now = new Date(),
  ): Promise<string> {
    const { from, to } = resolveSeriesWindow(query, now, this.config.metrics.seriesMaxPoints);
    const series: SeriesQuery = {
      name: query.name,
      from,
      to,
      interval: query.interval,
      agg: query.agg,
      groupBy: query.groupBy,
      groups: query.groups,
    };
    return this.cachedSeries(organizationId, series, true);
  }

  async seriesData(organizationId: OrganizationId, query: SeriesQueryDto): Promise<SeriesDto> {
    return JSON.parse(await this.series(organizationId, query)) as SeriesDto;
  }

  /** The series drawn as an SVG line chart. */
  async seriesChart(organizationId: OrganizationId, query: SeriesQueryDto): Promise<string> {
    return seriesSvg(await this.seriesData(organizationId, query));
  }

  /**
   * Where a metric's points lie (first, last, how many, in how many groups), for a caller
   * that picks a series' window and interval itself; null when the organization has none.
   */
  span(organizationId: OrganizationId, query: MetricSpanQuery): Promise<MetricSpan | null> {
    return this.metrics.span(organizationId, query);
  }

  /**
   * A series whose window the caller has resolved (another module, e.g. an analysis of a
   * metric): the same query, cache and size limit as `GET /v1/metrics/series`, with
   * optional dimension filters.
   */
  async seriesOf(organizationId: OrganizationId, series: SeriesQuery): Promise<SeriesDto> {
    return JSON.parse(await this.cachedSeries(organizationId, series, false)) as SeriesDto;
  }

  /** Computes and caches `series` without counting a read (the warmer's way in). */
  warm(organizationId: OrganizationId, series: SeriesQuery): Promise<string> {
    return this.cachedSeries(organizationId, series, false);
  }

  private cachedSeries(
    organizationId: OrganizationId,
    series: SeriesQuery,
    countRead: boolean,
  ): Promise<string> {
    const normalised = normaliseSeries(series);
    if (countRead) this.warmer.noteRead(organizationId, JSON.stringify(normalised), series);
    const scope = { organizationId, name: series.name };
    return this.cache.read('series', scope, normalised, async () => {
      const max = this.config.metrics.seriesMaxPoints;
      const { groupBy } = series;
      // The groups are found first (one grouped scan of the window), so a series of too many
      // points is refused before the bucket-by-group query that would build it.
      const groups =
        groupBy === undefined
          ? { kept: [], total: 0 }
          : await this.metrics.topGroups(organizationId, { ...series, groupBy }, series.groups);
      const folded = groups.total - groups.kept.length;
      if (groupBy !== undefined)
        checkGroupedSeriesSize(series, groups.kept.length + (folded > 0 ? 1 : 0), max);
      const rows = await this.metrics.series(organizationId, series, groups.kept, max + 1);
      if (rows.length > max) {
        // Only when writes added groups between the two statements.
        throw new ProblemException(
          400,
          'series-too-large',
          `The series has more than ${max} points (buckets × groups, METRICS_SERIES_MAX_POINTS); ` +
            'narrow from/to, use a longer interval or ask for fewer groups',
        );
      }
      const result: SeriesDto = {
        name: series.name,
        interval: series.interval,
        agg: series.agg,
        ...(groupBy === undefined ? {} : { groupBy, groups: series.groups, otherGroups: folded }),
        from: series.from.toISOString(),
        to: series.to.toISOString(),
        points: rows.map((row) => ({
          t: row.t.toISOString(),
          value: row.value === null ? null : Number(row.value),
          ...(groupBy === undefined ? {} : row.other ? { other: true } : { group: row.group }),
        })),
      };
      return JSON.stringify(result);
    });
  }
}

/** A filter as a cache key: times as instants, dimensions in key order, absent fields null. */
function normaliseFilter(filter: MetricFilter): Record<string, unknown> {
  return {
    name: filter.name ?? null,
    datasetId: filter.datasetId ?? null,
    analysisId: filter.analysisId ?? null,
    source: filter.source ?? null,
    from: filter.from?.toISOString() ?? null,
    to: filter.to?.toISOString() ?? null,
    dimensions: sortedDimensions(filter.dimensions),
  };
}

function sortedDimensions(dimensions: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function normaliseSeries(series: SeriesQuery): Record<string, unknown> {
  return {
    name: series.name,
    from: series.from.toISOString(),
    to: series.to.toISOString(),
    interval: series.interval,
    agg: series.agg,
    groupBy: series.groupBy ?? null,
    // Without groupBy the number of groups changes nothing: one entry for every value.
    groups: series.groupBy === undefined ? null : series.groups,
    // Only when filtered: the keys of unfiltered series stay as they were.
    ...(series.dimensions === undefined || Object.keys(series.dimensions).length === 0
      ? {}
      : { dimensions: sortedDimensions(series.dimensions) }),
  };
}
