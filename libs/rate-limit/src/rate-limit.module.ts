import { AppConfig } from '@app/config';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, Module } from '@nestjs/common';
import { seconds, ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { AnonymousRateLimit } from './anonymous-rate-limit';
import { RATE_LIMIT_CLASSES } from './rate-limit-class';

/** ioredis states in which a command would wait for the next reconnection attempt. */
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

/**
 * During a Redis outage ioredis sits in `reconnecting` and would queue each
 * command behind the next attempt (up to `commandTimeout`); answer at once
 * instead, so the guard lets the request through without the wait. Commands
 * sent while the first connection is still being made do wait for it.
 */
class RedisCounterStorage extends ThrottlerStorageRedisService {
  override increment(
    ...args: Parameters<ThrottlerStorageRedisService['increment']>
  ): ReturnType<ThrottlerStorageRedisService['increment']> {
    if (DISCONNECTED.has(this.redis.status)) {
      return Promise.reject(new Error(`Redis connection is ${this.redis.status}`));
    }
    return super.increment(...args);
  }
}

/**
 * Counters in Redis, shared by every replica, under `REDIS_KEY_PREFIX` (so
 * parallel test runs and co-tenants of one Redis stay apart). Given a URL
 * rather than a client, the storage owns its connection and closes it when
 * the app closes; a client passed in would stay open and keep the process
 * alive. A failing Redis is logged once per outage; requests are bounded by
 * `commandTimeout` and then let through by the guard.
 */
function redisStorage(url: string, keyPrefix: string): ThrottlerStorageRedisService {
  const storage = new RedisCounterStorage(url, {
    keyPrefix,
    connectionName: 'sightline-rate-limit',
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
  });
  const logger = new Logger('RateLimit');
  let failing = false;
  storage.redis.on('error', (error: unknown) => {
    if (failing) return;
    failing = true;
    logger.warn(`Redis for rate-limit counters unavailable: ${String(error)}`);
  });
  storage.redis.on('ready', () => {
    failing = false;
  });
  return storage;
}

export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: RATE_LIMIT_CLASSES.map((name) => ({
      name,
      limit: config.rateLimits[name].limit,
      ttl: seconds(config.rateLimits[name].windowSeconds),
    })),
    // RateLimitGuard writes the API's `RateLimit-*` headers; never throttler's `X-RateLimit-*`.
    setHeaders: false,
    // Without Redis: throttler's in-process memory (one replica's own counters).
    ...(config.redis.url === undefined
      ? {}
      : { storage: redisStorage(config.redis.url, config.redis.keyPrefix) }),
  };
}

/**
 * The rate-limit classes (`default`, `expensive`, `login`) from the
 * configuration, and their counter store. The guard itself is registered by
 * `AuthModule` between authentication and the permission check,
 * where the order of global guards is fixed.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: rateLimitOptions,
    }),
  ],
  providers: [AnonymousRateLimit],
  exports: [ThrottlerModule, AnonymousRateLimit],
})
export class RateLimitModule {}
