import { AppConfig } from '@app/config';
import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Global, Logger, Module } from '@nestjs/common';
import { Keyv } from 'keyv';
import { CacheHealth } from './cache-health';
import { LruMap } from './lru-map';

/** Entries the in-process cache keeps (no Redis): the least recently used go first. */
const MEMORY_CACHE_ENTRIES = 10_000;

/**
 * The read cache: Redis when `REDIS_URL` is set (shared by every replica, so an
 * eviction is seen everywhere at once), in-process memory otherwise. A Redis
 * outage degrades to cache misses, logged once rather than per request.
 */
@Global()
@Module({
  imports: [
    CacheModule.registerAsync({
      isGlobal: true,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (config.redis.url === undefined) {
          // Values stay objects in process memory: no JSON round trip per read (readers
          // must not mutate what they get; every cached value here is read-only data).
          const store = new LruMap<string, unknown>(MEMORY_CACHE_ENTRIES);
          return { stores: [new Keyv({ store, serialize: undefined, deserialize: undefined })] };
        }
        const logger = new Logger('Cache');
        let failing = false;
        const store = createKeyv(config.redis.url, {
          namespace: `${config.redis.keyPrefix}cache`,
          throwOnConnectError: false,
          throwOnErrors: false,
          connectionTimeout: 2000,
        });
        // Fail fast while disconnected instead of queueing commands until the reconnect
        // (seconds per request); the client still reconnects when Redis is back.
        const client = (store.store as { client?: { options?: { disableOfflineQueue?: boolean } } })
          .client;
        if (client?.options !== undefined) client.options.disableOfflineQueue = true;
        store.on('error', (error: unknown) => {
          if (failing) return;
          failing = true;
          logger.warn(`Redis cache unavailable, reading through to the database: ${String(error)}`);
        });
        return { stores: [store] };
      },
    }),
  ],
  providers: [CacheHealth],
  exports: [CacheHealth],
})
export class CacheInfraModule {}
