/** The document formats a report can be delivered in. */
export type ReportFormat = 'pdf' | 'html' | 'csv' | 'json';

/** The statistics of one metric over one period; null where the period has no values. */
export interface PeriodStatistics {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  average: number | null;
  last: number | null;
  p95: number | null;
}

/** One metric (for one filter of its dimensions) in a report. */
export interface ReportMetricSection {
  name: string;
  unit: string | null;
  /** The filter this section is for ({} = all). */
  dimensions: Record<string, string>;
  /** The headline statistic the change is about. */
  aggregate: 'sum' | 'avg' | 'min' | 'max' | 'count' | 'last' | 'p95';
  current: PeriodStatistics;
  previous: PeriodStatistics;
  /** headline(current) − headline(previous); percent (in %) is null when previous is 0 or null. */
  change: { absolute: number | null; percent: number | null };
  /** The points charted (already bucketed, current period); may be empty. */
  series: Array<{ at: Date; value: number }>;
}

/** Everything a report's documents show: built once per run, rendered in each format. */
export interface ReportContent {
  title: string;
  reportId: string;
  runId: string;
  /** IANA time zone the periods and dates are shown in. */
  timezone: string;
  /** Start inclusive, end exclusive (as are all periods here). */
  period: { start: Date; end: Date };
  previousPeriod: { start: Date; end: Date };
  generatedAt: Date;
  narrative: string;
  metrics: ReportMetricSection[];
}

/** A finished document, ready to attach or store. */
export interface RenderedDocument {
  format: ReportFormat;
  contentType: string;
  fileName: string;
  body: Buffer;
}

/** The key of a section's chart in the chart maps the renderers take: its position. */
export function metricSectionKey(index: number): string {
  return `metric-${index + 1}`;
}

/** The statistic a section's `aggregate` names. */
export function headlineOf(
  statistics: PeriodStatistics,
  aggregate: ReportMetricSection['aggregate'],
): number | null {
  switch (aggregate) {
    case 'sum':
      return statistics.sum;
    case 'avg':
      return statistics.average;
    case 'min':
      return statistics.min;
    case 'max':
      return statistics.max;
    case 'count':
      return statistics.count;
    case 'last':
      return statistics.last;
    case 'p95':
      return statistics.p95;
  }
}
