import { AppConfig } from '@app/config';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CacheHealth } from './cache-health';
import { MemoryReadCache } from './memory-read-cache';
import { ReadCache } from './read-cache';
import { RedisReadCache, redisCacheClient } from './redis-read-cache';

/** Entries the in-process cache keeps (no Redis): the least recently used go first. */
const MEMORY_CACHE_ENTRIES = 10_000;

/**
 * The read cache: Redis when `REDIS_URL` is set (shared by every replica, so an
 * eviction is seen everywhere at once), in-process memory otherwise. A Redis
 * outage degrades to cache misses, logged once rather than per request.
 */
@Global()
@Module({
  providers: [
    {
      provide: ReadCache,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<ReadCache> => {
        if (config.redis.url === undefined) return new MemoryReadCache(MEMORY_CACHE_ENTRIES);
        const cache = new RedisReadCache(
          redisCacheClient(config.redis.url, `${config.redis.keyPrefix}cache:`),
        );
        // The first connection is awaited (bounded by its timeout), so the first requests
        // find the cache; a Redis that is down only logs, and the client keeps retrying.
        await cache.connect();
        return cache;
      },
    },
    CacheHealth,
  ],
  exports: [ReadCache, CacheHealth],
})
export class CacheInfraModule implements OnApplicationShutdown {
  constructor(@Inject(ReadCache) private readonly cache: ReadCache) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
