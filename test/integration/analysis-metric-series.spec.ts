import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

type Json = Record<string, unknown>;

const HOUR = 3_600_000;
const DAYS = 60;
const SHIFT_DAY = 35;
const START = Date.UTC(2026, 0, 1);

/** A deterministic pseudo-random sequence (LCG) in [-0.5, 0.5), the same every run. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
}

/**
 * 60 days of hourly `api.latency_ms`: a daily cycle (busy afternoons), a level that steps up
 * by 40 on day 35 for good, a little noise; in region `eu`, and a decoy in `us` that is flat.
 */
function latencyMetrics(): Json[] {
  const random = noise(7);
  const metrics: Json[] = [];
  for (let h = 0; h < DAYS * 24; h++) {
    const hourOfDay = h % 24;
    const daily = 25 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
    const shift = h >= SHIFT_DAY * 24 ? 40 : 0;
    const observedAt = new Date(START + h * HOUR).toISOString();
    metrics.push({
      name: 'api.latency_ms',
      value: Math.round((200 + daily + shift + 6 * random()) * 100) / 100,
      dimensions: { region: 'eu' },
      observedAt,
    });
    metrics.push({
      name: 'api.latency_ms',
      value: 500 + random(),
      dimensions: { region: 'us' },
      observedAt,
    });
  }
  return metrics;
}

/** `{metric: ...}` through the API, the real job queue and runner (builtin model), PostgreSQL. */
describe('an analysis of a metric series', () => {
  let app: TestApp;
  let analyst: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const written = await call(app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': analyst },
      body: { metrics: latencyMetrics() },
    });
    expect(written.status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
  });

  const analyse = (body: Json) =>
    call(app.baseUrl, 'POST', '/v1/analyses?wait=60', {
      headers: { 'x-api-key': analyst },
      body,
    });

  it('finds the daily season and the level shift of the filtered series', async () => {
    const response = await analyse({
      metric: { name: 'api.latency_ms', dimensions: { region: 'eu' } },
    });
    expect(response.status).toBe(200);
    const analysis = response.body;
    expect(analysis.status).toBe('succeeded');
    // The interval was chosen (hourly points: by the hour) and the window is the points'.
    expect(analysis.input).toMatchObject({
      kind: 'metric',
      records: DAYS * 24,
      metric: {
        name: 'api.latency_ms',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-03-02T00:00:00.000Z',
        interval: 'hour',
        agg: 'avg',
        dimensions: { region: 'eu' },
      },
    });

    const result = analysis.result as Json;
    const seasons = result.seasonality as Json[];
    expect(seasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          column: 'api.latency_ms',
          timeColumn: 'time',
          periodMs: 24 * HOUR,
        }),
      ]),
    );
    const shifts = (result.changePoints as Json[]).filter((c) => c.column === 'api.latency_ms');
    expect(shifts.length).toBeGreaterThan(0);
    const nearest = Math.min(
      ...shifts.map((c) => Math.abs(Date.parse(String(c.time)) - (START + SHIFT_DAY * 24 * HOUR))),
    );
    expect(nearest).toBeLessThanOrEqual(24 * HOUR);
    const shift = shifts.find(
      (c) => Math.abs(Date.parse(String(c.time)) - (START + SHIFT_DAY * 24 * HOUR)) === nearest,
    ) as { before: { mean: number }; after: { mean: number } };
    expect(shift.after.mean - shift.before.mean).toBeGreaterThan(30);
    expect(String(result.summary)).toContain('api.latency_ms');
  });

  it('compares the groups of groupBy as segments, and refuses a series past the records cap', async () => {
    const grouped = await analyse({
      metric: { name: 'api.latency_ms', interval: 'day', groupBy: 'region' },
      agents: ['profile', 'segments'],
    });
    expect(grouped.status).toBe(200);
    expect(grouped.body.input).toMatchObject({ kind: 'metric', records: DAYS * 2 });
    const segments = (grouped.body.result as Json).segments as Json[];
    expect(segments).toEqual(
      expect.arrayContaining([expect.objectContaining({ column: 'api.latency_ms', by: 'region' })]),
    );

    const tooLong = await analyse({ metric: { name: 'api.latency_ms', interval: 'minute' } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([
      { field: 'metric.interval', message: 'at most 10000 values (buckets × groups)' },
    ]);
  });
});
