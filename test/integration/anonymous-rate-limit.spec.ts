import { type OrganizationId } from '@app/tenancy';
import { ApiKeysService, generateApiKey, OrganizationBootstrapService } from '@app/auth';
import type { ProblemDetails } from '@app/common';
import { randomBytes } from 'node:crypto';
import { ApiKeysRepository } from '../../libs/auth/src/repositories/api-keys.repository';
import { dropRedisKeys, testRedisUrl } from '../support/redis';
import { startTestApp, type TestApp } from '../support/test-app';

const REDIS_URL = testRedisUrl();
const LIMIT = 5;

function get(app: TestApp, path: string, ip: string, apiKey?: string): Promise<Response> {
  return fetch(`${app.baseUrl}${path}`, {
    headers: { 'x-forwarded-for': ip, ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }) },
  });
}

/** A well-formed key that no organization has. */
const unknownKey = () => generateApiKey().key;

async function expectAnonymousLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(response.headers.get('ratelimit-limit')).toBe(String(LIMIT));
  expect(response.headers.get('ratelimit-remaining')).toBe('0');
  expect(response.headers.get('www-authenticate')).toBeNull();
  const body = (await response.json()) as ProblemDetails;
  expect(body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
  expect(body.detail).toContain('anonymous class');
}

/** Runs the same checks against counters in process memory and in Redis (two instances). */
describe.each([
  ['in process memory', false],
  ['in Redis, shared by two instances', true],
])('Unauthenticated traffic is rate limited per IP (%s)', (_, withRedis) => {
  const keyPrefix = `sightline-test:${randomBytes(6).toString('hex')}:`;
  let first: TestApp;
  let second: TestApp;
  let goodKey: string;
  let organizationId: OrganizationId;
  // Each test plays its own client addresses.
  let ipCounter = 0;
  const nextIp = () => `198.51.100.${(withRedis ? 100 : 0) + ++ipCounter}`;

  beforeAll(async () => {
    const env = {
      TRUST_PROXY: 'true',
      RATE_LIMIT_ANONYMOUS_LIMIT: String(LIMIT),
      RATE_LIMIT_ANONYMOUS_WINDOW_SECONDS: '60',
      RATE_LIMIT_DEFAULT_LIMIT: '1000',
      RATE_LIMIT_EXEMPT_CIDRS: '10.0.0.0/8',
      ...(withRedis ? { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix } : {}),
    };
    first = await startTestApp({ env });
    second = withRedis ? await startTestApp({ env, database: first.database }) : first;
    const created = await first.app.get(OrganizationBootstrapService).createOrganization('Acme');
    ({ organizationId, apiKey: goodKey } = created);
  });
  afterAll(async () => {
    if (second !== first) await second?.close();
    await first?.close();
    if (withRedis) await dropRedisKeys(REDIS_URL, keyPrefix);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const instance = (i: number) => (i % 2 === 0 ? first : second);

  it('answers 429 after RATE_LIMIT_ANONYMOUS_LIMIT bad keys from one IP', async () => {
    const ip = nextIp();
    for (let i = 0; i < LIMIT; i++) {
      const response = await get(instance(i), '/v1/auth/me', ip, unknownKey());
      expect(response.status).toBe(401);
      expect(response.headers.get('ratelimit-remaining')).toBe(String(LIMIT - 1 - i));
      await response.body?.cancel();
    }
    await expectAnonymousLimited(await get(second, '/v1/auth/me', ip, unknownKey()));
    // No credential at all counts the same.
    await expectAnonymousLimited(await get(first, '/v1/datasets', ip));
  });

  it('answers 429 after RATE_LIMIT_ANONYMOUS_LIMIT unknown routes from one IP', async () => {
    const ip = nextIp();
    for (let i = 0; i < LIMIT; i++) {
      const response = await get(instance(i), `/v1/no-such-route-${i}`, ip);
      expect(response.status).toBe(404);
      await response.body?.cancel();
    }
    await expectAnonymousLimited(await get(second, '/wp-login.php', ip));
  });

  it('leaves a good key from the same IP, and other IPs, unaffected', async () => {
    const ip = nextIp();
    for (let i = 0; i <= LIMIT; i++)
      await (await get(first, '/v1/auth/me', ip, unknownKey())).body?.cancel();
    await expectAnonymousLimited(await get(first, '/v1/auth/me', ip, unknownKey()));

    const good = await get(second, '/v1/auth/me', ip, goodKey);
    expect(good.status).toBe(200);
    // It spends its own principal's budget, not the address's.
    expect(good.headers.get('ratelimit-limit')).toBe('1000');
    await good.body?.cancel();
    // A resource that is not there, for a principal, is not an unknown route.
    const missing = await get(
      first,
      '/v1/datasets/00000000-0000-4000-8000-000000000000',
      ip,
      goodKey,
    );
    expect(missing.status).toBe(404);
    await missing.body?.cancel();

    const neighbour = await get(first, '/v1/auth/me', nextIp(), unknownKey());
    expect(neighbour.status).toBe(401);
    expect(neighbour.headers.get('ratelimit-remaining')).toBe(String(LIMIT - 1));
    await neighbour.body?.cancel();
  });

  it('never limits RATE_LIMIT_EXEMPT_CIDRS', async () => {
    for (let i = 0; i < LIMIT * 2; i++) {
      const response = await get(instance(i), '/v1/auth/me', '10.1.2.3', unknownKey());
      expect(response.status).toBe(401);
      expect(response.headers.get('ratelimit-limit')).toBeNull();
      await response.body?.cancel();
    }
  });

  it('looks an unknown key prefix up once, and a key created with it works at once', async () => {
    const lookups = jest.spyOn(first.app.get(ApiKeysRepository), 'findByPrefixForAuthentication');
    const lookupsOnSecond =
      second === first
        ? lookups
        : jest.spyOn(second.app.get(ApiKeysRepository), 'findByPrefixForAuthentication');
    const key = unknownKey();
    // Spread over addresses, so the limit does not end the test first.
    for (let i = 0; i < 12; i++) {
      const response = await get(instance(i), '/v1/auth/me', nextIp(), key);
      expect(response.status).toBe(401);
      await response.body?.cancel();
    }
    const total = () =>
      lookups.mock.calls.length +
      (lookupsOnSecond === lookups ? 0 : lookupsOnSecond.mock.calls.length);
    // One lookup in all: the first instance remembers it, or both read it from Redis.
    expect(total()).toBe(1);

    await first.app
      .get(ApiKeysService)
      .issue(organizationId, 'late', 'viewer', null, undefined, key);
    const response = await get(second, '/v1/auth/me', nextIp(), key);
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });
});
