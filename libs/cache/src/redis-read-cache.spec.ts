import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { type RedisCacheClient, RedisReadCache, redisCacheClient } from './redis-read-cache';

type Listener = (error: unknown) => void;

/** A client whose every command fails, as ioredis does while disconnected. */
function downClient(): RedisCacheClient & { emit: Listener; disconnect: jest.Mock } {
  const down = (): Promise<never> =>
    Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
  const listeners: Listener[] = [];
  const client = {
    status: 'reconnecting',
    get: down,
    mget: down,
    set: down,
    del: down,
    ping: down,
    multi: () => ({ set: () => undefined, exec: down }),
    on: (_event: string, listener: Listener) => {
      listeners.push(listener);
      return client;
    },
    quit: down,
    disconnect: jest.fn(),
    emit: (error: unknown) => listeners.forEach((listener) => listener(error)),
  };
  return client as unknown as RedisCacheClient & { emit: Listener; disconnect: jest.Mock };
}

describe('RedisReadCache', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads misses and reports dropped writes while Redis is down, never throwing', async () => {
    const cache = new RedisReadCache(downClient());

    await expect(cache.get('a')).resolves.toBeUndefined();
    await expect(cache.mget(['a', 'b'])).resolves.toEqual([undefined, undefined]);
    await expect(cache.set('a', 1, 1000)).resolves.toBe(false);
    await expect(cache.mset([{ key: 'a', value: 1, ttl: 1000 }])).resolves.toBe(false);
    await expect(cache.del('a')).resolves.toBe(false);
  });

  it('logs an outage once, not once per failed command', async () => {
    const client = downClient();
    const cache = new RedisReadCache(client);

    client.emit(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    await cache.get('a');
    await cache.mset([{ key: 'a', value: 1, ttl: 1000 }]);

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      'Redis cache unavailable, reading through to the database: Error: connect ECONNREFUSED 127.0.0.1:6379',
    );
  });

  it('reports a transaction with a failed SET as not stored', async () => {
    const client = {
      ...downClient(),
      status: 'ready',
      multi: () => ({
        set: () => undefined,
        exec: () =>
          Promise.resolve([
            [null, 'OK'],
            [new Error('OOM command not allowed'), null],
          ]),
      }),
    } as unknown as RedisCacheClient;

    await expect(
      new RedisReadCache(client).mset([
        { key: 'a', value: 1, ttl: 1000 },
        { key: 'b', value: 2, ttl: 1000 },
      ]),
    ).resolves.toBe(false);
  });

  it('stores JSON with a time to live in milliseconds, atomically for several entries', async () => {
    const sets: unknown[][] = [];
    const client = {
      ...downClient(),
      status: 'ready',
      mget: (...keys: string[]) =>
        Promise.resolve(keys.map((key) => (key === 'a' ? '{"n":1}' : null))),
      set: (...args: unknown[]) => {
        sets.push(['set', ...args]);
        return Promise.resolve('OK');
      },
      multi: () => ({
        set: (...args: unknown[]) => sets.push(['multi.set', ...args]),
        exec: () => Promise.resolve([[null, 'OK']]),
      }),
    } as unknown as RedisCacheClient;
    const cache = new RedisReadCache(client);

    expect(await cache.set('a', { n: 1 }, 1500)).toBe(true);
    expect(await cache.mset([{ key: 'b', value: 'v', ttl: 2000 }])).toBe(true);
    expect(await cache.mget(['a', 'b'])).toEqual([{ n: 1 }, undefined]);
    expect(sets).toEqual([
      ['set', 'a', '{"n":1}', 'PX', 1500],
      ['multi.set', 'b', '"v"', 'PX', 2000],
    ]);
  });

  it('says disconnected to readiness without sending a PING', async () => {
    await expect(new RedisReadCache(downClient()).health()).resolves.toEqual({
      store: 'redis',
      up: false,
      reason: 'disconnected',
    });
  });

  it('drops a connection that is not ready on close', async () => {
    const client = downClient();

    await new RedisReadCache(client).close();

    expect(client.disconnect).toHaveBeenCalledTimes(1);
  });
});

describe('redisCacheClient', () => {
  it('keeps every key under the namespace and fails fast while disconnected', () => {
    const client: Redis = redisCacheClient('redis://127.0.0.1:6379', 'app:cache:');
    try {
      expect(client.status).toBe('wait'); // lazy: connects when the module starts
      expect(client.options).toMatchObject({
        keyPrefix: 'app:cache:',
        enableOfflineQueue: false,
        connectTimeout: 2000,
      });
    } finally {
      client.disconnect();
    }
  });
});
