import { sha256Hex, signingKeyOf } from '@app/auth';
import { PrometheusService } from '@app/observability';
import { randomUUID } from 'node:crypto';
import { call, Factory, signedHeaders } from '../support/factory';
import { dropRedisKeys, testRedisUrl, withRedis } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

const REDIS_URL = testRedisUrl();

/**
 * Two API replicas sharing one database and one Redis: a key cached as valid
 * on one must stop working there the moment the other revokes or rotates it.
 */
describe('principal cache shared by replicas', () => {
  let first: TestApp;
  let second: TestApp;
  let factory: Factory;
  const keyPrefix = `test-${randomUUID()}:`;

  beforeAll(async () => {
    const env = {
      REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      PRINCIPAL_CACHE_TTL_SECONDS: '300',
    };
    first = await startTestApp({ env });
    second = await startTestApp({ env, database: first.database });
    factory = new Factory(first.app);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await dropRedisKeys(REDIS_URL, keyPrefix);
  });

  async function principalHits(replica: TestApp): Promise<number> {
    const metric = await replica.app.get(PrometheusService).cacheLookups.get();
    const hit = metric.values.find(
      (v) => v.labels.cache === 'principal' && v.labels.result === 'hit',
    );
    return hit?.value ?? 0;
  }

  it('holds nothing a request could be signed with', async () => {
    const org = await factory.newOrganization();
    const body = JSON.stringify({ name: 'cached', role: 'viewer' });
    const created = await call(first.baseUrl, 'POST', '/v1/api-keys', {
      headers: signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
      body,
    });
    expect(created.status).toBe(201);
    await withRedis(REDIS_URL, async (redis) => {
      const names = await redis.keys(`${keyPrefix}*`);
      const values = await Promise.all(names.map((name) => redis.get(name)));
      const cached = values.join('\n');
      // The admin key's entry is there (named by its stored hash) ...
      expect(names.some((name) => name.includes(sha256Hex(org.adminKey)))).toBe(true);
      // ... but neither the key, its signing key nor any signing material is.
      expect(cached).not.toContain(org.adminKey);
      expect(cached).not.toContain(signingKeyOf(org.adminKey));
      expect(cached).not.toContain(sha256Hex(org.adminKey));
      expect(cached).not.toMatch(/signingKey/);
    });
  });

  it('stops a revoked key on the other replica at once, though it was cached there', async () => {
    const org = await factory.newOrganization();
    const victim = await factory.newApiKey(org.organizationId, 'viewer');
    expect(
      (await call(first.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': victim.key } }))
        .status,
    ).toBe(200);
    // The first replica's fill is what the second reads: a hit there, not a database read
    // (with Redis unreachable every look-up is a miss, and this fails).
    const hitsBefore = await principalHits(second);
    expect(
      (await call(second.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': victim.key } }))
        .status,
    ).toBe(200);
    expect(await principalHits(second)).toBe(hitsBefore + 1);
    const path = `/v1/api-keys/${victim.id}`;
    expect(
      (
        await call(first.baseUrl, 'DELETE', path, {
          headers: signedHeaders(org.adminKey, 'DELETE', path),
        })
      ).status,
    ).toBe(204);
    expect(
      (await call(second.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': victim.key } }))
        .status,
    ).toBe(401);
  });

  it('stops a rotated-away key on the other replica at once', async () => {
    const org = await factory.newOrganization();
    const rotated = await factory.newApiKey(org.organizationId, 'analyst');
    expect(
      (await call(second.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': rotated.key } }))
        .status,
    ).toBe(200);
    const path = `/v1/api-keys/${rotated.id}/rotate`;
    const fresh = await call(first.baseUrl, 'POST', path, {
      headers: signedHeaders(org.adminKey, 'POST', path),
    });
    expect(fresh.status).toBe(200);
    expect(
      (await call(second.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': rotated.key } }))
        .status,
    ).toBe(401);
    expect(
      (
        await call(second.baseUrl, 'GET', '/v1/auth/me', {
          headers: { 'x-api-key': String(fresh.body.key) },
        })
      ).status,
    ).toBe(200);
  });

  it('applies a role change made on one replica to a session on the other', async () => {
    const org = await factory.newOrganization();
    const email = `ops-${randomUUID()}@example.com`;
    const person = JSON.stringify({ email, password: 'a long enough password', role: 'admin' });
    const created = await call(first.baseUrl, 'POST', '/v1/users', {
      headers: signedHeaders(org.adminKey, 'POST', '/v1/users', person),
      body: person,
    });
    const tokens = await call(second.baseUrl, 'POST', '/v1/auth/login', {
      body: { email, password: 'a long enough password' },
    });
    const bearer = { authorization: `Bearer ${String(tokens.body.accessToken)}` };
    expect((await call(second.baseUrl, 'GET', '/v1/users', { headers: bearer })).status).toBe(200);
    const path = `/v1/users/${String(created.body.id)}`;
    const body = JSON.stringify({ role: 'viewer' });
    expect(
      (
        await call(first.baseUrl, 'PATCH', path, {
          headers: signedHeaders(org.adminKey, 'PATCH', path, body),
          body,
        })
      ).status,
    ).toBe(200);
    expect((await call(second.baseUrl, 'GET', '/v1/users', { headers: bearer })).status).toBe(403);
  });
});
