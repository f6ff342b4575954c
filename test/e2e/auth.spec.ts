import { SignatureNoncePrunerJob, sha256Hex, signingPayload, signPayload } from '@app/auth';
import { DataSource } from 'typeorm';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const PASSWORD = 'correct horse battery staple';

describe('authentication, keys, signatures and audit', () => {
  let app: TestApp;
  let factory: Factory;
  let org: TestOrganization;
  /** Every response body seen, to prove no secret or hash ever leaves in one. */
  const responses: string[] = [];
  // Each secret, and the one response allowed to show it: the one that issued it (-1: none).
  const secrets = new Map<string, number>();
  const issued = (secret: string): void => void secrets.set(secret, responses.length - 1);

  async function api(method: string, path: string, options: Parameters<typeof call>[3] = {}) {
    const response = await call(app.baseUrl, method, path, options);
    responses.push(response.text);
    return response;
  }

  async function newUser(
    role: 'admin' | 'analyst' | 'viewer',
    email = `u-${Date.now()}-${Math.random()}@example.com`,
  ) {
    const body = JSON.stringify({ email, password: PASSWORD, role });
    const created = await api('POST', '/v1/users', {
      headers: signedHeaders(org.adminKey, 'POST', '/v1/users', body),
      body,
    });
    expect(created.status).toBe(201);
    return { id: String(created.body.id), email };
  }

  async function login(email: string, password = PASSWORD) {
    return api('POST', '/v1/auth/login', { body: { email, password } });
  }

  beforeAll(async () => {
    app = await startTestApp({
      // This file signs in more often than the login rate limit allows one IP (rate-limit.spec.ts tests that).
      env: { JWT_ACCESS_TTL_SECONDS: '60', RATE_LIMIT_LOGIN_LIMIT: '1000' },
    });
    factory = new Factory(app.app);
    org = await factory.newOrganization();
    secrets.set(org.adminKey, -1).set(PASSWORD, -1);
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
      const second = await api('POST', '/v1/auth/refresh', {
        body: { refreshToken: first.body.refreshToken },
      });
      expect(second.status).toBe(200);
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

  describe('request signatures on sensitive operations', () => {
    const body = JSON.stringify({ name: 'signed', role: 'viewer' });

    it('are not asked of people, whose sessions are not replayable keys', async () => {
      const admin = await newUser('admin');
      const tokens = await login(admin.email);
      const created = await api('POST', '/v1/api-keys', {
        headers: { authorization: `Bearer ${String(tokens.body.accessToken)}` },
        body: JSON.parse(body),
      });
      expect(created.status).toBe(201);
      issued(String(created.body.key));
    });

    it('are required of API keys: unsigned is 401', async () => {
      const response = await api('POST', '/v1/api-keys', {
        headers: { 'x-api-key': org.adminKey },
        body,
      });
      expect(response.status).toBe(401);
      expect(response.body.detail).toMatch(/missing X-Signature/);
    });

    it('reject a replayed nonce', async () => {
      const headers = signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body, {
        nonce: 'nonce-used-once-only',
      });
      expect((await api('POST', '/v1/api-keys', { headers, body })).status).toBe(201);
      const replay = await api('POST', '/v1/api-keys', { headers, body });
      expect(replay.status).toBe(401);
      expect(replay.body.detail).toMatch(/already used/);
    });

    it('forget nonces once past the timestamp window, keeping the live ones', async () => {
      const used = signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body, {
        nonce: 'nonce-still-live',
      });
      expect((await api('POST', '/v1/api-keys', { headers: used, body })).status).toBe(201);
      const source = app.app.get(DataSource);
      await source.query(
        `UPDATE signature_nonces SET expires_at = now() - interval '1 second' WHERE nonce = 'nonce-used-once-only'`,
      );
      await app.app.get(SignatureNoncePrunerJob).runOnce();
      const left = await source.query<Array<{ nonce: string }>>(
        `SELECT nonce FROM signature_nonces WHERE nonce LIKE 'nonce-%' ORDER BY nonce`,
      );
      expect(left.map((row) => row.nonce)).toEqual(['nonce-still-live']);
    });

    it('are keyed with the derived signing key, never the stored hash sha256hex(key)', async () => {
      const fresh = signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body);
      const timestamp = fresh['x-signature-timestamp'];
      const withStoredHash = {
        ...fresh,
        'x-signature': signPayload(
          sha256Hex(org.adminKey),
          signingPayload(timestamp, 'POST', '/v1/api-keys', body),
        ),
      };
      const refused = await api('POST', '/v1/api-keys', { headers: withStoredHash, body });
      expect(refused.status).toBe(401);
      expect(refused.body.type).toMatch(/signature-invalid$/);
      const accepted = await api('POST', '/v1/api-keys', { headers: fresh, body });
      expect(accepted.status).toBe(201);
      issued(String(accepted.body.key));
    });

    it('reject a stale timestamp', async () => {
      const headers = signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body, {
        timestamp: Math.floor(Date.now() / 1000) - 301,
      });
      const response = await api('POST', '/v1/api-keys', { headers, body });
      expect(response.status).toBe(401);
      expect(response.body.detail).toMatch(/clock/);
    });

    it('reject a tampered body, method or path', async () => {
      const headers = signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body);
      const tampered = await api('POST', '/v1/api-keys', {
        headers,
        body: JSON.stringify({ name: 'signed', role: 'admin' }),
      });
      expect(tampered.status).toBe(401);
      expect(tampered.body.detail).toMatch(/does not match/);
      const otherPath = await api('POST', '/v1/api-keys?x=1', {
        headers: signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
        body,
      });
      expect(otherPath.status).toBe(401);
    });

    it('guard role and password changes by API key, and no other change', async () => {
      const user = await newUser('viewer');
      const path = `/v1/users/${user.id}`;
      for (const change of [{ role: 'admin' }, { password: 'another long password' }]) {
        const unsigned = await api('PATCH', path, {
          headers: { 'x-api-key': org.adminKey },
          body: change,
        });
        expect({ change, status: unsigned.status, type: unsigned.body.type }).toEqual({
          change,
          status: 401,
          type: '/problems/signature-invalid',
        });
      }
      const nothing = await api('PATCH', path, {
        headers: { 'x-api-key': org.adminKey },
        body: {},
      });
      expect(nothing.status).toBe(200);
      const passwordBody = JSON.stringify({ password: 'another long password' });
      const signedPassword = await api('PATCH', path, {
        headers: signedHeaders(org.adminKey, 'PATCH', path, passwordBody),
        body: passwordBody,
      });
      expect(signedPassword.status).toBe(200);
      const roleBody = JSON.stringify({ role: 'analyst' });
      const signed = await api('PATCH', path, {
        headers: signedHeaders(org.adminKey, 'PATCH', path, roleBody),
        body: roleBody,
      });
      expect(signed.body.role).toBe('analyst');
      const audit = await api('GET', '/v1/audit-events?action=user.role-changed', {
        headers: { 'x-api-key': org.adminKey },
      });
      expect(audit.body.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            targetId: user.id,
            outcome: 'success',
            details: { from: 'viewer', to: 'analyst' },
          }),
        ]),
      );
    });

    it('guard creating an admin or service person by API key, not a viewer or analyst', async () => {
      for (const role of ['admin', 'service']) {
        const body = JSON.stringify({
          email: `p-${role}-${Date.now()}@example.com`,
          password: PASSWORD,
          role,
        });
        const unsigned = await api('POST', '/v1/users', {
          headers: { 'x-api-key': org.adminKey },
          body,
        });
        expect({ role, status: unsigned.status, type: unsigned.body.type }).toEqual({
          role,
          status: 401,
          type: '/problems/signature-invalid',
        });
        const signed = await api('POST', '/v1/users', {
          headers: signedHeaders(org.adminKey, 'POST', '/v1/users', body),
          body,
        });
        expect({ role, status: signed.status }).toEqual({ role, status: 201 });
      }
      for (const role of ['viewer', 'analyst']) {
        const plain = await api('POST', '/v1/users', {
          headers: { 'x-api-key': org.adminKey },
          body: { email: `p-${role}-${Date.now()}@example.com`, password: PASSWORD, role },
        });
        expect({ role, status: plain.status }).toEqual({ role, status: 201 });
      }
    });

    it('guard creating and rotating keys of every role by API key', async () => {
      const target = await factory.newApiKey(org.organizationId, 'viewer');
      for (const role of ['admin', 'service', 'viewer']) {
        const unsigned = await api('POST', '/v1/api-keys', {
          headers: { 'x-api-key': org.adminKey },
          body: { name: `unsigned ${role}`, role },
        });
        expect({ role, status: unsigned.status, type: unsigned.body.type }).toEqual({
          role,
          status: 401,
          type: '/problems/signature-invalid',
        });
      }
      const rotatePath = `/v1/api-keys/${target.id}/rotate`;
      const unsignedRotate = await api('POST', rotatePath, {
        headers: { 'x-api-key': org.adminKey },
      });
      expect(unsignedRotate.status).toBe(401);
      expect(unsignedRotate.body.type).toBe('/problems/signature-invalid');
      const body = JSON.stringify({ name: 'signed service', role: 'service' });
      const signed = await api('POST', '/v1/api-keys', {
        headers: signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
        body,
      });
      expect(signed.status).toBe(201);
      issued(String(signed.body.key));
    });

    it('are not asked of people for any sensitive change', async () => {
      const admin = await newUser('admin');
      const bearer = {
        authorization: `Bearer ${String((await login(admin.email)).body.accessToken)}`,
      };
      const person = await api('POST', '/v1/users', {
        headers: bearer,
        body: { email: `by-bearer-${Date.now()}@example.com`, password: PASSWORD, role: 'admin' },
      });
      expect(person.status).toBe(201);
      const path = `/v1/users/${String(person.body.id)}`;
      const changed = await api('PATCH', path, {
        headers: bearer,
        body: { role: 'service', password: 'yet another long password' },
      });
      expect(changed.status).toBe(200);
      const key = await api('POST', '/v1/api-keys', {
        headers: bearer,
        body: { name: 'by bearer', role: 'admin' },
      });
      expect(key.status).toBe(201);
      issued(String(key.body.key));
      const rotated = await api('POST', `/v1/api-keys/${String(key.body.id)}/rotate`, {
        headers: bearer,
      });
      expect(rotated.status).toBe(200);
      issued(String(rotated.body.key));
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
      const logs = JSON.stringify(app.logs);
      expect(app.logs.length).toBeGreaterThan(20);
      expect(secrets.size).toBeGreaterThan(5);
      for (const [secret, issuedIn] of secrets) {
        expect(logs).not.toContain(secret);
        // Shown once, by the response that issued it, and by no other.
        const shownIn = responses.flatMap((text, index) => (text.includes(secret) ? [index] : []));
        expect(shownIn).toEqual(issuedIn === -1 ? [] : [issuedIn]);
      }
      for (const text of [logs, ...responses]) {
        expect(text).not.toMatch(/\$argon2id\$/);
        expect(text).not.toMatch(/passwordHash|keyHash|tokenHash|signingKey/);
      }
    });
  });
});
