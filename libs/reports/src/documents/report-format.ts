import type { PeriodStatistics, ReportMetricSection } from './report-content';

/**
 * Numbers as the HTML and PDF tables show them (CSV and JSON carry the raw numbers): en-GB
 * thousands separators, at most 4 decimals, 4 significant digits below 1, "–" for none.
 */
function numberFormats(options: Intl.NumberFormatOptions = {}) {
  return {
    whole: new Intl.NumberFormat('en-GB', { ...options, maximumFractionDigits: 4 }),
    small: new Intl.NumberFormat('en-GB', { ...options, maximumSignificantDigits: 4 }),
  };
}
const PLAIN = numberFormats();
const SIGNED = numberFormats({ signDisplay: 'exceptZero' });
const PERCENT = new Intl.NumberFormat('en-GB', {
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});
const SMALL_PERCENT = new Intl.NumberFormat('en-GB', {
  maximumSignificantDigits: 2,
  signDisplay: 'exceptZero',
});

/** What a table shows where a statistic has no value (no data in the period). */
export const NO_VALUE = '–';

function pick(value: number, formats: ReturnType<typeof numberFormats>): string {
  return value !== 0 && Math.abs(value) < 1
    ? formats.small.format(value)
    : formats.whole.format(value);
}

/** "1,234.5678", "0.001235", or {@link NO_VALUE}. */
export function formatNumber(value: number | null): string {
  return value === null || !Number.isFinite(value) ? NO_VALUE : pick(value, PLAIN);
}

/** "+1,200", "-3.5", "0", or {@link NO_VALUE}. */
export function formatSignedNumber(value: number | null): string {
  return value === null || !Number.isFinite(value) ? NO_VALUE : pick(value, SIGNED);
}

/** A change in per cent (12.5 → "+12.5%"), or {@link NO_VALUE}. */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return NO_VALUE;
  return `${Math.abs(percent) < 0.1 ? SMALL_PERCENT.format(percent) : PERCENT.format(percent)}%`;
}

/** "Revenue (EUR)", or the name alone without a unit. */
export function metricHeading(section: ReportMetricSection): string {
  // A count whose unit repeats its name ("orders", unit "orders") reads better without it.
  return section.unit && section.unit !== section.name
    ? `${section.name} (${section.unit})`
    : section.name;
}

/** "region: EU, channel: web", or "All" for the unfiltered metric. */
export function dimensionsLabel(dimensions: Record<string, string>): string {
  const entries = Object.entries(dimensions);
  return entries.length === 0
    ? 'All'
    : entries.map(([key, value]) => `${key}: ${value}`).join(', ');
}

const STATISTICS: Array<{
  key: keyof PeriodStatistics;
  aggregate: ReportMetricSection['aggregate'];
  label: string;
}> = [
  { key: 'sum', aggregate: 'sum', label: 'Sum' },
  { key: 'average', aggregate: 'avg', label: 'Average' },
  { key: 'min', aggregate: 'min', label: 'Minimum' },
  { key: 'max', aggregate: 'max', label: 'Maximum' },
  { key: 'last', aggregate: 'last', label: 'Last' },
  { key: 'p95', aggregate: 'p95', label: '95th percentile' },
  { key: 'count', aggregate: 'count', label: 'Count' },
];

/** A row of a metric's table, every cell already formatted. */
export interface MetricTableRow {
  label: string;
  current: string;
  previous: string;
  /** "+1,200 (+12.5%)" on the headline row only; the model has no change for the others. */
  change: string;
  headline: boolean;
}

/** The column titles of a metric's table. */
export const METRIC_TABLE_COLUMNS = ['Statistic', 'This period', 'Previous period', 'Change'];

/** A metric's table: the headline statistic first, then the others. */
export function metricTableRows(section: ReportMetricSection): MetricTableRow[] {
  const rows = STATISTICS.map(({ key, aggregate, label }) => {
    const headline = aggregate === section.aggregate;
    return {
      label,
      current: formatNumber(section.current[key]),
      previous: formatNumber(section.previous[key]),
      change: headline ? changeText(section) : '',
      headline,
    };
  });
  return [...rows.filter((row) => row.headline), ...rows.filter((row) => !row.headline)];
}

function changeText(section: ReportMetricSection): string {
  const { absolute, percent } = section.change;
  if (absolute === null) return NO_VALUE;
  return percent === null
    ? formatSignedNumber(absolute)
    : `${formatSignedNumber(absolute)} (${formatPercent(percent)})`;
}

/** What the HTML and the PDF show of a metric section, every text ready to set. */
export interface MetricSectionView {
  heading: string;
  dimensions: string;
  rows: MetricTableRow[];
}

export function metricSectionView(section: ReportMetricSection): MetricSectionView {
  return {
    heading: metricHeading(section),
    dimensions: dimensionsLabel(section.dimensions),
    rows: metricTableRows(section),
  };
}
