import { sha256Hex } from '@app/auth';
import { ReadCache } from '@app/cache';
import { randomUUID } from 'node:crypto';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { dropRedisKeys, testRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

const REDIS_URL = testRedisUrl();
const PASSWORD = 'a long enough password';

/**
 * Holds the cache writes of one entry on one app until released: a request that read a
 * credential from the database just before a revoke caches it just after.
 */
function holdCacheWrites(app: TestApp, entry: string) {
  const cache = app.app.get(ReadCache);
  const set = cache.set.bind(cache);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let reached = () => {};
  const held = new Promise<void>((resolve) => (reached = resolve));
  const spy = jest.spyOn(cache, 'set').mockImplementation(async (key, value, ttl) => {
    if (key === entry) {
      reached();
      await released;
    }
    return set(key, value, ttl);
  });
  return { held, release: () => release(), restore: () => spy.mockRestore() };
}

/**
 * A revoked or rotated key, or a person whose role changed or who was removed, never
 * authenticates (as before) once the change's response is sent, on any replica — even against
 * a cache fill that raced the change. With Redis, two replicas share it; without, one process.
 */
describe.each([
  ['Redis shared by two replicas', true],
  ['the in-process cache', false],
])('revocation against racing cache fills, with %s', (_name, withRedis) => {
  const keyPrefix = `test-${randomUUID()}:`;
  let first: TestApp;
  let second: TestApp;
  let factory: Factory;
  let org: TestOrganization;

  beforeAll(async () => {
    const env: Record<string, string> = {
      PRINCIPAL_CACHE_TTL_SECONDS: '300',
      RATE_LIMIT_DEFAULT_LIMIT: '1000000',
      RATE_LIMIT_LOGIN_LIMIT: '1000',
      LOG_LEVEL: 'warn',
      ...(withRedis ? { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix } : {}),
    };
    first = await startTestApp({ env });
    second = withRedis ? await startTestApp({ env, database: first.database }) : first;
    factory = new Factory(first.app);
    org = await factory.newOrganization();
  });
  afterAll(async () => {
    if (second !== first) await second.close();
    await first.close();
    if (withRedis) await dropRedisKeys(REDIS_URL, keyPrefix);
  });

  const me = (app: TestApp, key: string) =>
    call(app.baseUrl, 'GET', '/v1/auth/me', { headers: { 'x-api-key': key } });

  function signed(method: string, path: string, body?: unknown) {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return call(first.baseUrl, method, path, {
      headers: signedHeaders(org.adminKey, method, path, text ?? ''),
      body: text,
    });
  }

  /** Runs `change` while `request` on the second replica has read the database but not yet cached. */
  async function racing(
    entry: string,
    request: () => Promise<unknown>,
    change: () => Promise<void>,
  ) {
    const hold = holdCacheWrites(second, entry);
    try {
      const inFlight = request();
      await hold.held;
      await change();
      hold.release();
      await inFlight;
    } finally {
      hold.release();
      hold.restore();
    }
  }

  async function newPerson(role: 'admin' | 'viewer') {
    const email = `race-${randomUUID()}@example.com`;
    const created = await signed('POST', '/v1/users', { email, password: PASSWORD, role });
    expect(created.status).toBe(201);
    const tokens = await call(second.baseUrl, 'POST', '/v1/auth/login', {
      body: { email, password: PASSWORD },
    });
    return {
      entry: `principal:user:${String(created.body.id)}`,
      path: `/v1/users/${String(created.body.id)}`,
      bearer: { authorization: `Bearer ${String(tokens.body.accessToken)}` },
    };
  }

  it('revoke: a fill that read the key before the revoke does not revive it', async () => {
    const victim = await factory.newApiKey(org.organizationId, 'viewer');
    await racing(
      `principal:api-key:${sha256Hex(victim.key)}`,
      () => me(second, victim.key),
      async () => {
        expect((await signed('DELETE', `/v1/api-keys/${victim.id}`)).status).toBe(204);
      },
    );
    expect((await me(second, victim.key)).status).toBe(401);
    expect((await me(first, victim.key)).status).toBe(401);
  });

  it('rotate: a fill that read the old key before the rotation does not revive it', async () => {
    const rotated = await factory.newApiKey(org.organizationId, 'analyst');
    let fresh = '';
    await racing(
      `principal:api-key:${sha256Hex(rotated.key)}`,
      () => me(second, rotated.key),
      async () => {
        const response = await signed('POST', `/v1/api-keys/${rotated.id}/rotate`);
        expect(response.status).toBe(200);
        fresh = String(response.body.key);
      },
    );
    expect((await me(second, rotated.key)).status).toBe(401);
    expect((await me(first, rotated.key)).status).toBe(401);
    expect((await me(second, fresh)).status).toBe(200);
  });

  it('role change: a fill that read the old role does not keep it', async () => {
    const person = await newPerson('admin');
    await racing(
      person.entry,
      () => call(second.baseUrl, 'GET', '/v1/users', { headers: person.bearer }),
      async () => {
        expect((await signed('PATCH', person.path, { role: 'viewer' })).status).toBe(200);
      },
    );
    const after = await call(second.baseUrl, 'GET', '/v1/users', { headers: person.bearer });
    expect(after.status).toBe(403);
  });

  it('deletion: a fill that read the person before the removal does not keep them', async () => {
    const person = await newPerson('viewer');
    await racing(
      person.entry,
      () => call(second.baseUrl, 'GET', '/v1/auth/me', { headers: person.bearer }),
      async () => {
        expect((await signed('DELETE', person.path)).status).toBe(204);
      },
    );
    const after = await call(second.baseUrl, 'GET', '/v1/auth/me', { headers: person.bearer });
    expect(after.status).toBe(401);
  });

  it('revoke under a flood of concurrent requests on every replica: none succeeds after', async () => {
    const late: Array<{ round: number; status: number }> = [];
    for (let round = 0; round < 8; round++) {
      const victim = await factory.newApiKey(org.organizationId, 'viewer');
      let revokedAt = Number.POSITIVE_INFINITY;
      let stop = false;
      const flood = async (app: TestApp) => {
        while (!stop) {
          const sentAt = performance.now();
          const { status } = await me(app, victim.key);
          if (sentAt > revokedAt && status === 200) late.push({ round, status });
        }
      };
      const workers = [first, second, first, second, first, second].map(flood);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const revoked = await signed('DELETE', `/v1/api-keys/${victim.id}`);
      revokedAt = performance.now();
      expect(revoked.status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 150));
      stop = true;
      await Promise.all(workers);
      expect((await me(second, victim.key)).status).toBe(401);
    }
    expect(late).toEqual([]);
  });
});
