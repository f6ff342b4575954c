import { SignatureNoncePrunerJob, sha256Hex, signingPayload, signPayload } from '@app/auth';
import { DataSource } from 'typeorm';
import { type Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { PASSWORD, SecretLedger, startAuthApp } from '../support/secret-ledger';
import type { TestApp } from '../support/test-app';

/** Which changes an API key must sign, and the signatures that are refused. */
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

  describe('secrets', () => {
    it('never appear in a response or a log line, nor do password or key hashes', () => {
      ledger.expectKept(5);
    });
  });
});
