import { AppConfig } from '@app/config';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';

/** How long a readiness probe waits for Redis to answer a PING. */
const PING_TIMEOUT_MS = 500;

export type CacheBackend =
  | { store: 'memory' }
  | { store: 'redis'; up: true }
  | { store: 'redis'; up: false; reason: string };

interface RedisLikeClient {
  isReady?: boolean;
  ping(): Promise<unknown>;
}

/**
 * Whether the shared cache (Redis) answers, for readiness. Redis is not required:
 * without it reads go to the database and rate limits to process memory, so an
 * outage makes the service degraded, not unready.
 */
@Injectable()
export class CacheHealth {
  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly config: AppConfig,
  ) {}

  async check(): Promise<CacheBackend> {
    if (this.config.redis.url === undefined) return { store: 'memory' };
    const store = this.cache.stores[0] as { store?: { client?: RedisLikeClient } } | undefined;
    const client = store?.store?.client;
    if (client === undefined) return { store: 'redis', up: false, reason: 'no client' };
    if (client.isReady === false) return { store: 'redis', up: false, reason: 'disconnected' };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('PING timed out')), PING_TIMEOUT_MS);
        }),
      ]);
      return { store: 'redis', up: true };
    } catch (error) {
      return {
        store: 'redis',
        up: false,
        reason: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
