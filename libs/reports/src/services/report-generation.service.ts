import type { OrganizationId } from '@app/tenancy';
import {
  type MetricPeriodQuery,
  MetricPeriodsService,
  type MetricPeriodStatistics,
  type SeriesInterval,
} from '@app/metrics';
import { Injectable } from '@nestjs/common';
import {
  headlineOf,
  type PeriodStatistics,
  type ReportContent,
  type ReportMetricSection,
} from '../documents/report-content';
import type { ReportEntity, ReportMetricSpec } from '../entities/report.entity';
import type { ReportRunEntity } from '../entities/report-run.entity';
import { previousPeriod, type ReportPeriod } from '../schedule/report-period';
import { ReportNarrativeService } from './report-narrative.service';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Builds what a run's documents show: per metric, the statistics of the run's period and
 * of the one before, the change of its headline statistic, the points to chart, and a
 * narrative that states only numbers from those tables.
 */
@Injectable()
export class ReportGenerationService {
  constructor(
    private readonly metricPeriods: MetricPeriodsService,
    private readonly narratives: ReportNarrativeService,
  ) {}

  async content(
    report: ReportEntity,
    run: ReportRunEntity,
    now = new Date(),
  ): Promise<ReportContent> {
    const period: ReportPeriod = {
      start: run.periodStart,
      end: run.periodEnd,
      kind: report.period,
      timezone: report.timezone,
    };
    const before = previousPeriod(period);
    const metrics: ReportMetricSection[] = [];
    // One metric at a time: a report of 50 metrics holds one connection, not 50.
    for (const spec of report.metrics) {
      metrics.push(await this.section(report, spec, period, before));
    }
    const content: ReportContent = {
      title: report.name,
      reportId: report.id,
      runId: run.id,
      timezone: report.timezone,
      period: { start: period.start, end: period.end },
      previousPeriod: { start: before.start, end: before.end },
      generatedAt: now,
      narrative: '',
      metrics,
    };
    return {
      ...content,
      narrative: await this.narratives.narrative(report.organizationId, content),
    };
  }

  private async section(
    report: ReportEntity,
    spec: ReportMetricSpec,
    period: ReportPeriod,
    before: ReportPeriod,
  ): Promise<ReportMetricSection> {
    const organizationId: OrganizationId = report.organizationId;
    const query = (from: Date, to: Date): MetricPeriodQuery => ({
      name: spec.name,
      dimensions: spec.dimensions,
      ...(report.datasetId === null ? {} : { datasetId: report.datasetId }),
      from,
      to,
    });
    const current = await this.metricPeriods.statistics(
      organizationId,
      query(period.start, period.end),
    );
    const previous = await this.metricPeriods.statistics(
      organizationId,
      query(before.start, before.end),
    );
    const buckets = await this.metricPeriods.buckets(
      organizationId,
      query(period.start, period.end),
      chartInterval(period),
      report.timezone,
    );
    const headline = headlineOf(statisticsOf(current), spec.aggregate);
    const earlier = headlineOf(statisticsOf(previous), spec.aggregate);
    return {
      name: spec.name,
      unit: current.unit ?? previous.unit,
      dimensions: spec.dimensions,
      aggregate: spec.aggregate,
      current: statisticsOf(current),
      previous: statisticsOf(previous),
      change: changeOf(headline, earlier),
      series: buckets.map(({ at, value }) => ({ at, value })),
    };
  }
}

function statisticsOf(statistics: MetricPeriodStatistics): PeriodStatistics {
  const { count, sum, min, max, average, last, p95 } = statistics;
  return { count, sum, min, max, average, last, p95 };
}

/** The change from `earlier` to `headline`; the percentage only where `earlier` is not 0. */
export function changeOf(
  headline: number | null,
  earlier: number | null,
): ReportMetricSection['change'] {
  if (headline === null || earlier === null) return { absolute: null, percent: null };
  const absolute = headline - earlier;
  return { absolute, percent: earlier === 0 ? null : (absolute / Math.abs(earlier)) * 100 };
}

/** Buckets that draw a period readably: hours for up to two days, days up to ~3 months. */
export function chartInterval(period: { start: Date; end: Date }): SeriesInterval {
  const span = period.end.getTime() - period.start.getTime();
  if (span <= 2 * 24 * HOUR_MS) return 'hour';
  if (span <= 93 * 24 * HOUR_MS) return 'day';
  return 'week';
}
