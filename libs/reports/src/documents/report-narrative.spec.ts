import type { PeriodStatistics, ReportContent, ReportMetricSection } from './report-content';
import { composeNarrative } from './report-narrative';
import { NO_STATISTICS as EMPTY } from './testing/report-fixture';

const stats = (values: number[]): PeriodStatistics => ({
  count: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  min: Math.min(...values),
  max: Math.max(...values),
  average: values.reduce((a, b) => a + b, 0) / values.length,
  last: values[values.length - 1] ?? null,
  p95: Math.max(...values),
});

function section(fields: Partial<ReportMetricSection>): ReportMetricSection {
  return {
    name: 'orders',
    unit: null,
    dimensions: {},
    aggregate: 'sum',
    current: EMPTY,
    previous: EMPTY,
    change: { absolute: null, percent: null },
    series: [],
    ...fields,
  };
}

function content(metrics: ReportMetricSection[]): ReportContent {
  const at = new Date('2027-03-08T00:00:00Z');
  return {
    title: 't',
    reportId: 'r',
    runId: 'u',
    timezone: 'UTC',
    period: { start: at, end: at },
    previousPeriod: { start: at, end: at },
    generatedAt: at,
    narrative: '',
    metrics,
  };
}

describe('composeNarrative', () => {
  it('states each headline and its change as the tables format them', () => {
    const text = composeNarrative(
      content([
        section({
          name: 'revenue',
          unit: 'EUR',
          dimensions: { region: 'eu' },
          current: stats([1000, 250.5]),
          previous: stats([1000]),
          change: { absolute: 250.5, percent: 25.05 },
        }),
        section({
          name: 'latency',
          aggregate: 'avg',
          current: stats([2, 4]),
          previous: stats([4, 4]),
          change: { absolute: -1, percent: -25 },
        }),
      ]),
    );
    expect(text).toBe(
      'revenue (EUR) [region: eu]: the total was 1,250.5, up 250.5 (25.1%) from 1,000. ' +
        'latency: the average was 3, down 1 (25%) from 4.',
    );
  });

  it('says when a period has no data, and when nothing changed', () => {
    expect(composeNarrative(content([section({})]))).toBe(
      'orders had no data in this period or the one before.',
    );
    expect(composeNarrative(content([section({ previous: stats([7]) })]))).toBe(
      'orders had no data in this period (7 in the one before).',
    );
    expect(
      composeNarrative(
        content([
          section({
            current: stats([5]),
            previous: stats([5]),
            change: { absolute: 0, percent: 0 },
          }),
        ]),
      ),
    ).toBe('orders: the total was 5, unchanged from the period before.');
    expect(
      composeNarrative(
        content([section({ current: stats([5]), change: { absolute: null, percent: null } })]),
      ),
    ).toBe('orders: the total was 5, with no data the period before.');
  });

  it('states the absolute change alone when the previous headline was 0', () => {
    const text = composeNarrative(
      content([
        section({
          current: stats([3]),
          previous: stats([0]),
          change: { absolute: 3, percent: null },
        }),
      ]),
    );
    expect(text).toBe('orders: the total was 3, up 3 from 0.');
  });
});
