import type { OrganizationId } from '@app/tenancy';
import type {
  MetricPeriodQuery,
  MetricPeriodsService,
  MetricPeriodStatistics,
  SeriesInterval,
} from '@app/metrics';
import type { ReportContent } from '../documents/report-content';
import { NO_STATISTICS } from '../documents/testing/report-fixture';
import type { ReportEntity } from '../entities/report.entity';
import { ORG_A, reportEntity, reportRunEntity } from '../testing/fake-reports';
import { changeOf, chartInterval, ReportGenerationService } from './report-generation.service';
import type { ReportNarrativeService } from './report-narrative.service';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const DATASET = '33333333-3333-4333-8333-333333333333';

/** A period's metric statistics: none measured, but what `fields` says. */
const statistics = (fields: Partial<MetricPeriodStatistics>): MetricPeriodStatistics => ({
  ...NO_STATISTICS,
  unit: null,
  ...fields,
});

/**
 * MetricPeriodsService answering each (metric, period start) its given statistics, and two
 * buckets from the period's start; records every question in order.
 */
class FakeMetricPeriods {
  readonly asked: Array<{
    method: 'statistics' | 'buckets';
    organizationId: OrganizationId;
    query: MetricPeriodQuery;
    interval?: SeriesInterval;
    timezone?: string;
  }> = [];

  constructor(private readonly answers: Record<string, MetricPeriodStatistics>) {}

  statistics(organizationId: OrganizationId, query: MetricPeriodQuery) {
    this.asked.push({ method: 'statistics', organizationId, query });
    const key = `${query.name}@${query.from.toISOString()}`;
    return Promise.resolve(this.answers[key] ?? statistics({}));
  }

  buckets(
    organizationId: OrganizationId,
    query: MetricPeriodQuery,
    interval: SeriesInterval,
    timezone: string,
  ) {
    this.asked.push({ method: 'buckets', organizationId, query, interval, timezone });
    return Promise.resolve([
      { at: query.from, value: 1 },
      { at: new Date(query.from.getTime() + DAY_MS), value: 2 },
    ]);
  }

  asService(): MetricPeriodsService {
    return this as unknown as MetricPeriodsService;
  }
}

/** The narrative service, answering a fixed text and keeping the content it was given. */
class FakeNarratives {
  readonly given: Array<{ organizationId: OrganizationId; content: ReportContent }> = [];

  narrative(organizationId: OrganizationId, content: ReportContent): Promise<string> {
    this.given.push({ organizationId, content });
    return Promise.resolve('Revenue rose by a quarter.');
  }

  asService(): ReportNarrativeService {
    return this as unknown as ReportNarrativeService;
  }
}

