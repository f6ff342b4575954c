import type { Principal } from '@app/access';
import {
  decodeCursor,
  type FieldError,
  type Page,
  ProblemException,
  RequestValidationException,
  toPage,
} from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { MetricsCache } from '../cache/metrics-cache';
import { SeriesWarmer } from '../cache/series-warmer';
import {
  type ListMetricsQueryDto,
  type MetricDto,
  type MetricFilterDto,
  type MetricNamesDto,
  mapMetric,
  mapMetricName,
  type SeriesDto,
  type SeriesQueryDto,
  type WriteMetricsResultDto,
} from '../dtos/metric.dto';
import { parseMetricInputs } from '../metric-input';
import {
  type MetricFilter,
  type MetricProvenance,
  type MetricSpan,
  type MetricSpanQuery,
  MetricsRepository,
  type SeriesQuery,
} from '../repositories/metrics.repository';
import { checkGroupedSeriesSize, parseQueryTime, resolveSeriesWindow } from '../series-window';

/** Where an agent's `record_metric` call comes from: its analysis, agent and tool call. */
export interface RecordMetricContext {
  organizationId: string;
  analysisId: string;
  agent: string;
  toolCallId: string;
  /** Principal that started the analysis. */
  createdBy: string;
}

/**
 * The rules of metrics: writes (from clients and from agents, checked alike), and the
 * cached reads that every write invalidates before it answers.
 */
