import { LruMap, ReadCache } from '@app/cache';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';

/**
 * How long a prefix that matched no key is answered from memory. Short, because a key
 * with that prefix may be created meanwhile by a process that cannot evict the entry
 * (the CLI, when there is no Redis), or in a transaction that commits after a lookup
 * re-added it; such a key works at the latest this long after its creation.
 */
export const UNKNOWN_PREFIX_TTL_MS = 10_000;
/** Prefixes remembered in process memory when there is no Redis. */
const MEMORY_ENTRIES = 10_000;

/**
 * A negative cache of API key prefixes that match no key, so a client repeating a bad
 * key does not cost a database lookup per request. In Redis when configured (shared by
 * every replica, so creating a key evicts its prefix everywhere); otherwise in a bounded
 * map of its own, so a flood of random prefixes cannot push the read cache's entries out.
 * Failures read as "not known to be unknown": the lookup then goes to the database.
 */
@Injectable()
export class UnknownKeyPrefixesService {
  /** Prefix → time the entry expires (ms), when there is no Redis. */
  private readonly memory: LruMap<string, number> | undefined;

  constructor(
    private readonly cache: ReadCache,
    config: AppConfig,
  ) {
    this.memory = config.redis.url === undefined ? new LruMap(MEMORY_ENTRIES) : undefined;
  }

  private static entry(prefix: string): string {
    return `auth:unknown-key-prefix:${prefix}`;
  }

  async has(prefix: string): Promise<boolean> {
    if (this.memory !== undefined) {
      const expiresAt = this.memory.get(prefix);
      if (expiresAt === undefined) return false;
      if (expiresAt > Date.now()) return true;
      this.memory.delete(prefix);
      return false;
    }
    try {
      return (await this.cache.get<boolean>(UnknownKeyPrefixesService.entry(prefix))) === true;
    } catch {
      return false;
    }
  }

  async add(prefix: string): Promise<void> {
    if (this.memory !== undefined) {
      this.memory.set(prefix, Date.now() + UNKNOWN_PREFIX_TTL_MS);
      return;
    }
    await this.cache
      .set(UnknownKeyPrefixesService.entry(prefix), true, UNKNOWN_PREFIX_TTL_MS)
      .catch(() => undefined);
  }

  /** A key with this prefix now exists: it must authenticate at once. */
  async forget(prefix: string): Promise<void> {
    this.memory?.delete(prefix);
    if (this.memory === undefined) {
      await this.cache.del(UnknownKeyPrefixesService.entry(prefix)).catch(() => false);
    }
  }
}