describe('ReportGenerationService', () => {
  describe('content', () => {
    // March 2027 in Berlin (UTC+1, then UTC+2 from the 28th); the month before is February.
    const march = {
      start: new Date('2027-02-28T23:00:00Z'),
      end: new Date('2027-03-31T22:00:00Z'),
    };
    const february = {
      start: new Date('2027-01-31T23:00:00Z'),
      end: new Date('2027-02-28T23:00:00Z'),
    };
    const generatedAt = new Date('2027-04-01T06:00:00Z');

    const monthly = (fields: Partial<ReportEntity> = {}) =>
      reportEntity(ORG_A, {
        name: 'Monthly revenue',
        period: 'month',
        schedule: '0 6 1 * *',
        timezone: 'Europe/Berlin',
        datasetId: DATASET,
        metrics: [
          { name: 'revenue', dimensions: { region: 'eu' }, aggregate: 'sum' },
          { name: 'users', dimensions: {}, aggregate: 'avg' },
        ],
        ...fields,
      });
    const runOf = (report: ReportEntity, period = march) =>
      reportRunEntity(report, {
        status: 'running',
        dueAt: generatedAt,
        periodStart: period.start,
        periodEnd: period.end,
      });
    const build = async (report: ReportEntity, metrics: FakeMetricPeriods, period = march) => {
      const narratives = new FakeNarratives();
      const service = new ReportGenerationService(metrics.asService(), narratives.asService());
      const content = await service.content(report, runOf(report, period), generatedAt);
      return { content, narratives };
    };

    it('compares each metric with the calendar period before, in the report zone', async () => {
      const metrics = new FakeMetricPeriods({
        [`revenue@${march.start.toISOString()}`]: statistics({
          count: 31,
          sum: 1500,
          min: 10,
          max: 90,
          average: 48.39,
          last: 70,
          p95: 88,
          unit: 'EUR',
        }),
        [`revenue@${february.start.toISOString()}`]: statistics({ count: 28, sum: 1200 }),
        [`users@${march.start.toISOString()}`]: statistics({ count: 3, average: 40 }),
        [`users@${february.start.toISOString()}`]: statistics({
          count: 2,
          average: 0,
          unit: 'people',
        }),
      });
      const report = monthly();
      const { content, narratives } = await build(report, metrics);

      expect(content).toMatchObject({
        title: 'Monthly revenue',
        reportId: report.id,
        timezone: 'Europe/Berlin',
        period: march,
        previousPeriod: february,
        generatedAt,
        narrative: 'Revenue rose by a quarter.',
      });
      expect(content.metrics).toEqual([
        {
          name: 'revenue',
          unit: 'EUR',
          dimensions: { region: 'eu' },
          aggregate: 'sum',
          current: { count: 31, sum: 1500, min: 10, max: 90, average: 48.39, last: 70, p95: 88 },
          previous: { ...NO_STATISTICS, count: 28, sum: 1200 },
          change: { absolute: 300, percent: 25 },
          series: [
            { at: march.start, value: 1 },
            { at: new Date(march.start.getTime() + DAY_MS), value: 2 },
          ],
        },
        expect.objectContaining({
          name: 'users',
          // The current period has no unit: the one before names it.
          unit: 'people',
          aggregate: 'avg',
          // From 0 a percentage means nothing.
          change: { absolute: 40, percent: null },
        }),
      ]);
      // The narrative is written from the finished tables.
      expect(narratives.given).toEqual([
        {
          organizationId: ORG_A,
          content: { ...content, narrative: '' },
        },
      ]);
    });

    it('asks for one metric at a time, filtered by its dimensions and the dataset', async () => {
      const metrics = new FakeMetricPeriods({});
      await build(monthly(), metrics);
      const query = (name: string, dimensions: Record<string, string>, period: typeof march) => ({
        name,
        dimensions,
        datasetId: DATASET,
        from: period.start,
        to: period.end,
      });
      const revenue = { region: 'eu' };
      expect(metrics.asked).toEqual([
        { method: 'statistics', organizationId: ORG_A, query: query('revenue', revenue, march) },
        { method: 'statistics', organizationId: ORG_A, query: query('revenue', revenue, february) },
        {
          method: 'buckets',
          organizationId: ORG_A,
          query: query('revenue', revenue, march),
          interval: 'day',
          timezone: 'Europe/Berlin',
        },
        { method: 'statistics', organizationId: ORG_A, query: query('users', {}, march) },
        { method: 'statistics', organizationId: ORG_A, query: query('users', {}, february) },
        expect.objectContaining({ method: 'buckets', query: query('users', {}, march) }),
      ]);
    });

    it('asks about every dataset when the report names none', async () => {
      const metrics = new FakeMetricPeriods({});
      await build(monthly({ datasetId: null }), metrics);
      for (const { query } of metrics.asked) expect(query).not.toHaveProperty('datasetId');
    });

    it("compares a schedule's period with the same span before, charted by the hour", async () => {
      const metrics = new FakeMetricPeriods({});
      const sixHours = {
        start: new Date('2027-03-01T06:00:00Z'),
        end: new Date('2027-03-01T12:00:00Z'),
      };
      const report = monthly({ period: 'schedule', schedule: '0 */6 * * *', timezone: 'UTC' });
      const { content } = await build(report, metrics, sixHours);
      expect(content.previousPeriod).toEqual({
        start: new Date('2027-03-01T00:00:00Z'),
        end: sixHours.start,
      });
      expect(metrics.asked.find((asked) => asked.method === 'buckets')?.interval).toBe('hour');
      // Nothing measured either time: no change to state.
      expect(content.metrics[0]?.change).toEqual({ absolute: null, percent: null });
    });
  });

  describe('changeOf', () => {
    it.each([
      [150, 100, { absolute: 50, percent: 50 }],
      [80, 100, { absolute: -20, percent: -20 }],
      // Up from a negative value is a rise, whatever the sign of the base.
      [50, -100, { absolute: 150, percent: 150 }],
      [7, 0, { absolute: 7, percent: null }],
      [null, 100, { absolute: null, percent: null }],
      [100, null, { absolute: null, percent: null }],
    ])('headline %p against %p before is %o', (headline, earlier, change) => {
      expect(changeOf(headline, earlier)).toEqual(change);
    });
  });

  describe('chartInterval', () => {
    const span = (ms: number) => ({ start: new Date(0), end: new Date(ms) });

    it.each([
      [HOUR_MS, 'hour'],
      [2 * DAY_MS, 'hour'],
      [2 * DAY_MS + 1, 'day'],
      [31 * DAY_MS, 'day'],
      [93 * DAY_MS, 'day'],
      [93 * DAY_MS + 1, 'week'],
      [365 * DAY_MS, 'week'],
    ])('charts a span of %p ms by the %s', (ms, interval) => {
      expect(chartInterval(span(ms))).toBe(interval);
    });
  });
});
