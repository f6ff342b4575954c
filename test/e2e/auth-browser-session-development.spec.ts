import { call, Factory, signedHeaders } from '../support/factory';
import { parseSetCookie } from '../support/cookie-browser';
import { PASSWORD } from '../support/secret-ledger';
import { startTestApp, type TestApp } from '../support/test-app';

/** Browser sessions with NODE_ENV=development: cookies without Secure, CORS credentials for the configured origin. */
describe('browser sessions in development', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        NODE_ENV: 'development',
        JWT_SECRET: 'development-test-secret-000000000000000',
        LOG_PRETTY: 'false',
        BOOTSTRAP_ON_START: 'false',
        DATASET_WARM_UP_BYTES: '0',
      },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sets both cookies without Secure, the rest unchanged', async () => {
    const org = await new Factory(app.app).newOrganization();
    const email = `dev-${Date.now()}@example.com`;
    const body = JSON.stringify({ email, password: PASSWORD, role: 'viewer' });
    const created = await call(app.baseUrl, 'POST', '/v1/users', {
      headers: signedHeaders(org.adminKey, 'POST', '/v1/users', body),
      body,
    });
    expect(created.status).toBe(201);
    const login = await call(app.baseUrl, 'POST', '/v1/auth/login', {
      body: { email, password: PASSWORD, session: 'cookie' },
    });
    const cookies = login.headers.getSetCookie().map(parseSetCookie);
    expect(cookies.map((cookie) => cookie.attributes)).toEqual([
      {
        'max-age': String(app.config.auth.refreshTokenTtlSeconds),
        path: '/v1/auth',
        httponly: true,
        samesite: 'Strict',
      },
      { 'max-age': String(app.config.auth.refreshTokenTtlSeconds), path: '/', samesite: 'Strict' },
    ]);
  });

  it('lets the configured origin send credentials, and no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${app.baseUrl}/v1/auth/refresh`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-csrf-token, content-type',
        },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    // Without Access-Control-Allow-Origin the browser gives the page nothing, credentials or not.
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
