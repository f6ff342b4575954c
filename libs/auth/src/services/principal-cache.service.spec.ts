import type { Principal } from '@app/access';
import { MemoryReadCache, type ReadCache } from '@app/cache';
import { PrometheusService } from '@app/observability';
import { adminOf, authConfig, ORG_A } from '../testing/fake-auth';
import { type CachedApiKey, PrincipalCacheService } from './principal-cache.service';

const cachedKey = (id: string): CachedApiKey => ({
  principal: { kind: 'apiKey', id, organizationId: ORG_A, role: 'analyst' },
  expiresAt: null,
  lastUsedAt: null,
});

const user: Principal = adminOf(ORG_A);

/** The cache look-up counter as `{ "<cache> <result>": count }`. */
async function lookups(metrics: PrometheusService): Promise<Record<string, number>> {
  const { values } = await metrics.cacheLookups.get();
  return Object.fromEntries(
    values.map(({ labels, value }) => [`${labels.cache} ${labels.result}`, value]),
  );
}

describe('PrincipalCacheService', () => {
  let store: MemoryReadCache;
  let metrics: PrometheusService;
  let cache: PrincipalCacheService;
  let reads: jest.SpiedFunction<ReadCache['mget']>;

  /** The store's keys for `id` the service has read: its entry's and its generation's. */
  const keysOf = (id: string) => {
    const keys = reads.mock.calls.flatMap(([asked]) => asked).filter((key) => key.includes(id));
    return {
      entry: keys.find((key) => !key.includes('generation')) ?? 'no entry',
      generation: keys.find((key) => key.includes('generation')) ?? 'no generation',
    };
  };

  beforeEach(() => {
    store = new MemoryReadCache(1000);
    reads = jest.spyOn(store, 'mget');
    metrics = new PrometheusService();
    cache = new PrincipalCacheService(
      store,
      authConfig({ PRINCIPAL_CACHE_TTL_SECONDS: '30' }),
      metrics,
    );
  });

  afterEach(() => jest.restoreAllMocks());

  it('answers a key filled under the generation read before the database', async () => {
    const miss = await cache.getApiKey('hash-a');
    expect(miss.value).toBeUndefined();
    await cache.setApiKey('hash-a', cachedKey('key-a'), miss.generation);

    const hit = await cache.getApiKey('hash-a');
    expect(hit).toEqual({ value: cachedKey('key-a'), generation: miss.generation });
    expect((await cache.getApiKey('hash-b')).value).toBeUndefined();
    expect(await lookups(metrics)).toEqual({ 'principal miss': 2, 'principal hit': 1 });
  });

  it('keeps each entry for PRINCIPAL_CACHE_TTL_SECONDS', async () => {
    const set = jest.spyOn(store, 'set');
    const { generation } = await cache.getUser(user.id);
    await cache.setUser(user, generation);
    expect(set).toHaveBeenLastCalledWith(
      expect.stringContaining(user.id),
      { generation, value: user },
      30_000,
    );
  });

  it('ignores a fill that read the database before a revoke and wrote after it', async () => {
    // The request reads the generation, then the key from the database...
    const before = await cache.getApiKey('hash-a');
    // ...the key is revoked and its cache entry retired...
    await cache.evictApiKey('hash-a');
    // ...and the request writes what it read, stamped with the old generation.
    await cache.setApiKey('hash-a', cachedKey('key-a'), before.generation);

    const after = await cache.getApiKey('hash-a');
    expect(after.value).toBeUndefined();
    expect(after.generation).not.toBe(before.generation);
  });

  it('retires the generation anew on every eviction, so no later fill outlives one', async () => {
    const generations = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const { generation } = await cache.getUser(user.id);
      generations.add(generation);
      await cache.setUser(user, generation);
      await cache.evictUser(user.id);
      expect((await cache.getUser(user.id)).value).toBeUndefined();
    }
    expect(generations.size).toBe(3);
  });

  it('forgets a cached key or user once evicted, and only that one', async () => {
    for (const hash of ['hash-a', 'hash-b']) {
      const { generation } = await cache.getApiKey(hash);
      await cache.setApiKey(hash, cachedKey(hash), generation);
    }
    const { generation } = await cache.getUser(user.id);
    await cache.setUser(user, generation);

    await cache.evictApiKey('hash-a');
    await cache.evictUser(user.id);

    expect((await cache.getApiKey('hash-a')).value).toBeUndefined();
    expect((await cache.getApiKey('hash-b')).value).toEqual(cachedKey('hash-b'));
    expect((await cache.getUser(user.id)).value).toBeUndefined();
  });

  it('keeps keys and users apart, though an id and a hash were alike', async () => {
    const { generation } = await cache.getUser('same');
    await cache.setUser({ ...user, id: 'same' }, generation);
    expect((await cache.getApiKey('same')).value).toBeUndefined();
  });

  it('misses an entry whose generation was lost, and never revives it', async () => {
    const first = await cache.getApiKey('hash-a');
    await cache.setApiKey('hash-a', cachedKey('key-a'), first.generation);
    // Redis restarted, or evicted the generation: only the entry is left.
    expect(await store.del(keysOf('hash-a').generation)).toBe(true);

    const again = await cache.getApiKey('hash-a');
    expect(again.value).toBeUndefined();
    expect(again.generation).not.toBe(first.generation);
    // The fresh generation is kept: the next fill under it counts.
    await cache.setApiKey('hash-a', cachedKey('key-a'), again.generation);
    expect((await cache.getApiKey('hash-a')).value).toEqual(cachedKey('key-a'));
  });

  it('misses an entry that is not stamped with a generation', async () => {
    const { generation } = await cache.getUser(user.id);
    await store.set(keysOf(user.id).entry, user, 30_000);
    expect(await cache.getUser(user.id)).toEqual({ value: undefined, generation });
  });

  describe('when the cache fails', () => {
    it('answers a miss with a generation, so authentication reads the database', async () => {
      jest.spyOn(store, 'mget').mockRejectedValue(new Error('connection refused'));
      jest.spyOn(store, 'set').mockRejectedValue(new Error('connection refused'));

      const lookup = await cache.getApiKey('hash-a');
      expect(lookup).toEqual({ value: undefined, generation: expect.any(String) });
      await expect(
        cache.setApiKey('hash-a', cachedKey('key-a'), lookup.generation),
      ).resolves.toBeUndefined();
      expect(await lookups(metrics)).toEqual({ 'principal miss': 1 });
    });

    it('still evicts without throwing', async () => {
      jest.spyOn(store, 'set').mockRejectedValue(new Error('connection refused'));
      jest.spyOn(store, 'del').mockRejectedValue(new Error('connection refused'));
      await expect(cache.evictApiKey('hash-a')).resolves.toBeUndefined();
      await expect(cache.evictUser(user.id)).resolves.toBeUndefined();
    });
  });

  it('works without a metrics service', async () => {
    const quiet = new PrincipalCacheService(store, authConfig());
    const { generation } = await quiet.getUser(user.id);
    await quiet.setUser(user, generation);
    expect((await quiet.getUser(user.id)).value).toEqual(user);
  });
});
