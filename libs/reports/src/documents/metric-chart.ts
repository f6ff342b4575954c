import { CHART_FONT_FAMILY } from '@app/common';
import type { TopLevelSpec } from 'vega-lite';
import type { ReportMetricSection } from './report-content';
import { dimensionsLabel, metricHeading } from './report-format';
import { wallClockAsUtc } from './report-time';

/** A chart's whole size in pixels, axes and title included (autosize "fit"). */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 240;
/** Up to this many points each point is marked; past it, the line alone reads better. */
const MARKED_POINTS = 40;
const DAY_MS = 86_400_000;
/** At most about this many labels on the time axis. */
const MAX_TICKS = 8;
/** What an empty chart says, rather than showing an empty frame. */
export const NO_DATA_TEXT = 'No data in this period';

/**
 * A line chart of a section's series, its time axis in the report's zone: the points are
 * moved to their wall-clock times and drawn on a UTC scale (see wallClockAsUtc). Field
 * names are fixed, so a metric's name never becomes a Vega field path or expression.
 */
export function metricChartSpec(section: ReportMetricSection, timezone: string): TopLevelSpec {
  const dimensions = dimensionsLabel(section.dimensions);
  const frame = {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 8,
    background: 'white',
    title: {
      text: metricHeading(section),
      subtitle: `${dimensions} · ${timezone}`,
      anchor: 'start',
      fontSize: 14,
      subtitleFontSize: 11,
      subtitleColor: '#555',
    },
    config: { font: CHART_FONT_FAMILY, view: { stroke: '#ddd' } },
  } as const;
  if (section.series.length === 0) {
    return {
      ...frame,
      data: { values: [{}] },
      mark: { type: 'text', text: NO_DATA_TEXT, fontSize: 14, color: '#555' },
      encoding: {
        x: { value: CHART_WIDTH / 2 },
        y: { value: (CHART_HEIGHT - 60) / 2 },
      },
    };
  }
  return {
    ...frame,
    data: {
      values: section.series.map((point) => ({
        at: wallClockAsUtc(point.at, timezone),
        value: point.value,
      })),
    },
    mark: {
      type: 'line',
      point: section.series.length <= MARKED_POINTS,
      color: '#1f5fa8',
      strokeWidth: 2,
    },
    encoding: {
      x: {
        field: 'at',
        type: 'temporal',
        scale: { type: 'utc' },
        axis: { title: null, labelOverlap: true, grid: false, ...timeAxis(section) },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        axis: { title: section.unit ?? null, tickCount: 5 },
      },
    },
  };
}

/**
 * Axis labels for the series' span: times within two days, days within a year, else months;
 * ticks on whole days or months, so no label repeats (12-hourly ticks would say "1 Mar" twice).
 */
function timeAxis(section: ReportMetricSection): {
  format: string;
  tickCount?: { interval: 'day' | 'month'; step: number };
} {
  const times = section.series.map((point) => point.at.getTime());
  const days = (Math.max(...times) - Math.min(...times)) / DAY_MS;
  if (days <= 2) return { format: '%-d %b %H:%M' };
  if (days <= 366) {
    return { format: '%-d %b', tickCount: { interval: 'day', step: Math.ceil(days / MAX_TICKS) } };
  }
  const months = days / 30.44;
  return { format: '%b %Y', tickCount: { interval: 'month', step: Math.ceil(months / MAX_TICKS) } };
}
