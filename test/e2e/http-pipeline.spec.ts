import type { ProblemDetails } from '@app/common';
import { ProbeModule } from '../support/probe.module';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';

async function post(
  app: TestApp,
  path: string,
  body: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

async function problemOf(response: Response): Promise<ProblemDetails> {
  return (await response.json()) as ProblemDetails;
}

function errorLevelLogs(app: TestApp) {
  return app.logs.filter((line) => typeof line.level === 'number' && line.level >= 50);
}

describe('HTTP pipeline (problem+json, validation, limits, headers)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      imports: [ProbeModule],
      env: { BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://dashboard.example' },
    });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    app.logs.length = 0;
  });

  it('answers an unknown route with a 404 problem naming the route', async () => {
    const response = await fetch(`${app.baseUrl}/v1/nowhere?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    const body = await problemOf(response);
    expect(body).toEqual({
      type: '/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No route matches GET /v1/nowhere?x=1',
      instance: '/v1/nowhere?x=1',
      requestId: response.headers.get('x-request-id'),
    });
    expect(errorLevelLogs(app)).toEqual([]);
  });

  it('answers malformed JSON with 400 and does not log an error', async () => {
    const response = await post(app, '/v1/probe/echo', '{"title": "x", ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    const body = await problemOf(response);
    expect(body.status).toBe(400);
    expect(body.detail).toMatch(/JSON/);
    expect(errorLevelLogs(app)).toEqual([]);
  });

  it('answers a body over the default limit with 413 problem+json and no error log', async () => {
    const response = await post(
      app,
      '/v1/probe/echo',
      JSON.stringify({ title: 'x', items: [], pad: 'a'.repeat(4096) }),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    expect(await response.json()).toMatchObject({
      type: '/problems/payload-too-large',
      status: 413,
    });
    expect(errorLevelLogs(app)).toEqual([]);
  });

  it('lets a route raise its own body limit, and still enforces it', async () => {
    const allowed = await post(app, '/v1/probe/upload', JSON.stringify({ data: 'a'.repeat(8000) }));
    expect(allowed.status).toBe(201);
    expect(await allowed.json()).toEqual({ received: 8000 });
    const refused = await post(
      app,
      '/v1/probe/upload',
      JSON.stringify({ data: 'a'.repeat(100_000) }),
    );
    expect(refused.status).toBe(413);
  });

  it('answers an unsupported content type with 415 problem+json', async () => {
    const response = await post(app, '/v1/probe/echo', '<title>x</title>', {
      'content-type': 'application/xml',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      type: '/problems/unsupported-media-type',
      status: 415,
    });
  });

  it('lists every invalid and unknown field of a body at once', async () => {
    const response = await post(
      app,
      '/v1/probe/echo',
      JSON.stringify({
        title: 'a title that is far too long',
        items: [
          { name: 'ok', quantity: -1 },
          { name: 7, quantity: 1 },
        ],
        admin: true,
      }),
    );
    expect(response.status).toBe(400);
    const body = await problemOf(response);
    expect(body.type).toBe('/problems/validation-error');
    const fields = (body.errors as Array<{ field: string }>).map((error) => error.field).sort();
    expect(fields).toEqual(['admin', 'items[0].quantity', 'items[1].name', 'title']);
  });

  it('transforms a valid body into the DTO and strips nothing that was declared', async () => {
    const payload = { title: 'ok', items: [{ name: 'a', quantity: 2 }] };
    const response = await post(app, '/v1/probe/echo', JSON.stringify(payload));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual(payload);
  });

  it('hides an unexpected error behind a 500 and logs it once with its stack', async () => {
    const response = await fetch(`${app.baseUrl}/v1/probe/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/ECONNREFUSED|db-internal|SELECT|vault|at .*\.ts/);
    const body = JSON.parse(text);
    expect(body).toMatchObject({
      type: 'about:blank',
      status: 500,
      requestId: response.headers.get('x-request-id'),
    });
    const errors = errorLevelLogs(app).filter(
      (line) => line.msg === 'Unexpected error while serving a request',
    );
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('stack');
  });

  it('never returns SQL or driver text from a failed query', async () => {
    const response = await fetch(`${app.baseUrl}/v1/probe/sql`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toMatch(/no_such_table|password_hash|relation|SELECT/);
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const echoed = await fetch(`${app.baseUrl}/health/live`, {
      headers: { 'x-request-id': 'client-id-123' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('client-id-123');
    const replaced = await fetch(`${app.baseUrl}/health/live`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await fetch(`${app.baseUrl}/v1/nowhere`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one JSON line per request with its id, and redacts credentials', async () => {
    await fetch(`${app.baseUrl}/v1/nowhere`, {
      headers: {
        'x-request-id': 'trace-me',
        authorization: 'Bearer very-secret-token',
        'x-api-key': 'sk_live_secret',
      },
    });
    const line = app.logs.find(
      (entry) => (entry.req as { id?: string } | undefined)?.id === 'trace-me',
    );
    expect(line).toBeDefined();
    const serialised = JSON.stringify(app.logs);
    expect(serialised).not.toContain('very-secret-token');
    expect(serialised).not.toContain('sk_live_secret');
    expect((line?.req as { headers: Record<string, string> }).headers.authorization).toBe(
      '[redacted]',
    );
  });

  it('sets security headers and compresses large responses', async () => {
    const response = await fetch(`${app.baseUrl}/v1/probe/big`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await fetch(`${app.baseUrl}/health/live`, {
      headers: { origin: 'https://dashboard.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    const refused = await fetch(`${app.baseUrl}/health/live`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves Swagger UI and the OpenAPI document as JSON and YAML', async () => {
    const ui = await fetch(`${app.baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const json = await fetch(`${app.baseUrl}/docs-json`);
    expect(((await json.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const yaml = await fetch(`${app.baseUrl}/docs-yaml`);
    expect(await yaml.text()).toMatch(/^openapi: /m);
  });
});

describe('HTTPS enforcement behind a proxy', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      imports: [ProbeModule],
      env: { ENFORCE_HTTPS: 'true', TRUST_PROXY: 'true' },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('redirects a GET that reached the proxy over plain HTTP to HTTPS', async () => {
    const response = await fetch(`${app.baseUrl}/v1/probe/big`, {
      redirect: 'manual',
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'api.example' },
    });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('https://api.example/v1/probe/big');
  });

  it('refuses a write over plain HTTP with a 403 problem', async () => {
    const response = await post(app, '/v1/probe/echo', '{}', { 'x-forwarded-proto': 'http' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ type: '/problems/https-required' });
  });

  it('serves requests that arrived over HTTPS, and probes over plain HTTP', async () => {
    const secure = await fetch(`${app.baseUrl}/v1/probe/big`, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(secure.status).toBe(200);
    const probe = await fetch(`${app.baseUrl}/health/live`);
    expect(probe.status).toBe(200);
  });
});
