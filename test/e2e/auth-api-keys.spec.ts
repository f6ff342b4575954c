import { type Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { SecretLedger, startAuthApp } from '../support/secret-ledger';
import type { TestApp } from '../support/test-app';

/** API keys: issued and rotated once shown, and what stops them working. */
describe('authentication, keys, signatures and audit', () => {
  let app: TestApp;
  let factory: Factory;
  let org: TestOrganization;
  const ledger = new SecretLedger(() => ({ app, org }));
  const { api, issued } = ledger;

  beforeAll(async () => {
    ({ app, factory, org } = await startAuthApp(ledger));
  });
  afterAll(async () => {
    await app.close();
  });

  describe('API keys', () => {
    it('are created signed, shown once, listed without secrets, and authenticate', async () => {
      const body = JSON.stringify({ name: 'ingest', role: 'service' });
      const created = await api('POST', '/v1/api-keys', {
        headers: signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
        body,
      });
      expect(created.status).toBe(201);
      const key = String(created.body.key);
      issued(key);
      expect(key.startsWith(`sl_${String(created.body.prefix)}_`)).toBe(true);
      const me = await api('GET', '/v1/auth/me', { headers: { 'x-api-key': key } });
      expect(me.body).toMatchObject({
        kind: 'apiKey',
        role: 'service',
        organizationId: org.organizationId,
      });
      // lastUsedAt is written after the request, not in its way: wait for it (5 s at most).
      let lastUsedAt: string | null | undefined = null;
      for (let tries = 0; tries < 50 && lastUsedAt === null; tries++) {
        const listed = await api('GET', '/v1/api-keys?limit=500', {
          headers: { 'x-api-key': org.adminKey },
        });
        expect(listed.text).not.toContain(key);
        lastUsedAt = (listed.body.data as Array<{ id: string; lastUsedAt: string | null }>).find(
          (k) => k.id === created.body.id,
        )?.lastUsedAt;
        if (lastUsedAt === null) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(lastUsedAt).toEqual(expect.any(String));
    });

    it('stop working when expired, revoked or rotated away', async () => {
      const expired = await factory.newApiKey(
        org.organizationId,
        'viewer',
        new Date(Date.now() - 1000),
      );
      expect(
        (await api('GET', '/v1/auth/me', { headers: { 'x-api-key': expired.key } })).status,
      ).toBe(401);

      const revoked = await factory.newApiKey(org.organizationId, 'viewer');
      expect(
        (await api('GET', '/v1/auth/me', { headers: { 'x-api-key': revoked.key } })).status,
      ).toBe(200);
      const path = `/v1/api-keys/${revoked.id}`;
      expect(
        (await api('DELETE', path, { headers: signedHeaders(org.adminKey, 'DELETE', path) }))
          .status,
      ).toBe(204);
      expect(
        (await api('GET', '/v1/auth/me', { headers: { 'x-api-key': revoked.key } })).status,
      ).toBe(401);

      const rotated = await factory.newApiKey(org.organizationId, 'analyst');
      expect(
        (await api('GET', '/v1/auth/me', { headers: { 'x-api-key': rotated.key } })).status,
      ).toBe(200);
      const rotatePath = `/v1/api-keys/${rotated.id}/rotate`;
      const fresh = await api('POST', rotatePath, {
        headers: signedHeaders(org.adminKey, 'POST', rotatePath),
      });
      expect(fresh.status).toBe(200);
      issued(String(fresh.body.key));
      expect(
        (await api('GET', '/v1/auth/me', { headers: { 'x-api-key': rotated.key } })).status,
      ).toBe(401);
      expect(
        (await api('GET', '/v1/auth/me', { headers: { 'x-api-key': String(fresh.body.key) } })).body
          .role,
      ).toBe('analyst');
    });

    it('refuse an expiry in the past with a 400 naming the field', async () => {
      const body = JSON.stringify({
        name: 'old',
        role: 'viewer',
        expiresAt: '2001-01-01T00:00:00Z',
      });
      const response = await api('POST', '/v1/api-keys', {
        headers: signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
        body,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'expiresAt', message: 'expiresAt must be in the future' },
      ]);
    });
  });

  describe('secrets', () => {
    it('never appear in a response or a log line, nor do password or key hashes', () => {
      ledger.expectKept(2);
    });
  });
});
