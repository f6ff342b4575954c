import { Client } from 'pg';
import type { Json } from '../support/datasets';
import { call, Factory, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/** `{records: [...]}`: stored as a small dataset first (same path as an upload), then analysed. */
describe('analyses of records over HTTP', () => {
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  let analyst: string;
  let viewer: string;
  let db: Client;

  const sales = Array.from({ length: 60 }, (_, d) => ({
    day: new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10),
    sales: 100 + 3 * d + ((d * 37) % 11) + (d === 40 ? 300 : 0),
    note: d % 2 === 0 ? 'great service, "quick"' : null,
    ok: d % 3 === 0,
  }));

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        RATE_LIMIT_EXPENSIVE_LIMIT: '10000',
        DATASET_MAX_COLUMNS: '8',
        DATASET_MAX_FIELD_LENGTH: '64',
      },
    });
    const factory = new Factory(app.app);
    [org, other] = await Promise.all([factory.newOrganization(), factory.newOrganization()]);
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    viewer = (await factory.newApiKey(org.organizationId, 'viewer')).key;
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const post = (body: unknown, path = '', key = analyst) =>
    call(app.baseUrl, 'POST', `/v1/analyses${path}`, { headers: { 'x-api-key': key }, body });
  const get = (path: string, key = viewer) =>
    call(app.baseUrl, 'GET', path, { headers: { 'x-api-key': key } });

  /** What a refused request must leave as it was: datasets, their tables, analyses, jobs. */
  async function stored(): Promise<number[]> {
    const { rows } = await db.query<{ d: number; t: number; a: number; j: number }>(
      `SELECT (SELECT count(*)::int FROM datasets) AS d,
              (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'dataset_rows') AS t,
              (SELECT count(*)::int FROM analyses) AS a,
              (SELECT count(*)::int FROM pgboss.job WHERE name = 'analysis') AS j`,
    );
    const row = rows[0];
    return row === undefined ? [] : [row.d, row.t, row.a, row.j];
  }

  it('stores the records as a typed dataset and analyses it like an upload', async () => {
    const response = await post({ records: sales }, '?wait=30');
    expect(response.status).toBe(200);
    const analysis = response.body;
    const input = analysis.input as Json;
    expect(input).toMatchObject({ kind: 'records', records: 60 });
    expect(analysis.status).toBe('succeeded');

    const dataset = await get(`/v1/datasets/${String(input.datasetId)}`);
    expect(dataset.status).toBe(200);
    expect(dataset.body).toMatchObject({
      name: `records of analysis ${String(analysis.id)}`,
      rowCount: 60,
    });
    const columns = (dataset.body.columns as Array<{ name: string; type: string }>).map((c) => [
      c.name,
      c.type,
    ]);
    expect(columns).toEqual([
      ['day', 'date'],
      ['sales', 'integer'],
      ['note', 'string'],
      ['ok', 'boolean'],
    ]);
    const profile = await get(`/v1/datasets/${String(input.datasetId)}/profile`);
    const note = (profile.body.columns as Array<{ name: string; nullCount: number }>).find(
      (c) => c.name === 'note',
    );
    expect(note?.nullCount).toBe(30);

    const result = analysis.result as Json;
    expect(result.trends).toEqual([
      expect.objectContaining({ column: 'sales', direction: 'increasing' }),
    ]);
    expect(result.anomalies).toEqual([
      expect.objectContaining({ column: 'sales', row: 41, kind: 'spike' }),
    ]);
    const metrics = await get(`/v1/metrics?analysisId=${String(analysis.id)}`);
    expect((metrics.body.data as unknown[]).length).toBeGreaterThan(0);

    const listed = await get(`/v1/analyses?datasetId=${String(input.datasetId)}`);
    expect((listed.body.data as Json[]).map((a) => a.id)).toEqual([analysis.id]);
  });

  it('keeps missing keys and nulls apart from empty strings, one column or many', async () => {
    const response = await post(
      { records: [{ a: 'x' }, { a: null }, {}, { a: '' }, { a: 'y' }], agents: ['profile'] },
      '?wait=30',
    );
    expect(response.status).toBe(200);
    const datasetId = String((response.body.input as Json).datasetId);
    const rows = await get(`/v1/datasets/${datasetId}/rows`);
    expect((rows.body.data as Json[]).map((row) => row.a)).toEqual(['x', null, null, '', 'y']);
  });

  it('replays records over the same stored dataset, still as records', async () => {
    const first = await post({ records: sales.slice(0, 10), agents: ['profile'] }, '?wait=30');
    const replayed = await post({}, `/${String(first.body.id)}/replay`);
    expect(replayed.status).toBe(202);
    expect((await get(`/v1/analyses/${String(replayed.body.id)}`)).body).toMatchObject({
      input: first.body.input,
      inputHash: first.body.inputHash,
      replayOf: first.body.id,
    });
  });

  it.each([
    ['records that are not an array', { records: { a: 1 } }, 'records'],
    ['no records', { records: [] }, 'records'],
    ['a record that is not an object', { records: [{ a: 1 }, 2] }, 'records'],
    ['a nested value', { records: [{ a: 1 }, { a: 2, tags: ['x'] }] }, 'records[1].tags'],
    ['an object value', { records: [{ a: { b: 1 } }] }, 'records[0].a'],
    ['an empty key', { records: [{ '': 1 }] }, 'records[0]'],
    ['records without keys', { records: [{}, {}] }, 'records'],
    [
      'more keys than columns allowed',
      { records: [Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i]))] },
      'records',
    ],
    [
      'more than 10,000 records',
      { records: Array.from({ length: 10_001 }, () => ({ a: 1 })) },
      'records',
    ],
    ['records and a dataset', { records: [{ a: 1 }], text: 'x' }, 'datasetId'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_case, body, field) => {
    const before = await stored();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    expect(await stored()).toEqual(before);
  });

  it('refuses a value over the field length limit with 413, and a batch is all or none', async () => {
    const before = await stored();
    const long = { records: [{ a: 'x'.repeat(100) }] };
    const single = await post(long);
    expect(single.status).toBe(413);
    expect(String(single.body.detail)).toMatch(/field/i);
    // The first item's dataset is written inside the transaction the second one fails.
    const batch = await post({ items: [{ records: [{ a: 1 }] }, long] }, '/batch');
    expect(batch.status).toBe(413);
    expect(await stored()).toEqual(before);

    const named = await post(
      { items: [{ records: [{ a: 1 }] }, { records: [{ a: [] }] }] },
      '/batch',
    );
    expect(named.status).toBe(400);
    expect((named.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([
      'items[1].records[0].a',
    ]);
    expect(await stored()).toEqual(before);
  });

  it('lets only analysts send records, and keeps them in their organization', async () => {
    const before = await stored();
    expect((await post({ records: [{ a: 1 }] }, '', viewer)).status).toBe(403);
    expect(await stored()).toEqual(before);
    const mine = await post({ records: [{ a: 1 }], agents: ['profile'] }, '?wait=30');
    const datasetId = String((mine.body.input as Json).datasetId);
    expect((await get(`/v1/datasets/${datasetId}`, other.adminKey)).status).toBe(404);
    expect((await get(`/v1/analyses/${String(mine.body.id)}`, other.adminKey)).status).toBe(404);
  });
});
