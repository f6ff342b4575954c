import { call } from '../support/factory';
import { startMetricsTest, type MetricsTest } from '../support/metrics';
import { openApiSchema } from '../support/openapi-schema';

type Json = Record<string, unknown>;

/** The `maxLength` / `maxItems` the served document states for a query parameter or body field. */
function documentedBound(document: Json, path: string, method: string, name: string): unknown {
  const operation = (document.paths as Json)[path] as Record<string, Json>;
  const parameters = (operation[method]?.parameters ?? []) as Array<Json>;
  const parameter = parameters.find((candidate) => candidate.name === name);
  const schema = parameter?.schema as Json | undefined;
  return schema?.maxLength ?? schema?.maxItems;
}

/**
 * The bounds the OpenAPI document states on inputs are the ones validation enforces: one
 * over is a 400 naming the field, the bound itself is accepted. Problem bodies stay within
 * their documented schema however many fields are wrong.
 */
describe('documented bounds are enforced', () => {
  let t: MetricsTest;
  let document: Json;

  beforeAll(async () => {
    t = await startMetricsTest();
    document = (await (await fetch(`${t.app.baseUrl}/docs-json`)).json()) as Json;
  });
  afterAll(async () => {
    await t.close();
  });

  const cases = [
    { path: '/v1/metrics', name: 'from', bound: 64, ok: '2026-01-31T12:00:00.000000+00:00' },
    { path: '/v1/metrics', name: 'to', bound: 64, ok: '2026-01-31' },
    { path: '/v1/metrics', name: 'name', bound: 200, ok: 'a'.repeat(200) },
    { path: '/v1/metrics/series', name: 'groupBy', bound: 64, ok: `g${'x'.repeat(63)}` },
  ];

  it.each(cases)(
    '$path?$name: documented ≤ $bound, enforced',
    async ({ path, name, bound, ok }) => {
      expect(documentedBound(document, path, 'get', name)).toBe(bound);
      const base = path === '/v1/metrics/series' ? `${path}?name=m&` : `${path}?`;
      const over = await t.get(`${base}${name}=${'9'.repeat(bound + 1)}`);
      expect(over.status).toBe(400);
      expect(over.body.type).toBe('/problems/validation-error');
      expect((over.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(name);
      const within = await t.get(`${base}${name}=${encodeURIComponent(ok)}`);
      expect(within.status).toBe(200);
    },
  );

  it('refuses more agents than exist, as the document states', async () => {
    const schemas = (document.components as Json).schemas as Record<string, Json>;
    const agents = (schemas.CreateAnalysisDto?.properties as Record<string, Json>).agents;
    // As many as the enum names (each once), and one more is refused.
    const names = (agents?.items as Json | undefined)?.enum as string[] | undefined;
    expect(names?.length).toBeGreaterThan(1);
    expect(agents?.maxItems).toBe(names?.length);
    const response = await call(t.app.baseUrl, 'POST', '/v1/analyses', {
      headers: { 'x-api-key': t.analyst },
      body: {
        text: 'fine',
        agents: Array.from({ length: Number(agents?.maxItems) + 1 }, () => 'text'),
      },
    });
    expect(response.status).toBe(400);
    expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(
      'agents',
    );
  });

  it('keeps a validation problem with thousands of bad fields within its schema', async () => {
    const body: Json = { text: 'fine' };
    for (let index = 0; index < 3000; index++) body[`unknown_${index}_${'k'.repeat(50)}`] = 1;
    const response = await call(t.app.baseUrl, 'POST', '/v1/analyses', {
      headers: { 'x-api-key': t.analyst },
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(100);
    expect(response.body.detail).toMatch(/and 2990 more$/);
    const validate = openApiSchema('ProblemDetails');
    expect(validate(response.body) ? [] : validate.errors).toEqual([]);
  });
});
