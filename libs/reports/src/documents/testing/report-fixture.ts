import type { PeriodStatistics, ReportContent, ReportMetricSection } from '../report-content';

/** Statistics with distinct, awkward values: decimals, thousands, a negative minimum. */
export function statistics(overrides: Partial<PeriodStatistics> = {}): PeriodStatistics {
  return {
    count: 31,
    sum: 123456.789,
    min: -12.5,
    max: 9876.54321,
    average: 3982.4771,
    last: 4100,
    p95: 9500.25,
    ...overrides,
  };
}

/** The statistics of a period without values. */
export const NO_STATISTICS: PeriodStatistics = {
  count: 0,
  sum: null,
  min: null,
  max: null,
  average: null,
  last: null,
  p95: null,
};

/** A month of daily points starting at `start`, with values that rise and fall. */
export function dailySeries(start: Date, days: number): ReportMetricSection['series'] {
  return Array.from({ length: days }, (_, day) => ({
    at: new Date(start.getTime() + day * 86_400_000),
    value: Math.round(1000 + 800 * Math.sin(day / 3) + day * 25),
  }));
}

export function metricSection(overrides: Partial<ReportMetricSection> = {}): ReportMetricSection {
  return {
    name: 'Umsatz €, Größe, Ω',
    unit: 'EUR',
    dimensions: { region: 'Süd', channel: 'web' },
    aggregate: 'sum',
    current: statistics(),
    previous: statistics({ count: 28, sum: 100000, min: 1, max: 8000, average: 3571.43 }),
    change: { absolute: 23456.789, percent: 23.456789 },
    series: dailySeries(new Date('2027-02-28T23:00:00Z'), 31),
    ...overrides,
  };
}

/** March 2027 in Berlin (UTC+1 until the 28th, UTC+2 after), compared with February. */
export function reportContent(overrides: Partial<ReportContent> = {}): ReportContent {
  return {
    title: 'Monthly revenue — März',
    reportId: '5b0d7a8e-4a53-4c57-9a0e-3f3c1d9a2b11',
    runId: '8c1e2f3a-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
    timezone: 'Europe/Berlin',
    period: { start: new Date('2027-02-28T23:00:00Z'), end: new Date('2027-03-31T22:00:00Z') },
    previousPeriod: {
      start: new Date('2027-01-31T23:00:00Z'),
      end: new Date('2027-02-28T23:00:00Z'),
    },
    generatedAt: new Date('2027-04-01T04:00:00Z'),
    narrative: 'Revenue rose by a quarter.\n\nThe south led, with größere orders.',
    metrics: [
      metricSection(),
      metricSection({
        name: 'Active users',
        unit: null,
        dimensions: {},
        aggregate: 'avg',
        change: { absolute: -4.5, percent: null },
        series: [],
      }),
    ],
    ...overrides,
  };
}
