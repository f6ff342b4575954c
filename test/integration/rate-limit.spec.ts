import { RequirePermission } from '@app/access';
import { ApiKeysService, OrganizationBootstrapService } from '@app/auth';
import type { ProblemDetails } from '@app/common';
import { Controller, Get, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';
import { testRedisUrl } from '../support/redis';

const REDIS_URL = testRedisUrl();
const PROBLEM = 'application/problem+json';
const WINDOW_SECONDS = 60;

/** A route that fails after the guards have passed, to see the headers survive a 5xx. */
@Controller('rate-limit-probe')
class FailingController {
  @Get('boom')
  @RequirePermission('auth:me')
  boom(): never {
    throw new Error('boom after the guards');
  }
}
@Module({ controllers: [FailingController] })
class FailingModule {}

interface Keys {
  admin: string;
  viewer: string;
  otherViewer: string;
  service: string;
}

async function issueKeys(app: TestApp): Promise<Keys> {
  const { organizationId, apiKey } = await app.app
    .get(OrganizationBootstrapService)
    .createOrganization('Acme');
  const keys = app.app.get(ApiKeysService);
  const issue = async (name: string, role: 'viewer' | 'service') =>
    (await keys.issue(organizationId, name, role, null)).key;
  return {
    admin: apiKey,
    viewer: await issue('viewer', 'viewer'),
    otherViewer: await issue('other viewer', 'viewer'),
    service: await issue('ingest', 'service'),
  };
}

function get(app: TestApp, path: string, headers: Record<string, string> = {}) {
  return fetch(`${app.baseUrl}${path}`, { headers });
}

function me(app: TestApp, apiKey: string, headers: Record<string, string> = {}) {
  return get(app, '/v1/auth/me', { 'x-api-key': apiKey, ...headers });
}

function failedLogin(app: TestApp, headers: Record<string, string> = {}) {
  return fetch(`${app.baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' }),
  });
}

function limitHeaders(response: Response) {
  return {
    limit: response.headers.get('ratelimit-limit'),
    remaining: response.headers.get('ratelimit-remaining'),
    reset: response.headers.get('ratelimit-reset'),
    retryAfter: response.headers.get('retry-after'),
  };
}

function expectWholeSecondsWithinWindow(value: string | null, window = WINDOW_SECONDS): void {
  expect(value).toMatch(/^\d+$/);
  expect(Number(value)).toBeGreaterThanOrEqual(1);
  expect(Number(value)).toBeLessThanOrEqual(window);
}

async function expectRateLimited(response: Response, rateClass: string): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toContain(PROBLEM);
  expectWholeSecondsWithinWindow(response.headers.get('retry-after'), 900);
  expect(response.headers.get('ratelimit-remaining')).toBe('0');
  const body = (await response.json()) as ProblemDetails;
  expect(body).toMatchObject({ type: '/problems/rate-limited', title: 'Too Many Requests' });
  expect(body.status).toBe(429);
  expect(body.detail).toContain(`${rateClass} class`);
  expect(body.detail).toMatch(/retry in \d+ s/);
}

async function expectNeverLimited(responses: Response[]): Promise<void> {
  for (const response of responses) {
    expect(response.status).toBe(200);
    expect(limitHeaders(response)).toEqual({
      limit: null,
      remaining: null,
      reset: null,
      retryAfter: null,
    });
    await response.body?.cancel();
  }
}

describe('Rate limits shared by two instances through Redis', () => {
  // Unique per run, so parallel runs against one Redis never share counters.
  const keyPrefix = `sightline-test:${randomBytes(6).toString('hex')}:`;
  const env = {
    REDIS_URL,
    REDIS_KEY_PREFIX: keyPrefix,
    RATE_LIMIT_DEFAULT_LIMIT: '5',
    RATE_LIMIT_DEFAULT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    RATE_LIMIT_LOGIN_LIMIT: '3',
  };
  let first: TestApp;
  let second: TestApp;
  let keys: Keys;

  beforeAll(async () => {
    first = await startTestApp({ env });
    second = await startTestApp({ env, database: first.database });
    keys = await issueKeys(first);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    const redis = new Redis(REDIS_URL);
    try {
      const stale = await redis.keys(`${keyPrefix}*`);
      if (stale.length > 0) await redis.del(...stale);
    } finally {
      await redis.quit();
    }
  });

  it('spends one budget across both instances, then answers 429 problem+json', async () => {
    const instances = [first, second];
    for (let i = 0; i < 5; i++) {
      const response = await me(instances[i % 2], keys.viewer);
      expect(response.status).toBe(200);
      const headers = limitHeaders(response);
      expect(headers.limit).toBe('5');
      expect(headers.remaining).toBe(String(4 - i));
      expectWholeSecondsWithinWindow(headers.reset);
      expect(headers.retryAfter).toBeNull();
      expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    }
    const refused = await me(second, keys.viewer);
    await expectRateLimited(refused, 'default');
    // Refused everywhere, not only on the instance that counted the 5th.
    await expectRateLimited(await me(first, keys.viewer), 'default');
  });

  it('keeps the counters in Redis under REDIS_KEY_PREFIX', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const stored = await redis.keys(`${keyPrefix}*rate-limit:default:apiKey:*`);
      expect(stored.length).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });

  it('gives another principal a budget of its own', async () => {
    const response = await me(first, keys.otherViewer);
    expect(response.status).toBe(200);
    expect(limitHeaders(response)).toMatchObject({ limit: '5', remaining: '4' });
  });

  it('sends the headers with a 403 raised after the guard', async () => {
    const forbidden = await get(second, '/v1/api-keys', { 'x-api-key': keys.otherViewer });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain(PROBLEM);
    expect(limitHeaders(forbidden)).toMatchObject({ limit: '5', remaining: '3' });
    await forbidden.body?.cancel();
  });

  it('never limits a service key and sends it no RateLimit headers', async () => {
    const responses: Response[] = [];
    for (let i = 0; i < 20; i++)
      responses.push(await me(i % 2 === 0 ? first : second, keys.service));
    await expectNeverLimited(responses);
  });

  it('never limits the health probes', async () => {
    const responses: Response[] = [];
    for (let i = 0; i < 20; i++)
      responses.push(await get(i % 2 === 0 ? first : second, '/health/live'));
    await expectNeverLimited(responses);
  });

  it('stops password guessing from one IP after RATE_LIMIT_LOGIN_LIMIT failures', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await failedLogin(i % 2 === 0 ? first : second);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain(PROBLEM);
      expect(limitHeaders(response)).toMatchObject({ limit: '3', remaining: String(2 - i) });
      expect(((await response.json()) as ProblemDetails).status).toBe(401);
    }
    const refused = await failedLogin(second);
    await expectRateLimited(refused, 'login');
  });
});

describe('Rate limits in process memory (no REDIS_URL)', () => {
  let app: TestApp;
  let keys: Keys;

  beforeAll(async () => {
    app = await startTestApp({
      imports: [FailingModule],
      env: {
        RATE_LIMIT_DEFAULT_LIMIT: '5',
        RATE_LIMIT_LOGIN_LIMIT: '3',
        // X-Forwarded-For decides request.ip, so the test can play several clients.
        TRUST_PROXY: 'true',
        RATE_LIMIT_EXEMPT_CIDRS: '10.0.0.0/8,fd00::/8',
      },
    });
    expect(app.config.redis.url).toBeUndefined();
    keys = await issueKeys(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('counts a principal down and refuses the 6th request', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await me(app, keys.viewer);
      expect(response.status).toBe(200);
      expect(limitHeaders(response)).toMatchObject({ limit: '5', remaining: String(4 - i) });
      expectWholeSecondsWithinWindow(response.headers.get('ratelimit-reset'));
      await response.body?.cancel();
    }
    await expectRateLimited(await me(app, keys.viewer), 'default');
    const other = await me(app, keys.otherViewer);
    expect(other.status).toBe(200);
    expect(limitHeaders(other)).toMatchObject({ remaining: '4' });
  });

  it('sends the headers with a 500 raised by the route', async () => {
    const response = await get(app, '/v1/rate-limit-probe/boom', { 'x-api-key': keys.admin });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    expect(limitHeaders(response)).toMatchObject({ limit: '5', remaining: '4' });
    await response.body?.cancel();
  });

  it('exempts clients from RATE_LIMIT_EXEMPT_CIDRS, but not their neighbours', async () => {
    const internal: Response[] = [];
    for (let i = 0; i < 8; i++) {
      const forwardedFor = i % 2 === 0 ? '10.20.30.40' : 'fd00::1234';
      internal.push(await me(app, keys.otherViewer, { 'x-forwarded-for': forwardedFor }));
    }
    await expectNeverLimited(internal);
    const outside = await me(app, keys.otherViewer, { 'x-forwarded-for': '11.0.0.1' });
    expect(limitHeaders(outside)).toMatchObject({ remaining: '3' });
    await outside.body?.cancel();
  });

  it('never limits a service key', async () => {
    const responses: Response[] = [];
    for (let i = 0; i < 20; i++) responses.push(await me(app, keys.service));
    await expectNeverLimited(responses);
  });

  it('limits login attempts per client IP', async () => {
    const attacker = { 'x-forwarded-for': '198.51.100.66' };
    for (let i = 0; i < 3; i++) {
      const response = await failedLogin(app, attacker);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain(PROBLEM);
      await response.body?.cancel();
    }
    await expectRateLimited(await failedLogin(app, attacker), 'login');
    const bystander = await failedLogin(app, { 'x-forwarded-for': '198.51.100.67' });
    expect(bystander.status).toBe(401);
    expect(limitHeaders(bystander)).toMatchObject({ limit: '3', remaining: '2' });
    await bystander.body?.cancel();
  });
});
