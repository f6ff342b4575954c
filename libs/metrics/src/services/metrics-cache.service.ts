import type { OrganizationId } from '@app/tenancy';
import { ReadCache } from '@app/cache';
import { AppConfig } from '@app/config';
import { PrometheusService } from '@app/observability';
import { Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';

/** What a cached read depends on: every metric of the organization, or those of one name. */
export type CacheScope = { organizationId: OrganizationId; name?: string };

export type MetricsReadKind = 'list' | 'names' | 'series';

interface Entry<T> {
  version: string;
  data: T;
}

/**
 * Versions outlive entries by far. A version lost early (Redis evicting under memory
 * pressure) reads as `none` again, which can revive an entry stored before the scope's
 * first write, until that entry's TTL: eviction should prefer TTL'd entries (volatile-*).
 */
const VERSION_TTL_MS = 7 * 24 * 3600 * 1000;
const NO_VERSION = 'none';
const RETRY_MS = 1000;

/**
 * Read-through cache of metrics reads (in Redis when configured, so every replica
 * shares it), invalidated by versions rather than by finding keys:
 *
 * - each organization has a version for all its metrics, and one per metric name;
 * - an entry is stored with the version of its scope (the name it filters on, or the
 *   whole organization), and a hit needs that version to be current;
 * - a write sets new versions for the organization and every name it wrote, after
 *   its transaction commits and before it answers, so the writer's next read, and
 *   every replica's, misses and reads the database.
 *
 * Entry and version come back in one `mget`. A read that raced a write can only
 * store its result under the version the write replaced, which no one reads again.
 * If the cache fails, reads go to the database (the store logs the outage once), and
 * a write's new versions are retried until the cache takes them. Only if the writing
 * process stops before that can an older entry outlive the write, until its TTL
 * (`METRICS_CACHE_TTL_SECONDS`).
 */
@Injectable()
export class MetricsCacheService implements OnModuleDestroy {
  private readonly ttlMs: number;
  /** Invalidations the cache did not take yet: organization → names. */
  private readonly pending = new Map<OrganizationId, Set<string>>();
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly cache: ReadCache,
    config: AppConfig,
    @Optional() private readonly metrics?: PrometheusService,
  ) {
    this.ttlMs = config.metrics.cacheTtlSeconds * 1000;
  }

  async read<T>(
    kind: MetricsReadKind,
    scope: CacheScope,
    query: unknown,
    compute: () => Promise<T>,
  ): Promise<T> {
    const versionKey = versionKeyOf(scope);
    const entryKey = `metrics:${kind}:${scope.organizationId}:${digest(query)}`;
    let cached: [string | undefined, Entry<T> | undefined] | undefined;
    try {
      const [version, entry] = await this.cache.mget<unknown>([versionKey, entryKey]);
      cached = [version as string | undefined, entry as Entry<T> | undefined];
    } catch {
      cached = undefined;
    }
    if (cached === undefined) {
      this.count(kind, 'error');
      return compute();
    }
    const version = cached[0] ?? NO_VERSION;
    const entry = cached[1];
    if (entry !== undefined && entry.version === version) {
      this.count(kind, 'hit');
      return entry.data;
    }
    this.count(kind, 'miss');
    const data = await compute();
    await this.cache
      .set(entryKey, { version, data } satisfies Entry<T>, this.ttlMs)
      .catch(() => undefined);
    return data;
  }

  /**
   * After a committed write: every cached read of the organization or of these names is
   * stale. A new version that does not reach the cache (Redis down) is retried every
   * second until it does, so entries cached before an outage are not served after it.
   */
  async invalidate(organizationId: OrganizationId, names: readonly string[]): Promise<void> {
    if (await this.bumpVersions(organizationId, names)) return;
    const pending = this.pending.get(organizationId) ?? new Set<string>();
    for (const name of names) pending.add(name);
    this.pending.set(organizationId, pending);
    this.retry ??= setInterval(() => void this.retryPending(), RETRY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.retry);
  }

  /** Sets new versions and reads one back: true only when the cache took them. */
  private async bumpVersions(
    organizationId: OrganizationId,
    names: Iterable<string>,
  ): Promise<boolean> {
    const version = randomUUID();
    const keys = [
      versionKeyOf({ organizationId }),
      ...new Set([...names].map((name) => versionKeyOf({ organizationId, name }))),
    ];
    try {
      await this.cache.mset(keys.map((key) => ({ key, value: version, ttl: VERSION_TTL_MS })));
      return (await this.cache.get<string>(keys[0])) === version;
    } catch {
      return false;
    }
  }

  private async retryPending(): Promise<void> {
    for (const [organizationId, names] of this.pending) {
      if (!(await this.bumpVersions(organizationId, names))) return;
      this.pending.delete(organizationId);
    }
    clearInterval(this.retry);
    this.retry = undefined;
  }

  private count(kind: MetricsReadKind, result: 'hit' | 'miss' | 'error'): void {
    this.metrics?.cacheLookups.inc({ cache: `metrics.${kind}`, result });
  }
}

function versionKeyOf({ organizationId, name }: CacheScope): string {
  return name === undefined
    ? `metrics:version:${organizationId}`
    : `metrics:version:${organizationId}:name:${digest(name)}`;
}

/** A short stable key for a normalised query (its JSON, hashed: names can be long). */
function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 32);
}
