import { RedisReadCache, redisCacheClient } from '@app/cache';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { dropRedisKeys, testRedisUrl, withRedis } from '../support/redis';

const REDIS_URL = testRedisUrl();

describe('RedisReadCache against Redis', () => {
  const namespace = `test-${randomUUID()}:cache:`;
  let cache: RedisReadCache;

  beforeAll(async () => {
    cache = new RedisReadCache(redisCacheClient(REDIS_URL, namespace));
    await cache.connect();
  });
  afterAll(async () => {
    await cache.close();
    await dropRedisKeys(REDIS_URL, namespace);
  });

  it('stores JSON under its namespace with a time to live', async () => {
    expect(await cache.set('a', { n: 1 }, 60_000)).toBe(true);
    expect(
      await cache.mset([
        { key: 'b', value: 'two', ttl: 30_000 },
        { key: 'c', value: [3], ttl: 90_000 },
      ]),
    ).toBe(true);

    expect(await cache.mget(['a', 'missing', 'b', 'c'])).toEqual([{ n: 1 }, undefined, 'two', [3]]);
    await withRedis(REDIS_URL, async (redis) => {
      expect(await redis.get(`${namespace}a`)).toBe('{"n":1}');
      expect(await redis.get('a')).not.toBe('{"n":1}');
      const ttl = await redis.pttl(`${namespace}b`);
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
    });
    expect(await cache.del('a')).toBe(true);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.health()).toEqual({ store: 'redis', up: true });
  });

  it('answers misses and failed writes at once when Redis cannot be reached', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = new RedisReadCache(redisCacheClient(`redis://127.0.0.1:${port}`, namespace));
    try {
      await down.connect();
      expect(await down.get('a')).toBeUndefined();
      expect(await down.mget(['a', 'b'])).toEqual([undefined, undefined]);
      expect(await down.set('a', 1, 1000)).toBe(false);
      expect(await down.mset([{ key: 'a', value: 1, ttl: 1000 }])).toBe(false);
      expect(await down.health()).toMatchObject({ store: 'redis', up: false });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      await down.close();
      warn.mockRestore();
    }
  });
});
