import { Injectable } from '@nestjs/common';
import { type CacheBackend, ReadCache } from './read-cache';

export type { CacheBackend } from './read-cache';

/**
 * Whether the shared cache (Redis) answers, for readiness. Redis is not required:
 * without it reads go to the database and rate limits to process memory, so an
 * outage makes the service degraded, not unready.
 */
@Injectable()
export class CacheHealth {
  constructor(private readonly cache: ReadCache) {}

  check(): Promise<CacheBackend> {
    return this.cache.health();
  }
}
