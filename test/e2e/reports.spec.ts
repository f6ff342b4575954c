import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { until } from '../support/poll';
import { startTestApp, type TestApp } from '../support/test-app';

/** Report definitions over HTTP: validation, roles, tenancy, limits, secrets shown once. */
describe('reports', () => {
  let app: TestApp;
  let home: TestOrganization;
  let other: TestOrganization;
  let analyst: string;
  let viewer: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { REPORTS_PER_ORGANIZATION: '6' } });
    const factory = new Factory(app.app);
    home = await factory.newOrganization();
    other = await factory.newOrganization();
    analyst = (await factory.newApiKey(home.organizationId, 'analyst')).key;
    viewer = (await factory.newApiKey(home.organizationId, 'viewer')).key;
  });
  afterAll(async () => {
    await app.close();
  });

  const definition = {
    name: 'Weekly orders',
    metrics: ['orders', { name: 'revenue', dimensions: { region: 'eu' }, aggregate: 'sum' }],
    schedule: '0 8 * * 1',
    timezone: 'Europe/Berlin',
    period: 'week',
  };
  const post = (body: unknown, key = analyst, path = '/v1/reports') =>
    call(app.baseUrl, 'POST', path, { headers: { 'x-api-key': key }, body });
  const signedPost = (body: unknown, key = analyst, path = '/v1/reports') => {
    const raw = JSON.stringify(body);
    return call(app.baseUrl, 'POST', path, {
      headers: signedHeaders(key, 'POST', path, raw),
      body: raw,
    });
  };
  const get = (path: string, key = viewer) =>
    call(app.baseUrl, 'GET', path, { headers: { 'x-api-key': key } });

  it('creates a report and shows its next five due times in its zone', async () => {
    const created = await post(definition);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Weekly orders',
      metrics: [
        { name: 'orders', dimensions: {}, aggregate: 'avg' },
        { name: 'revenue', dimensions: { region: 'eu' }, aggregate: 'sum' },
      ],
      schedule: '0 8 * * 1',
      timezone: 'Europe/Berlin',
      period: 'week',
      catchUp: 'latest',
      formats: ['pdf'],
      webhook: null,
      enabled: true,
    });
    expect(created.body).not.toHaveProperty('webhookSecret');
    const nextRuns = created.body.nextRuns as string[];
    expect(nextRuns).toHaveLength(5);
    for (const due of nextRuns) {
      // Mondays at 08:00 Berlin time, CET or CEST.
      expect(due).toMatch(/^\d{4}-\d{2}-\d{2}T08:00:00\+0[12]:00$/);
      expect(new Date(due).getUTCDay()).toBe(1);
    }
    const read = await get(`/v1/reports/${String(created.body.id)}`);
    expect(read.status).toBe(200);
    expect(read.body.nextRuns).toEqual(nextRuns);
    const listed = await get('/v1/reports');
    expect((listed.body.data as Array<{ id: string }>).map((r) => r.id)).toContain(created.body.id);
  });

  it.each([
    { field: 'schedule', body: { ...definition, schedule: '61 8 * * 1' } },
    { field: 'schedule', body: { ...definition, schedule: '0 0 31 2 *' } },
    { field: 'schedule', body: { ...definition, schedule: '0 0 8 * * 1' } },
    { field: 'timezone', body: { ...definition, timezone: 'Mars/Olympus' } },
    { field: 'timezone', body: { ...definition, timezone: '+02:00' } },
    { field: 'metrics', body: { ...definition, metrics: [] } },
    { field: 'metrics[0]', body: { ...definition, metrics: [42] } },
    {
      field: 'metrics[0].dimensions.bad key',
      body: { ...definition, metrics: [{ name: 'x', dimensions: { 'bad key': 'v' } }] },
    },
    {
      field: 'metrics[0].aggregate',
      body: { ...definition, metrics: [{ name: 'x', aggregate: 'median' }] },
    },
    { field: 'period', body: { ...definition, period: 'year' } },
    { field: 'catchUp', body: { ...definition, catchUp: 'some' } },
    { field: 'formats', body: { ...definition, formats: ['pdf', 'docx'] } },
    { field: 'format', body: { ...definition, format: 'pdf', formats: ['html'] } },
    { field: 'webhookUrl', body: { ...definition, webhookUrl: 'ftp://example.com/hook' } },
    {
      field: 'webhookUrl',
      body: { ...definition, webhookUrl: 'https://user:pw@example.com/hook' },
    },
    {
      field: 'datasetId',
      body: { ...definition, datasetId: '7b0c3b9e-1f2d-4c5b-8a7e-9d0f1e2a3b4c' },
    },
    { field: 'name', body: { ...definition, name: '' } },
  ])('answers 400 naming $field, and stores nothing', async ({ field, body }) => {
    const before = (await get('/v1/reports?limit=500')).body.data as unknown[];
    const signed = Object.hasOwn(body, 'webhookUrl');
    const response = signed ? await signedPost(body) : await post(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    expect((await get('/v1/reports?limit=500')).body.data).toHaveLength(before.length);
  });

  it('makes a webhook secret only for a signed request, and shows it once', async () => {
    const body = { ...definition, webhookUrl: 'https://hooks.example.com/sightline' };
    const unsigned = await post(body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.type).toBe('/problems/signature-invalid');
    const created = await signedPost(body);
    expect(created.status).toBe(201);
    const secret = String(created.body.webhookSecret);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body.webhook).toMatchObject({ url: body.webhookUrl, enabled: true });
    const id = String(created.body.id);
    const read = await get(`/v1/reports/${id}`);
    expect(read.text).not.toContain(secret.slice(6));

    const path = `/v1/reports/${id}/rotate-secret`;
    expect((await post(undefined, analyst, path)).status).toBe(401);
    const rotated = await signedPost(undefined, analyst, path);
    expect(rotated.status).toBe(200);
    expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.body.webhookSecret).not.toBe(secret);
    const overlap = Date.parse(
      String((rotated.body.webhook as Record<string, unknown>).previousSecretValidUntil),
    );
    expect(overlap - Date.now()).toBeGreaterThan(23 * 3600_000);
  });

  it('changes a report: a new schedule moves its due times; disabled, it has none', async () => {
    const id = String((await post(definition)).body.id);
    const patch = (body: unknown) =>
      call(app.baseUrl, 'PATCH', `/v1/reports/${id}`, { headers: { 'x-api-key': analyst }, body });
    const daily = await patch({ schedule: '30 6 * * *', timezone: 'America/New_York' });
    expect(daily.status).toBe(200);
    for (const due of daily.body.nextRuns as string[]) {
      expect(due).toMatch(/T06:30:00-0[45]:00$/);
    }
    expect((await patch({ timezone: 'Nowhere/Else' })).status).toBe(400);
    const disabled = await patch({ enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, nextRuns: [] });
    expect((await get(`/v1/reports/${id}`)).body.schedule).toBe('30 6 * * *');
  });

  it('lets viewers read, not write; other organizations see nothing', async () => {
    const id = String((await post(definition)).body.id);
    expect((await post(definition, viewer)).status).toBe(403);
    expect((await post(undefined, viewer, `/v1/reports/${id}/run`)).status).toBe(403);
    const patched = await call(app.baseUrl, 'PATCH', `/v1/reports/${id}`, {
      headers: { 'x-api-key': viewer },
      body: { name: 'x' },
    });
    expect(patched.status).toBe(403);
    for (const path of [`/v1/reports/${id}`, `/v1/reports/${id}/runs`]) {
      expect((await get(path, other.adminKey)).status).toBe(404);
    }
    expect((await post(undefined, other.adminKey, `/v1/reports/${id}/run`)).status).toBe(404);
    const deleted = await call(app.baseUrl, 'DELETE', `/v1/reports/${id}`, {
      headers: { 'x-api-key': other.adminKey },
    });
    expect(deleted.status).toBe(404);
    expect((await get(`/v1/reports/${id}`)).status).toBe(200);
    expect((await get('/v1/reports', other.adminKey)).body.data).toEqual([]);
  });

  it('runs a report now and serves its documents', async () => {
    const created = await post({ ...definition, formats: ['pdf', 'html', 'csv', 'json'] });
    const id = String(created.body.id);
    const run = await post(undefined, analyst, `/v1/reports/${id}/run`);
    expect(run.status).toBe(202);
    const runId = String(run.body.runId);
    const finished = await until('the run to finish', async () => {
      const read = await get(`/v1/report-runs/${runId}`);
      return read.body.status === 'succeeded' || read.body.status === 'failed' ? read : undefined;
    });
    expect(finished.body).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      reportId: id,
      delivery: { status: 'none', attempts: 0 },
      deliveries: [],
    });
    const download = await fetch(`${app.baseUrl}/v1/report-runs/${runId}/download?format=html`, {
      headers: { 'x-api-key': viewer },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/html');
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="weekly-orders-/,
    );
    const html = await download.text();
    expect(html).toContain('Weekly orders');
    expect(html).not.toContain('<script');
    const pdf = await fetch(`${app.baseUrl}/v1/report-runs/${runId}/download`, {
      headers: { 'x-api-key': viewer },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const history = await get(`/v1/reports/${id}/runs`);
    expect((history.body.data as Array<{ id: string }>).map((r) => r.id)).toEqual([runId]);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^sightline_report_runs_total\{outcome="succeeded"\} [1-9]/m);
    expect(metrics).toMatch(/^sightline_report_run_duration_seconds_count [1-9]/m);
    expect((await get(`/v1/report-runs/${runId}`, other.adminKey)).status).toBe(404);
    expect((await get(`/v1/report-runs/${runId}/download`, other.adminKey)).status).toBe(404);
  });

  it('refuses a report over the organization limit with a 429 naming it', async () => {
    const org = await new Factory(app.app).newOrganization();
    for (let index = 0; index < 6; index++) {
      expect((await post(definition, org.adminKey)).status).toBe(201);
    }
    const refused = await post(definition, org.adminKey);
    expect(refused.status).toBe(429);
    expect(refused.body.type).toBe('/problems/report-limit');
    expect(String(refused.body.detail)).toContain('REPORTS_PER_ORGANIZATION');
  });
});
