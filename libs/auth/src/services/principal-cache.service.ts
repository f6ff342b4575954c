import { ReadCache } from '@app/cache';
import type { Principal } from '@app/access';
import { AppConfig } from '@app/config';
import { PrometheusService } from '@app/observability';
import { Injectable, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/** A resolved API key, as cached: enough to authenticate without the database. */
export interface CachedApiKey {
  principal: Principal;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** What a cache read found, and the generation to stamp a fill or a rewrite with. */
export interface CacheLookup<T> {
  /** The entry, only if it was written under the credential's current generation. */
  value: T | undefined;
  generation: string;
}

interface Stamped<T> {
  generation: string;
  value: T;
}

// Generations outlive entries by far; one that expires only costs the next read a miss.
const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;

function isStamped<T>(entry: unknown): entry is Stamped<T> {
  return typeof entry === 'object' && entry !== null && 'generation' in entry && 'value' in entry;
}

/**
 * Caches resolved principals (in Redis when configured, shared by replicas) so
 * authentication costs no database round trip.
 *
 * Revocation must hold from the moment its response is sent, even against a request that
 * read the credential from the database just before the revoke and writes it to the cache
 * just after. So each credential has a generation (a random token) in the same cache; a fill
 * reads it BEFORE reading the database and stamps its entry with it; an entry counts only
 * while its stamp is the current generation; revoking, rotating, deleting or changing a role
 * replaces the generation after the database change has committed. A fill that raced the
 * change therefore carries an old stamp, and is a miss. A generation that is missing (expired,
 * evicted, Redis restarted) is created afresh, so an entry never outlives the one it was
 * stamped with.
 */
@Injectable()
export class PrincipalCacheService {
  private readonly ttlMs: number;

  constructor(
    private readonly cache: ReadCache,
    config: AppConfig,
    @Optional() private readonly metrics?: PrometheusService,
  ) {
    this.ttlMs = config.auth.principalCacheTtlSeconds * 1000;
  }

  private static keyEntry(keyHash: string): string {
    return `principal:api-key:${keyHash}`;
  }

  private static userEntry(userId: string): string {
    return `principal:user:${userId}`;
  }

  private static generationOf(entry: string): string {
    return `principal:generation:${entry}`;
  }

  /** Read before the database on a miss; pass `generation` to {@link setApiKey}. */
  getApiKey(keyHash: string): Promise<CacheLookup<CachedApiKey>> {
    return this.lookup<CachedApiKey>(PrincipalCacheService.keyEntry(keyHash));
  }

  async setApiKey(keyHash: string, value: CachedApiKey, generation: string): Promise<void> {
    await this.write(PrincipalCacheService.keyEntry(keyHash), value, generation);
  }

  /** After a revoke or rotation has committed: no entry of this key counts from now on. */
  async evictApiKey(keyHash: string): Promise<void> {
    await this.retire(PrincipalCacheService.keyEntry(keyHash));
  }

  getUser(userId: string): Promise<CacheLookup<Principal>> {
    return this.lookup<Principal>(PrincipalCacheService.userEntry(userId));
  }

  async setUser(principal: Principal, generation: string): Promise<void> {
    await this.write(PrincipalCacheService.userEntry(principal.id), principal, generation);
  }

  /** After a role change or deletion has committed. */
  async evictUser(userId: string): Promise<void> {
    await this.retire(PrincipalCacheService.userEntry(userId));
  }

  // A cache failure is a miss: authentication falls back to the database.
  private async lookup<T>(entry: string): Promise<CacheLookup<T>> {
    const generationKey = PrincipalCacheService.generationOf(entry);
    let stamped: unknown;
    let current: unknown;
    try {
      [stamped, current] = await this.cache.mget<unknown>([entry, generationKey]);
    } catch {
      stamped = undefined;
      current = undefined;
    }
    let generation: string;
    if (typeof current === 'string') generation = current;
    else {
      generation = randomBytes(12).toString('base64url');
      await this.cache.set(generationKey, generation, GENERATION_TTL_MS).catch(() => undefined);
    }
    const value =
      isStamped<T>(stamped) && stamped.generation === generation ? stamped.value : undefined;
    this.metrics?.cacheLookups.inc({
      cache: 'principal',
      result: value === undefined ? 'miss' : 'hit',
    });
    return { value, generation };
  }

  private async write(entry: string, value: unknown, generation: string): Promise<void> {
    const stamped: Stamped<unknown> = { generation, value };
    await this.cache.set(entry, stamped, this.ttlMs).catch(() => undefined);
  }

  private async retire(entry: string): Promise<void> {
    const next = randomBytes(12).toString('base64url');
    await this.cache
      .set(PrincipalCacheService.generationOf(entry), next, GENERATION_TTL_MS)
      .catch(() => undefined);
    await this.cache.del(entry).catch(() => false);
  }
}
