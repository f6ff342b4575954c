import type { Principal } from '@app/access';
import { AppConfig } from '@app/config';
import { MetricsService } from '@app/observability';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Cache } from 'cache-manager';

/** A resolved API key, as cached: enough to authenticate without the database. */
export interface CachedApiKey {
  principal: Principal;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/**
 * Caches resolved principals (in Redis when configured, shared by replicas)
 * so authentication costs no database round trip. Entries live a short TTL;
 * revoking, rotating, deleting or changing a role evicts them at once, which
 * every replica sees because they read the same Redis.
 */
@Injectable()
export class PrincipalCache {
  private readonly ttlMs: number;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    config: AppConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.ttlMs = config.auth.principalCacheTtlSeconds * 1000;
  }

  private static keyEntry(keyHash: string): string {
    return `principal:api-key:${keyHash}`;
  }

  private static userEntry(userId: string): string {
    return `principal:user:${userId}`;
  }

  async getApiKey(keyHash: string): Promise<CachedApiKey | undefined> {
    return this.read<CachedApiKey>(PrincipalCache.keyEntry(keyHash));
  }

  async setApiKey(keyHash: string, value: CachedApiKey): Promise<void> {
    await this.write(PrincipalCache.keyEntry(keyHash), value);
  }

  async evictApiKey(keyHash: string): Promise<void> {
    await this.cache.del(PrincipalCache.keyEntry(keyHash)).catch(() => false);
  }

  async getUser(userId: string): Promise<Principal | undefined> {
    return this.read<Principal>(PrincipalCache.userEntry(userId));
  }

  async setUser(principal: Principal): Promise<void> {
    await this.write(PrincipalCache.userEntry(principal.id), principal);
  }

  async evictUser(userId: string): Promise<void> {
    await this.cache.del(PrincipalCache.userEntry(userId)).catch(() => false);
  }

  // A cache failure is a miss: authentication falls back to the database.
  private async read<T>(key: string): Promise<T | undefined> {
    let value: T | undefined;
    try {
      value = (await this.cache.get<T>(key)) ?? undefined;
    } catch {
      value = undefined;
    }
    this.metrics?.cacheLookups.inc({
      cache: 'principal',
      result: value === undefined ? 'miss' : 'hit',
    });
    return value;
  }

  private async write(key: string, value: unknown): Promise<void> {
    await this.cache.set(key, value, this.ttlMs).catch(() => undefined);
  }
}
