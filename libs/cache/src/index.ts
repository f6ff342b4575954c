export { CacheInfraModule } from './cache-infra.module';
export { CacheHealth } from './cache-health';
export { LruMap } from './lru-map';
export { MemoryReadCache } from './memory-read-cache';
export { type CacheBackend, type CacheEntry, ReadCache } from './read-cache';
export { type RedisCacheClient, RedisReadCache, redisCacheClient } from './redis-read-cache';
