export { CacheInfraModule } from './cache-infra.module';
export { type CacheBackend, CacheHealth } from './cache-health';
export { LruMap } from './lru-map';
