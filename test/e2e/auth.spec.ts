import type { Factory, TestOrganization } from '../support/factory';
import { PASSWORD, SecretLedger, startAuthApp } from '../support/secret-ledger';
import type { TestApp } from '../support/test-app';

/**
 * People signing in, their tokens and roles, and who reads the audit log. API keys are in
 * auth-api-keys.spec.ts, request signatures in auth-signatures.spec.ts.
 */
describe('authentication, keys, signatures and audit', () => {
  let app: TestApp;
  let factory: Factory;
  let org: TestOrganization;
  const ledger = new SecretLedger(() => ({ app, org }));
  const { api, issued, login, newUser } = ledger;

  beforeAll(async () => {
    ({ app, factory, org } = await startAuthApp(ledger));
  });
  afterAll(async () => {
    await app.close();
  });

  describe('people', () => {
    it('sign in with email and password and see who they are', async () => {
      const user = await newUser('analyst', 'Mixed.Case@Example.com');
      const tokens = await login('mixed.case@example.com');
      expect(tokens.status).toBe(200);
      expect(tokens.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 60 });
      issued(String(tokens.body.refreshToken));
      const me = await api('GET', '/v1/auth/me', {
        headers: { authorization: `Bearer ${String(tokens.body.accessToken)}` },
      });
      expect(me.body).toEqual({
        id: user.id,
        kind: 'user',
        role: 'analyst',
        organizationId: org.organizationId,
      });
    });

    it('are refused with 401 for a wrong password or an unknown email, in the same words', async () => {
      const user = await newUser('viewer');
      const wrong = await login(user.email, 'not the password at all');
      const unknown = await login('nobody@example.com');
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });

    it('refresh once per token; presenting a used one revokes the whole family', async () => {
      const user = await newUser('viewer');
      const first = await login(user.email);
      issued(String(first.body.refreshToken));
      const second = await api('POST', '/v1/auth/refresh', {
        body: { refreshToken: first.body.refreshToken },
      });
      expect(second.status).toBe(200);
      issued(String(second.body.refreshToken));
      expect(second.body.refreshToken).not.toBe(first.body.refreshToken);

      const replay = await api('POST', '/v1/auth/refresh', {
        body: { refreshToken: first.body.refreshToken },
      });
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toMatch(/already used/);
      // The legitimate successor was in the same family, so it died too.
      const successor = await api('POST', '/v1/auth/refresh', {
        body: { refreshToken: second.body.refreshToken },
      });
      expect(successor.status).toBe(401);

      const audit = await api('GET', '/v1/audit-events?action=auth.refresh-token-reused', {
        headers: { 'x-api-key': org.adminKey },
      });
      expect((audit.body.data as unknown[]).length).toBeGreaterThanOrEqual(1);
    });

    it('refuse garbage refresh tokens with 401', async () => {
      for (const refreshToken of ['nonsense', `${crypto.randomUUID()}.${'A'.repeat(43)}`]) {
        expect((await api('POST', '/v1/auth/refresh', { body: { refreshToken } })).status).toBe(
          401,
        );
      }
    });

    it('lose access at once when their role changes or they are removed', async () => {
      const user = await newUser('admin');
      const tokens = await login(user.email);
      const bearer = { authorization: `Bearer ${String(tokens.body.accessToken)}` };
      expect((await api('GET', '/v1/users', { headers: bearer })).status).toBe(200);
      const demoted = await api('PATCH', `/v1/users/${user.id}`, {
        headers: bearer,
        body: { role: 'viewer' },
      });
      expect(demoted.body.role).toBe('viewer');
      expect((await api('GET', '/v1/users', { headers: bearer })).status).toBe(403);
      expect(
        (await api('DELETE', `/v1/users/${user.id}`, { headers: { 'x-api-key': org.adminKey } }))
          .status,
      ).toBe(204);
      expect((await api('GET', '/v1/auth/me', { headers: bearer })).status).toBe(401);
    });

    it('cannot share an email, and get a 400 naming each bad field', async () => {
      const user = await newUser('viewer');
      const duplicate = await api('POST', '/v1/users', {
        headers: { 'x-api-key': org.adminKey },
        body: { email: user.email.toUpperCase(), password: PASSWORD, role: 'viewer' },
      });
      expect(duplicate.status).toBe(409);
      const bad = await api('POST', '/v1/users', {
        headers: { 'x-api-key': org.adminKey },
        body: { email: 'x', password: 'short', role: 'owner' },
      });
      expect(bad.status).toBe(400);
      expect(
        (bad.body.errors as Array<{ field: string }>).map((error) => error.field).sort(),
      ).toEqual(['email', 'password', 'role']);
    });
  });

  describe('the audit log', () => {
    it('is read by admins only and shows only their organization', async () => {
      const viewer = await factory.newApiKey(org.organizationId, 'viewer');
      expect(
        (await api('GET', '/v1/audit-events', { headers: { 'x-api-key': viewer.key } })).status,
      ).toBe(403);
      const stranger = await factory.newOrganization();
      const theirs = await api('GET', '/v1/audit-events', {
        headers: { 'x-api-key': stranger.adminKey },
      });
      expect(theirs.body).toEqual({ data: [], nextCursor: null });
      const ours = await api('GET', '/v1/audit-events?limit=2', {
        headers: { 'x-api-key': org.adminKey },
      });
      expect((ours.body.data as unknown[]).length).toBe(2);
      expect(typeof ours.body.nextCursor).toBe('string');
      const next = await api(
        'GET',
        `/v1/audit-events?limit=2&cursor=${String(ours.body.nextCursor)}`,
        { headers: { 'x-api-key': org.adminKey } },
      );
      expect(next.status).toBe(200);
      expect(
        (
          await api('GET', '/v1/audit-events?cursor=bogus', {
            headers: { 'x-api-key': org.adminKey },
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('secrets', () => {
    it('never appear in a response or a log line, nor do password or key hashes', () => {
      ledger.expectKept(3);
    });
  });
});
