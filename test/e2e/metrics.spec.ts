import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

function sample(text: string, metric: string, labels: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${metric}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('GET /metrics (Prometheus)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_DEFAULT_LIMIT: '3' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('counts requests by route template, pool state, principal cache and rate-limit rejections', async () => {
    const org = await new Factory(app.app).newOrganization();
    await call(app.baseUrl, 'GET', '/health/live');
    await call(app.baseUrl, 'GET', '/v1/no-such-route/123');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push(
        (await call(app.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': org.adminKey } }))
          .status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);

    const response = await fetch(`${app.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(
      sample(
        text,
        'sightline_http_requests_total',
        'method="GET",route="/health/live",status="200"',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'sightline_http_requests_total',
        'method="GET",route="/v1/auth/me",status="429"',
      ),
    ).toBe(2);
    // Unknown URLs share one label value: ids in paths must not explode the series count.
    expect(
      sample(text, 'sightline_http_requests_total', 'method="GET",route="unmatched",status="404"'),
    ).toBe(1);
    expect(text).not.toContain('no-such-route');
    expect(sample(text, 'sightline_rate_limit_rejections_total', 'class="default"')).toBe(2);
    expect(sample(text, 'sightline_cache_lookups_total', 'cache="principal",result="miss"')).toBe(
      1,
    );
    expect(sample(text, 'sightline_cache_lookups_total', 'cache="principal",result="hit"')).toBe(4);
    expect(sample(text, 'sightline_db_pool_connections', 'state="total"')).toBeGreaterThanOrEqual(
      1,
    );
    expect(text).toContain('sightline_http_request_duration_seconds_bucket');
    expect(text).toContain('sightline_process_resident_memory_bytes');
  });

  it('is not in the API document', async () => {
    const document = (await (await fetch(`${app.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });
});
