import { JwtService } from '@nestjs/jwt';
import { call, Factory, signedHeaders } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

// The JWT secret development fell back to before it was generated; it is in the public history.
const PUBLISHED = 'insecure-development-secret-change-me-0000000000';
const PASSWORD = 'a long enough password';

/** An instance started in development with no JWT_SECRET (here with an external database). */
describe('development without JWT_SECRET', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        NODE_ENV: 'development',
        LOG_PRETTY: 'false',
        BOOTSTRAP_ON_START: 'false',
        DATASET_WARM_UP_BYTES: '0',
      },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a token signed with the published development secret, and takes its own', async () => {
    expect(app.config.environment).toBe('development');
    expect(app.config.auth.jwtSecretSource).toBe('generated-per-start');
    const org = await new Factory(app.app).newOrganization();
    const email = `dev-${Date.now()}@example.com`;
    const body = JSON.stringify({ email, password: PASSWORD, role: 'admin' });
    const created = await call(app.baseUrl, 'POST', '/v1/users', {
      headers: signedHeaders(org.adminKey, 'POST', '/v1/users', body),
      body,
    });
    expect(created.status).toBe(201);

    const forged = new JwtService({ secret: PUBLISHED }).sign(
      { sub: String(created.body.id), org: org.organizationId, typ: 'access' },
      { algorithm: 'HS256', expiresIn: 300 },
    );
    const refused = await call(app.baseUrl, 'GET', '/v1/auth/me', {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(refused.status).toBe(401);

    const login = await call(app.baseUrl, 'POST', '/v1/auth/login', {
      body: { email, password: PASSWORD },
    });
    const me = await call(app.baseUrl, 'GET', '/v1/auth/me', {
      headers: { authorization: `Bearer ${String(login.body.accessToken)}` },
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'user', role: 'admin' });
  });
});
