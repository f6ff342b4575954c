import { Client } from 'pg';
import { call, Factory, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

type Json = Record<string, unknown>;

/** `{metric: {...}}` over HTTP: its refusals, who may send it, and whose metrics it reads. */
describe('analyses of a metric series over HTTP', () => {
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  let analyst: string;
  let viewer: string;
  let otherAnalyst: string;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    const factory = new Factory(app.app);
    [org, other] = await Promise.all([factory.newOrganization(), factory.newOrganization()]);
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    viewer = (await factory.newApiKey(org.organizationId, 'viewer')).key;
    otherAnalyst = (await factory.newApiKey(other.organizationId, 'analyst')).key;
    const metrics = Array.from({ length: 30 }, (_, d) => ({
      name: 'orders.daily',
      value: 100 + d + (d % 7 === 5 ? 30 : 0),
      dimensions: { shop: 'north' },
      observedAt: new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString(),
    }));
    const written = await call(app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': analyst },
      body: { metrics },
    });
    expect(written.status).toBe(201);
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const post = (body: unknown, key = analyst, path = '') =>
    call(app.baseUrl, 'POST', `/v1/analyses${path}`, { headers: { 'x-api-key': key }, body });

  /** What a refused request must leave as it was: datasets, analyses, jobs. */
  async function stored(): Promise<number[]> {
    const { rows } = await db.query<{ d: number; a: number; j: number }>(
      `SELECT (SELECT count(*)::int FROM datasets) AS d, (SELECT count(*)::int FROM analyses) AS a,
              (SELECT count(*)::int FROM pgboss.job WHERE name = 'analysis') AS j`,
    );
    const row = rows[0];
    return row === undefined ? [] : [row.d, row.a, row.j];
  }

  it('analyses the series and shows on the analysis what was read', async () => {
    const response = await post(
      { metric: { name: 'orders.daily', dimensions: { shop: 'north' } } },
      analyst,
      '?wait=30',
    );
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('succeeded');
    const input = response.body.input as Json;
    expect(input).toMatchObject({
      kind: 'metric',
      records: 30,
      metric: {
        name: 'orders.daily',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-31T00:00:00.000Z',
        interval: 'day',
        agg: 'avg',
        dimensions: { shop: 'north' },
      },
    });
    const shown = await call(app.baseUrl, 'GET', `/v1/analyses/${String(response.body.id)}`, {
      headers: { 'x-api-key': viewer },
    });
    expect(shown.body.input).toEqual(input);
    const dataset = await call(app.baseUrl, 'GET', `/v1/datasets/${String(input.datasetId)}`, {
      headers: { 'x-api-key': viewer },
    });
    expect(dataset.body).toMatchObject({
      name: `metric orders.daily of analysis ${String(response.body.id)}`,
      rowCount: 30,
      columns: [
        { name: 'time', type: 'datetime' },
        { name: 'orders.daily', type: expect.stringMatching(/^(integer|number)$/) },
      ],
    });
    expect((response.body.result as Json).trends).toEqual([
      expect.objectContaining({ column: 'orders.daily', direction: 'increasing' }),
    ]);
  });

  it.each([
    [
      'an unknown interval',
      { metric: { name: 'orders.daily', interval: 'fortnight' } },
      'metric.interval',
    ],
    ['an unknown agg', { metric: { name: 'orders.daily', agg: 'mode' } }, 'metric.agg'],
    ['a metric without a name', { metric: { interval: 'day' } }, 'metric.name'],
    ['a bad from', { metric: { name: 'orders.daily', from: 'last week' } }, 'metric.from'],
    [
      'both a dataset and a metric',
      { datasetId: '00000000-0000-4000-8000-000000000000', metric: { name: 'orders.daily' } },
      'datasetId',
    ],
    [
      'more buckets than an analysis takes',
      {
        metric: { name: 'orders.daily', from: '2026-01-01', to: '2026-02-01', interval: 'minute' },
      },
      'metric.interval',
    ],
  ])('refuses %s with 400 naming the field, storing nothing', async (_case, body, field) => {
    const before = await stored();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    expect(await stored()).toEqual(before);
  });

  it('answers an unknown metric with 404 naming metric.name', async () => {
    const before = await stored();
    for (const metric of [
      { name: 'orders.never' },
      { name: 'orders.daily', dimensions: { shop: 'south' } },
      { name: 'orders.daily', from: '2027-01-01' },
    ]) {
      const response = await post({ metric });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors).toEqual([{ field: 'metric.name', message: expect.any(String) }]);
    }
    // In a batch, as any bad item: a 400 naming the item's field.
    const batch = await post({ items: [{ metric: { name: 'orders.never' } }] }, analyst, '/batch');
    expect(batch.status).toBe(400);
    expect((batch.body.errors as Array<{ field: string }>)[0]?.field).toBe('items[0].metric.name');
    expect(await stored()).toEqual(before);
  });

  it('lets only analysts analyse a metric', async () => {
    const before = await stored();
    expect((await post({ metric: { name: 'orders.daily' } }, viewer)).status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it("does not let another organization analyse an organization's metric", async () => {
    const before = await stored();
    const response = await post({ metric: { name: 'orders.daily' } }, otherAnalyst);
    expect(response.status).toBe(404);
    expect(response.body.errors).toEqual([{ field: 'metric.name', message: expect.any(String) }]);
    expect(JSON.stringify(response.body)).not.toContain(org.organizationId);
    expect(await stored()).toEqual(before);
  });
});