@Injectable()
export class MetricsService {
  constructor(
    private readonly metrics: MetricsRepository,
    private readonly cache: MetricsCache,
    private readonly warmer: SeriesWarmer,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** `POST /v1/metrics`: a client's write, all or nothing. */
  write(principal: Principal, items: unknown): Promise<WriteMetricsResultDto> {
    return this.store(principal.organizationId, items, {
      source: 'client',
      analysisId: null,
      agent: null,
      toolCallId: null,
      createdBy: principal.id,
    });
  }

  /**
   * What the analysis agents' `record_metric` tool calls: the same checks as the API,
   * with the agent's provenance (analysis, agent, tool call) on every metric.
   */
  record(context: RecordMetricContext, items: unknown): Promise<WriteMetricsResultDto> {
    return this.store(context.organizationId, items, {
      source: 'agent',
      analysisId: context.analysisId,
      agent: context.agent,
      toolCallId: context.toolCallId,
      createdBy: context.createdBy,
    });
  }

  /**
   * The reads answer JSON text, cached as text: a hit is one string from the cache,
   * sent as it is, with no parsing and serialising of the page on every request.
   */
  /**
   * An analysis' metrics, replacing any it wrote before (a retried run writes exactly one
   * set), in the caller's transaction; each group carries the agent and tool call that
   * produced its values. Call {@link afterCommit} with the result once it commits.
   */
  async replaceForAnalysis(
    manager: EntityManager,
    context: Omit<RecordMetricContext, 'agent' | 'toolCallId'>,
    groups: Array<{ agent: string; toolCallId: string | null; metrics: unknown[] }>,
  ): Promise<{ ids: string[]; names: string[] }> {
    const { organizationId, analysisId, createdBy } = context;
    const names = new Set(
      await this.metrics.deleteForAnalysis(manager, organizationId, analysisId),
    );
    const ids: string[] = [];
    for (const group of groups.filter((g) => g.metrics.length > 0)) {
      const metrics = parseMetricInputs(group.metrics, new Date());
      const groupIds = metrics.map(() => randomUUID());
      await this.metrics.insert(manager, organizationId, groupIds, metrics, {
        source: 'agent',
        analysisId,
        agent: group.agent,
        toolCallId: group.toolCallId,
        createdBy,
      });
      ids.push(...groupIds);
      for (const metric of metrics) names.add(metric.name);
    }
    return { ids, names: [...names] };
  }

  /** After a transaction that wrote metrics of these names committed: invalidate and warm. */
  async afterCommit(organizationId: string, names: string[]): Promise<void> {
    await this.cache.invalidate(organizationId, names);
    this.warmer.schedule(this.warmer.mostRead(organizationId, new Set(names)), (series) =>
      this.cachedSeries(organizationId, series, false),
    );
  }

  async list(organizationId: string, query: ListMetricsQueryDto): Promise<string> {
    const filter = toFilter(query);
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

  names(organizationId: string): Promise<string> {
    return this.cache.read('names', { organizationId }, {}, async () => {
      const names: MetricNamesDto = {
        data: (await this.metrics.names(organizationId)).map(mapMetricName),
      };
      return JSON.stringify(names);
    });
  }

  /** The series as JSON text (see {@link list}); {@link seriesData} for the object. */
  async series(organizationId: string, query: SeriesQueryDto, now = new Date()): Promise<string> {
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

  async seriesData(organizationId: string, query: SeriesQueryDto): Promise<SeriesDto> {
    return JSON.parse(await this.series(organizationId, query)) as SeriesDto;
  }

  /**
   * Where a metric's points lie (first, last, how many, in how many groups), for a caller
   * that picks a series' window and interval itself; null when the organization has none.
   */
  span(organizationId: string, query: MetricSpanQuery): Promise<MetricSpan | null> {
    return this.metrics.span(organizationId, query);
  }

  /**
   * A series whose window the caller has resolved (another module, e.g. an analysis of a
   * metric): the same query, cache and size limit as `GET /v1/metrics/series`, with
   * optional dimension filters.
   */
  async seriesOf(organizationId: string, series: SeriesQuery): Promise<SeriesDto> {
    return JSON.parse(await this.cachedSeries(organizationId, series, false)) as SeriesDto;
  }

  /** The filters as the export runs them (not cached: exports stream). */
  exportFilter(query: MetricFilterDto): MetricFilter {
    return toFilter(query);
  }

  private cachedSeries(
    organizationId: string,
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

  private async store(
    organizationId: string,
    items: unknown,
    provenance: MetricProvenance,
  ): Promise<WriteMetricsResultDto> {
    const metrics = parseMetricInputs(items, new Date());
    await this.checkDatasets(
      organizationId,
      metrics.map((metric) => metric.datasetId),
    );
    const ids = metrics.map(() => randomUUID());
    await this.dataSource.transaction((manager) =>
      this.metrics.insert(manager, organizationId, ids, metrics, provenance),
    );
    await this.afterCommit(organizationId, [...new Set(metrics.map((metric) => metric.name))]);
    return { count: ids.length, ids };
  }

  /** Every `datasetId` must name a dataset of the organization (else 400, by index). */
  private async checkDatasets(
    organizationId: string,
    datasetIds: Array<string | null>,
  ): Promise<void> {
    const wanted = [...new Set(datasetIds.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return;
    const found = await this.metrics.existingDatasetIds(organizationId, wanted);
    const errors: FieldError[] = [];
    datasetIds.forEach((id, index) => {
      if (id !== null && !found.has(id) && errors.length < 50) {
        errors.push({ field: `metrics[${index}].datasetId`, message: `there is no dataset ${id}` });
      }
    });
    if (errors.length > 0) throw new RequestValidationException(errors);
  }
}

function toFilter(query: MetricFilterDto): MetricFilter {
  const from = query.from === undefined ? undefined : parseQueryTime(query.from, 'from');
  const to = query.to === undefined ? undefined : parseQueryTime(query.to, 'to');
  if (from !== undefined && to !== undefined && !(from < to)) {
    throw new RequestValidationException([{ field: 'from', message: 'from must be before to' }]);
  }
  return {
    name: query.name,
    datasetId: query.datasetId?.toLowerCase(),
    analysisId: query.analysisId?.toLowerCase(),
    source: query.source,
    from,
    to,
    dimensions: query.dim ?? {},
  };
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
