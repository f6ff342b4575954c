import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASSET_CACHE_CONTROL, DASHBOARD_CSP } from '../../apps/api/src/dashboard/serve-dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const SCRIPT = 'export const answer = 42;\n';

/** A build as Vite lays it out: index.html naming one hashed asset. */
async function writeBuild(root: string): Promise<string> {
  const index = `<!doctype html><title>Fixture</title><script type="module" src="/assets/app-Ab12Cd34.js"></script>`;
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), index);
  await writeFile(join(root, 'assets', 'app-Ab12Cd34.js'), SCRIPT);
  return index;
}

function get(app: TestApp, path: string, accept = HTML): Promise<Response> {
  return fetch(`${app.baseUrl}${path}`, { headers: { accept } });
}

describe('The dashboard served at / (a build in a temporary directory)', () => {
  let app: TestApp;
  let root: string;
  let index: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sightline-web-'));
    index = await writeBuild(root);
    app = await startTestApp({ webRoot: root });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves index.html at / uncached, under the strict policy', async () => {
    const response = await get(app, '/', '*/*');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(await response.text()).toBe(index);
  });

  it('has no inline script or style, nor eval, in the policy', () => {
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-|\*|https?:/);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).toContain("style-src 'self'");
    expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
  });

  it.each(['/datasets/123', '/reports', '/explore?metric=orders.total'])(
    'serves index.html for the client-side route %s when a browser navigates to it',
    async (path) => {
      const response = await get(app, path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
      expect(await response.text()).toBe(index);
    },
  );

  it('answers an unknown path that does not accept HTML with the 404 problem, as before', async () => {
    const response = await get(app, '/datasets/123', 'application/json');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    expect(await response.json()).toMatchObject({
      type: '/problems/not-found',
      detail: 'No route matches GET /datasets/123',
    });
  });

  it('serves a hashed asset cached for a year, immutable', async () => {
    const response = await get(app, '/assets/app-Ab12Cd34.js', '*/*');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(response.headers.get('cache-control')).toBe(ASSET_CACHE_CONTROL);
    expect(ASSET_CACHE_CONTROL).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(await response.text()).toBe(SCRIPT);
  });

  it.each(['/assets/app-Missing0.js', '/assets/..%2Findex.html'])(
    'answers a missing asset %s with the 404 problem, never index.html',
    async (path) => {
      const response = await get(app, path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain(PROBLEM);
    },
  );

  it.each(['/v1/nowhere', '/v2/datasets', '/health/nowhere', '/docs-nowhere'])(
    'answers %s with the 404 problem even when a browser asks for it',
    async (path) => {
      const response = await get(app, path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain(PROBLEM);
      expect(await response.json()).toMatchObject({ type: '/problems/not-found', instance: path });
    },
  );

  it('keeps the router refusing an over-long API parameter with 414, even to a browser', async () => {
    const response = await get(app, `/v1/datasets/${'a'.repeat(300)}`);
    expect(response.status).toBe(414);
    expect(await response.json()).toMatchObject({ type: '/problems/uri-too-long' });
  });

  it('leaves the probes, Prometheus and the API under their own headers', async () => {
    const live = await get(app, '/health/live');
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toContain('application/json');

    const scrape = await get(app, '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');

    const me = await get(app, '/v1/auth/me');
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toContain(PROBLEM);
    expect(me.headers.get('content-security-policy')).not.toBe(DASHBOARD_CSP);
  });

  it('leaves Swagger UI at /docs under the policy it needs (inline styles)', async () => {
    const response = await get(app, '/docs');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).not.toBe(DASHBOARD_CSP);
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
  });
});

describe('The dashboard when it is not built', () => {
  let app: TestApp;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sightline-web-missing-'));
    app = await startTestApp({ webRoot: join(root, 'nothing-here') });
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each(['/', '/datasets/123'])('answers %s with a 503 problem saying so', async (path) => {
    const response = await get(app, path);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    expect(await response.json()).toMatchObject({
      type: '/problems/dashboard-not-built',
      status: 503,
      detail: expect.stringContaining('npm run build'),
      instance: path,
    });
  });

  it('still serves the API', async () => {
    const response = await get(app, '/health/live', 'application/json');
    expect(response.status).toBe(200);
    expect((await get(app, '/assets/app.js')).status).toBe(404);
  });
});
