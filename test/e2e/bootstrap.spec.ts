import { generateApiKey } from '@app/auth';
import { call } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('first start with BOOTSTRAP_ADMIN_API_KEY', () => {
  const preset = generateApiKey().key;
  let app: TestApp;
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    // Capture standard output: a preset key must not be printed.
    process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return write(chunk, ...(rest as []));
    };
    try {
      app = await startTestApp({
        env: { BOOTSTRAP_ON_START: 'true', BOOTSTRAP_ADMIN_API_KEY: preset },
      });
    } finally {
      process.stdout.write = write;
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('makes the given key the first admin key, without printing it', async () => {
    const me = await call(app.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': preset } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'apiKey', role: 'admin' });
    expect(printed).not.toContain(preset);
    expect(JSON.stringify(app.logs)).not.toContain(preset);
  });

  it('creates one organization only', async () => {
    const keys = await call(app.baseUrl, 'GET', '/v1/api-keys', {
      headers: { 'x-api-key': preset },
    });
    expect((keys.body.data as unknown[]).length).toBe(1);
  });

  it('writes the organization and its first key to the audit log, as done by the bootstrap', async () => {
    const [me, audit] = await Promise.all([
      call(app.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': preset } }),
      call(app.baseUrl, 'GET', '/v1/audit-events', { headers: { 'x-api-key': preset } }),
    ]);
    const system = { actorKind: 'system', actorId: 'bootstrap', outcome: 'success' };
    expect(audit.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ...system,
          action: 'organization.created',
          targetType: 'organization',
          targetId: me.body.organizationId,
        }),
        expect.objectContaining({
          ...system,
          action: 'api-key.created',
          targetType: 'api-key',
          targetId: me.body.id,
        }),
      ]),
    );
  });
});
