import { organizationIdOf } from '@app/tenancy';
import { createValidationPipe, ProblemException, RequestValidationException } from '@app/common';
import type { AppConfig } from '@app/config';
import type { MetricReadsService, MetricSpan, SeriesDto, SeriesQuery } from '@app/metrics';
import { CreateAnalysisDto } from '../dtos/analysis.dto';
import type { AnalysisMetricDto } from '../dtos/analysis-metric.dto';
import { MetricSeriesInputService } from './metric-series-input.service';

const ORG = organizationIdOf('00000000-0000-4000-8000-000000000001');
const HOUR = 3_600_000;

/** A metrics service that knows one span and answers every series with one point a bucket. */
function fakeMetrics(span: MetricSpan | null) {
  const asked: SeriesQuery[] = [];
  const metrics = {
    span: jest.fn().mockResolvedValue(span),
    seriesOf: jest.fn((_organizationId: string, query: SeriesQuery): Promise<SeriesDto> => {
      asked.push(query);
      const points = [];
      for (let t = query.from.getTime(); t < query.to.getTime(); t += HOUR)
        points.push({ t: new Date(t).toISOString(), value: t % 7 });
      return Promise.resolve({
        name: query.name,
        interval: query.interval,
        agg: query.agg,
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        points,
      });
    }),
  };
  return { metrics, asked };
}

function reader(span: MetricSpan | null, seriesMaxPoints = 10_000) {
  const { metrics, asked } = fakeMetrics(span);
  const config = { metrics: { seriesMaxPoints } } as AppConfig;
  return {
    input: new MetricSeriesInputService(metrics as unknown as MetricReadsService, config),
    metrics,
    asked,
  };
}

async function refusal(promise: Promise<unknown>): Promise<ProblemException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const twoDays: MetricSpan = {
  first: new Date('2026-01-01T00:10:00Z'),
  last: new Date('2026-01-02T23:10:00Z'),
  count: 48,
  groups: 1,
};

describe('MetricSeriesInputService', () => {
  it('reads the span, picks the interval and records the resolved window', async () => {
    const { input, metrics } = reader(twoDays);
    const read = await input.read(ORG, { name: 'load' });
    expect(metrics.span).toHaveBeenCalledWith(ORG, {
      name: 'load',
      from: undefined,
      to: undefined,
      dimensions: {},
      groupBy: undefined,
    });
    expect(read.metric).toEqual({
      name: 'load',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-03T00:00:00.000Z',
      interval: 'hour',
      agg: 'avg',
    });
    expect(read.records).toHaveLength(48);
    expect(read.records[0]).toEqual({ time: '2026-01-01T00:00:00.000Z', load: expect.any(Number) });
  });

  it('passes dimensions, groupBy and an explicit window and interval through', async () => {
    const { input, asked } = reader({ ...twoDays, groups: 3 });
    const request: AnalysisMetricDto = {
      name: 'load',
      from: '2026-01-01',
      to: '2026-01-02T00:00:00Z',
      interval: 'hour',
      agg: 'p95',
      groupBy: 'region',
      dimensions: { tier: 'gold' },
    };
    const read = await input.read(ORG, request);
    expect(asked[0]).toMatchObject({
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-02T00:00:00Z'),
      interval: 'hour',
      agg: 'p95',
      groupBy: 'region',
      dimensions: { tier: 'gold' },
    });
    expect(read.metric).toMatchObject({ groupBy: 'region', dimensions: { tier: 'gold' } });
  });

  it('reports a metric with no points as 404 naming metric.name', async () => {
    const error = await refusal(reader(null).input.read(ORG, { name: 'nope' }));
    expect(error.getStatus()).toBe(404);
    expect(error.fieldErrors).toEqual([{ field: 'metric.name', message: expect.any(String) }]);
  });

  it('refuses a series longer than an analysis takes, naming metric.interval', async () => {
    const { input, metrics } = reader(twoDays);
    const error = await refusal(
      input.read(ORG, { name: 'load', from: '2025-01-01', to: '2026-01-01', interval: 'minute' }),
    );
    expect(error.getStatus()).toBe(400);
    expect(error.fieldErrors?.[0]?.field).toBe('metric.interval');
    expect(error.message).toContain('at most 10000 records');
    expect(metrics.seriesOf).not.toHaveBeenCalled();
  });

  it('holds to a lower METRICS_SERIES_MAX_POINTS', async () => {
    const error = await refusal(
      reader(twoDays, 24).input.read(ORG, { name: 'load', interval: 'hour' }),
    );
    expect(error.message).toContain('at most 24 records');
  });

  it('refuses a bad or empty window by field', async () => {
    const { input } = reader(twoDays);
    const bad = await refusal(input.read(ORG, { name: 'load', from: 'yesterday' }));
    expect(bad).toBeInstanceOf(RequestValidationException);
    expect(bad.fieldErrors?.[0]?.field).toBe('metric.from');
    const empty = await refusal(
      input.read(ORG, { name: 'load', from: '2026-02-01', to: '2026-01-01' }),
    );
    expect(empty.fieldErrors?.[0]?.field).toBe('metric.from');
  });
});

describe('CreateAnalysisDto metric', () => {
  const pipe = createValidationPipe();
  const fields = async (value: unknown): Promise<string[]> => {
    try {
      await pipe.transform(value, { type: 'body', metatype: CreateAnalysisDto });
    } catch (error) {
      if (error instanceof ProblemException) return (error.fieldErrors ?? []).map((e) => e.field);
      throw error;
    }
    return [];
  };

  it('accepts a full metric input', async () => {
    expect(
      await fields({
        metric: {
          name: 'api.latency_ms',
          from: '2026-01-01',
          interval: 'hour',
          agg: 'p95',
          groupBy: 'region',
          dimensions: { tier: 'gold' },
        },
      }),
    ).toEqual([]);
  });

  it.each([
    ['an unknown interval', { name: 'load', interval: 'fortnight' }, 'metric.interval'],
    ['an unknown agg', { name: 'load', agg: 'median' }, 'metric.agg'],
    ['no name', { interval: 'day' }, 'metric.name'],
    ['a bad name', { name: 'no spaces' }, 'metric.name'],
    ['a bad groupBy', { name: 'load', groupBy: '1x' }, 'metric.groupBy'],
    ['nested dimensions', { name: 'load', dimensions: { a: { b: 1 } } }, 'metric.dimensions'],
    ['an unknown field', { name: 'load', window: 7 }, 'metric.window'],
  ])('names the field of %s', async (_case, metric, field) => {
    expect(await fields({ metric })).toContain(field);
  });

  it('refuses a metric that is not an object', async () => {
    expect(await fields({ metric: 'load' })).toContain('metric');
  });
});
