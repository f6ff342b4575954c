import { LruMap } from './lru-map';
import { type CacheBackend, type CacheEntry, ReadCache } from './read-cache';

interface Slot {
  value: unknown;
  /** Epoch ms after which the entry is gone. */
  expiresAt: number;
}

/**
 * The read cache in process memory (no Redis): the `capacity` most recently used entries.
 * Values stay objects, with no JSON round trip per read: readers must not mutate what
 * they get (every cached value here is read-only data).
 */
export class MemoryReadCache extends ReadCache {
  private readonly entries: LruMap<string, Slot>;

  constructor(capacity: number) {
    super();
    this.entries = new LruMap(capacity);
  }

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.read(key) as T | undefined);
  }

  mget<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    return Promise.resolve(keys.map((key) => this.read(key) as T | undefined));
  }

  set(key: string, value: unknown, ttl: number): Promise<boolean> {
    this.write(key, value, ttl);
    return Promise.resolve(true);
  }

  mset(entries: readonly CacheEntry[]): Promise<boolean> {
    for (const { key, value, ttl } of entries) this.write(key, value, ttl);
    return Promise.resolve(true);
  }

  del(key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(key));
  }

  health(): Promise<CacheBackend> {
    return Promise.resolve({ store: 'memory' });
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  private read(key: string): unknown {
    const slot = this.entries.get(key);
    if (slot === undefined) return undefined;
    if (Date.now() > slot.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return slot.value;
  }

  private write(key: string, value: unknown, ttl: number): void {
    this.entries.set(key, { value, expiresAt: Date.now() + ttl });
  }
}
