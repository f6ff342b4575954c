import { csvField, csvTextField } from '@app/common';
import { CONTENT_TYPES, documentFileName } from './document-names';
import type {
  PeriodStatistics,
  RenderedDocument,
  ReportContent,
  ReportMetricSection,
} from './report-content';

/** The statistics in the order of the CSV's columns. */
const STATISTICS: Array<keyof PeriodStatistics> = [
  'count',
  'sum',
  'min',
  'max',
  'average',
  'last',
  'p95',
];

const CSV_COLUMNS = [
  'metric',
  'dimensions',
  'unit',
  'aggregate',
  'period_start',
  'period_end',
  'previous_period_start',
  'previous_period_end',
  ...STATISTICS.map((statistic) => `current_${statistic}`),
  ...STATISTICS.map((statistic) => `previous_${statistic}`),
  'change_absolute',
  'change_percent',
];

/** A number as written (JavaScript's shortest exact form), never neutralised; none is empty. */
function numberCell(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '' : String(value);
}

function csvLine(content: ReportContent, section: ReportMetricSection): string {
  const cells = [
    // Names, units and dimension values are user text: a leading "=" must not run.
    csvTextField(section.name),
    csvTextField(JSON.stringify(section.dimensions)),
    section.unit === null ? '' : csvTextField(section.unit),
    section.aggregate,
    content.period.start.toISOString(),
    content.period.end.toISOString(),
    content.previousPeriod.start.toISOString(),
    content.previousPeriod.end.toISOString(),
    ...STATISTICS.map((statistic) => numberCell(section.current[statistic])),
    ...STATISTICS.map((statistic) => numberCell(section.previous[statistic])),
    numberCell(section.change.absolute),
    numberCell(section.change.percent),
  ];
  return `${cells.join(',')}\n`;
}

/**
 * The numbers behind the report's tables, one row per metric section; the periods are
 * UTC instants (end exclusive), the numbers unformatted.
 */
export function renderReportCsv(content: ReportContent): RenderedDocument {
  const header = `${CSV_COLUMNS.map(csvField).join(',')}\n`;
  const lines = content.metrics.map((section) => csvLine(content, section));
  return {
    format: 'csv',
    contentType: CONTENT_TYPES.csv,
    fileName: documentFileName(content, 'csv'),
    body: Buffer.from(header + lines.join(''), 'utf8'),
  };
}

/** A period as JSON: ISO 8601 instants in UTC, the end exclusive. */
export interface ReportPeriodJson {
  start: string;
  end: string;
}

/**
 * The JSON document (`schemaVersion` 1): the report's numbers as JSON numbers (null where a
 * period has none), dates as ISO 8601 UTC instants. Fields are only ever added to it.
 */
export interface ReportJson {
  schemaVersion: 1;
  title: string;
  reportId: string;
  runId: string;
  /** IANA zone the report's other documents show dates in. */
  timezone: string;
  period: ReportPeriodJson;
  previousPeriod: ReportPeriodJson;
  generatedAt: string;
  narrative: string;
  metrics: Array<{
    name: string;
    unit: string | null;
    dimensions: Record<string, string>;
    aggregate: ReportMetricSection['aggregate'];
    current: PeriodStatistics;
    previous: PeriodStatistics;
    /** Of the `aggregate` statistic: current − previous, and that in % of previous. */
    change: { absolute: number | null; percent: number | null };
    series: Array<{ at: string; value: number }>;
  }>;
}

function periodJson(period: { start: Date; end: Date }): ReportPeriodJson {
  return { start: period.start.toISOString(), end: period.end.toISOString() };
}

/** The report's content as {@link ReportJson}. */
export function reportJsonOf(content: ReportContent): ReportJson {
  return {
    schemaVersion: 1,
    title: content.title,
    reportId: content.reportId,
    runId: content.runId,
    timezone: content.timezone,
    period: periodJson(content.period),
    previousPeriod: periodJson(content.previousPeriod),
    generatedAt: content.generatedAt.toISOString(),
    narrative: content.narrative,
    metrics: content.metrics.map((section) => ({
      name: section.name,
      unit: section.unit,
      dimensions: section.dimensions,
      aggregate: section.aggregate,
      current: { ...section.current },
      previous: { ...section.previous },
      change: { ...section.change },
      series: section.series.map((point) => ({ at: point.at.toISOString(), value: point.value })),
    })),
  };
}

export function renderReportJson(content: ReportContent): RenderedDocument {
  return {
    format: 'json',
    contentType: CONTENT_TYPES.json,
    fileName: documentFileName(content, 'json'),
    body: Buffer.from(`${JSON.stringify(reportJsonOf(content), null, 2)}\n`, 'utf8'),
  };
}
