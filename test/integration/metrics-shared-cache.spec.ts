import { PrometheusService } from '@app/observability';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { call, Factory } from '../support/factory';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';
import { testRedisUrl } from '../support/redis';

const REDIS_URL = testRedisUrl();

interface Point {
  t: string;
  value: number | null;
}

/**
 * The metrics read cache as replicas share it: two API instances on one database and
 * one Redis (through a TCP proxy, so Redis can be cut and restored mid-test).
 */
describe('metrics cache shared by two instances through Redis', () => {
  const keyPrefix = `sightline-test:${randomBytes(6).toString('hex')}:`;
  const redisTarget = new URL(REDIS_URL);
  const proxy = new TcpProxy(redisTarget.hostname, Number(redisTarget.port || 6379));
  let first: TestApp;
  let second: TestApp;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    await proxy.start();
    const env = {
      REDIS_URL: proxy.rewrite(REDIS_URL),
      REDIS_KEY_PREFIX: keyPrefix,
      RATE_LIMIT_DEFAULT_LIMIT: '100000',
      LOG_LEVEL: 'warn',
    };
    first = await startTestApp({ env });
    second = await startTestApp({ env, database: first.database });
    const factory = new Factory(first.app);
    const org = await factory.newOrganization();
    writer = (await factory.newApiKey(org.organizationId, 'service')).key;
    reader = (await factory.newApiKey(org.organizationId, 'viewer')).key;
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await proxy.stop();
    const redis = new Redis(REDIS_URL);
    try {
      const stale = await redis.keys(`${keyPrefix}*`);
      if (stale.length > 0) await redis.del(...stale);
    } finally {
      await redis.quit();
    }
  });

  function write(app: TestApp, metrics: unknown[]) {
    return call(app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': writer },
      body: { metrics },
    });
  }

  function get(app: TestApp, path: string) {
    return call(app.baseUrl, 'GET', path, { headers: { 'x-api-key': reader } });
  }

  async function hits(app: TestApp, cache: string): Promise<number> {
    const metric = await app.app.get(PrometheusService).cacheLookups.get();
    return (
      metric.values.find((v) => v.labels.cache === cache && v.labels.result === 'hit')?.value ?? 0
    );
  }

  const LIST = '/v1/metrics?name=shared.value';
  const SERIES =
    '/v1/metrics/series?name=shared.value&agg=sum&from=2025-01-01T00:00:00Z&to=2025-01-03T00:00:00Z';

  async function values(app: TestApp): Promise<number[]> {
    const response = await get(app, LIST);
    expect(response.status).toBe(200);
    return (response.body.data as Array<{ value: number }>).map((m) => m.value);
  }

  async function sums(app: TestApp): Promise<Array<number | null>> {
    const response = await get(app, SERIES);
    expect(response.status).toBe(200);
    return (response.body.points as Point[]).map((p) => p.value);
  }

  it('shows a write on one instance to the next read on the other', async () => {
    expect(
      (await write(first, [{ name: 'shared.value', value: 1, observedAt: '2025-01-01T06:00:00Z' }]))
        .status,
    ).toBe(201);
    // The second instance reads twice: the second answer comes from the shared cache.
    expect(await values(second)).toEqual([1]);
    expect(await sums(second)).toEqual([1, null]);
    const before = await hits(second, 'metrics.list');
    expect(await values(second)).toEqual([1]);
    expect(await hits(second, 'metrics.list')).toBe(before + 1);
    // And so does the first, which never read it itself.
    const firstBefore = await hits(first, 'metrics.series');
    expect(await sums(first)).toEqual([1, null]);
    expect(await hits(first, 'metrics.series')).toBe(firstBefore + 1);

    expect(
      (await write(first, [{ name: 'shared.value', value: 2, observedAt: '2025-01-02T06:00:00Z' }]))
        .status,
    ).toBe(201);
    expect(await values(second)).toEqual([2, 1]);
    expect(await sums(second)).toEqual([1, 2]);
    const names = await get(second, '/v1/metrics/names');
    expect(names.body.data).toEqual([
      { name: 'shared.value', count: 2, lastObservedAt: '2025-01-02T06:00:00.000Z' },
    ]);
  });

  it('keeps reading and writing with Redis cut, says so in readiness, and is fresh when it returns', async () => {
    expect(await values(second)).toEqual([2, 1]); // cached before the outage
    await proxy.pause();

    const written = await write(first, [
      { name: 'shared.value', value: 3, observedAt: '2025-01-02T07:00:00Z' },
    ]);
    expect(written.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      expect(await values(second)).toEqual([3, 2, 1]);
      expect(await sums(first)).toEqual([1, 5]);
    }
    const ready = await fetch(`${first.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const health = (await ready.json()) as {
      status: string;
      details: Record<string, { status: string; store?: string }>;
    };
    expect(health.status).toBe('degraded');
    expect(health.details.cache).toMatchObject({ status: 'down', store: 'redis' });
    expect(health.details.database?.status).toBe('up');
    // The outage is logged once per instance, not once per request. (Two Nest apps in
    // one process share Nest's static logger, so count the lines of both together.)
    const outageLogs = () =>
      [...first.logs, ...second.logs].filter((line) =>
        String(line.msg).startsWith('Redis cache unavailable'),
      ).length;
    expect(outageLogs()).toBe(2);
    for (let i = 0; i < 5; i++) await values(second);
    expect(outageLogs()).toBe(2);

    await proxy.resume();
    await waitFor(async () => {
      const response = await fetch(`${first.baseUrl}/health/ready`);
      const body = (await response.json()) as { status: string };
      return body.status === 'ok';
    });
    // The write made during the outage invalidates the entries cached before it once its
    // retried invalidation lands (every second): both reads turn fresh, and stay so.
    await waitFor(async () => (await values(second)).length === 3 && (await sums(second))[1] === 5);
    expect(await values(second)).toEqual([3, 2, 1]);
    expect(await sums(second)).toEqual([1, 5]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
