/** Which store the read cache uses, and whether it answers (for readiness). */
export type CacheBackend =
  | { store: 'memory' }
  | { store: 'redis'; up: true }
  | { store: 'redis'; up: false; reason: string };

/** One entry of {@link ReadCache.mset}: `ttl` in milliseconds. */
export interface CacheEntry {
  key: string;
  value: unknown;
  ttl: number;
}

/**
 * The read cache the services inject: Redis when `REDIS_URL` is set, process memory
 * otherwise. It never throws: a read that fails is a miss (`undefined`), a write that
 * fails is dropped and answers `false`, so callers can tell a stored write from a lost one.
 */
export abstract class ReadCache {
  abstract get<T>(key: string): Promise<T | undefined>;
  /** The values of `keys`, in their order; `undefined` for each one missing. */
  abstract mget<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
  /** Stores `value` for `ttl` milliseconds; false if the store did not take it. */
  abstract set(key: string, value: unknown, ttl: number): Promise<boolean>;
  /** Stores every entry or none (one transaction in Redis); false if none was stored. */
  abstract mset(entries: readonly CacheEntry[]): Promise<boolean>;
  abstract del(key: string): Promise<boolean>;
  abstract health(): Promise<CacheBackend>;
  abstract close(): Promise<void>;
}
