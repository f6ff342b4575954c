import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { type CacheBackend, type CacheEntry, ReadCache } from './read-cache';

/** How long a readiness probe waits for Redis to answer a PING. */
const PING_TIMEOUT_MS = 500;
/** How long connecting to Redis may take before the attempt counts as failed. */
const CONNECT_TIMEOUT_MS = 2000;

/** The part of an ioredis client the cache uses (a fake one in unit tests). */
export type RedisCacheClient = Pick<
  Redis,
  'status' | 'get' | 'mget' | 'set' | 'multi' | 'del' | 'ping' | 'on' | 'quit' | 'disconnect'
>;

/**
 * The client for the read cache: every key under `namespace` (ioredis' `keyPrefix`).
 * Commands fail at once while disconnected (no offline queue, and a command in flight
 * when the connection drops is failed rather than resent), instead of each request
 * waiting for the next reconnection; the client keeps reconnecting in the background.
 */
export function redisCacheClient(url: string, namespace: string): Redis {
  return new Redis(url, {
    keyPrefix: namespace,
    connectionName: 'sightline-cache',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    lazyConnect: true,
  });
}

/**
 * The read cache in Redis, shared by every replica: values as JSON, with a TTL each
 * (`SET … PX`). An outage is logged once and never reaches callers: reads are misses and
 * writes are dropped (answering false) until Redis is back.
 */
export class RedisReadCache extends ReadCache {
  private readonly logger = new Logger('Cache');
  private failing = false;

  constructor(private readonly client: RedisCacheClient) {
    super();
    client.on('error', (error: unknown) => this.failed(error));
  }

  /** Connects (when the client was made with `lazyConnect`); a failure is logged, not thrown. */
  async connect(): Promise<void> {
    if (this.client.status !== 'wait') return;
    await (this.client as Redis).connect().catch((error: unknown) => this.failed(error));
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      return parse<T>(await this.client.get(key));
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  async mget<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    if (keys.length === 0) return [];
    try {
      const values = await this.client.mget(...keys);
      return values.map((value) => parse<T>(value));
    } catch (error) {
      this.failed(error);
      return keys.map(() => undefined);
    }
  }

  async set(key: string, value: unknown, ttl: number): Promise<boolean> {
    try {
      await this.client.set(key, JSON.stringify(value), 'PX', ttl);
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  async mset(entries: readonly CacheEntry[]): Promise<boolean> {
    if (entries.length === 0) return true;
    try {
      const transaction = this.client.multi();
      for (const { key, value, ttl } of entries) {
        transaction.set(key, JSON.stringify(value), 'PX', ttl);
      }
      const results = await transaction.exec();
      // null: the transaction was discarded; an error per command: that SET failed.
      if (results === null || results.some(([error]) => error !== null)) return false;
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  async del(key: string): Promise<boolean> {
    try {
      return (await this.client.del(key)) > 0;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  async health(): Promise<CacheBackend> {
    if (this.client.status !== 'ready') {
      return { store: 'redis', up: false, reason: 'disconnected' };
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.ping(),
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

  /** Closes the connection and stops reconnecting (no handle left open). */
  async close(): Promise<void> {
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
        return;
      } catch {
        // fall through: drop the connection
      }
    }
    this.client.disconnect();
  }

  private failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(`Redis cache unavailable, reading through to the database: ${String(error)}`);
  }
}

function parse<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}
