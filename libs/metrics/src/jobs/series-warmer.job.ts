import type { OrganizationId } from '@app/tenancy';
import { AppConfig } from '@app/config';
import { Injectable, Logger } from '@nestjs/common';
import type { SeriesQuery } from '../repositories/metric-queries';

/** Series queries remembered per organization; the least read is forgotten first. */
const TRACKED_PER_ORGANIZATION = 100;
/** Organizations remembered; the one read longest ago is forgotten first. */
const TRACKED_ORGANIZATIONS = 1000;

interface Tracked {
  query: SeriesQuery;
  reads: number;
}

/**
 * Cache warming for series: counts which series each organization reads (in this
 * process: every replica warms what its own readers ask for, into the shared cache),
 * and after a write recomputes the most-read ones that the write touched, in the
 * background and one at a time, so the next reader finds them cached.
 * `METRICS_CACHE_WARM_SERIES` bounds how many per write (0 turns it off).
 */
@Injectable()
export class SeriesWarmerJob {
  private readonly logger = new Logger('SeriesWarmer');
  private readonly limit: number;
  private readonly reads = new Map<string, Map<string, Tracked>>();
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(config: AppConfig) {
    this.limit = config.metrics.warmSeries;
  }

  /** Notes one read of `query` (normalised: its key is the cache's key). */
  noteRead(organizationId: OrganizationId, key: string, query: SeriesQuery): void {
    if (this.limit === 0) return;
    let queries = this.reads.get(organizationId);
    if (queries === undefined) {
      if (this.reads.size >= TRACKED_ORGANIZATIONS) {
        const oldest = this.reads.keys().next().value;
        if (oldest !== undefined) this.reads.delete(oldest);
      }
      queries = new Map();
    } else {
      this.reads.delete(organizationId); // re-inserted below: Map order is recency
    }
    this.reads.set(organizationId, queries);
    const tracked = queries.get(key);
    if (tracked !== undefined) {
      tracked.reads++;
      return;
    }
    if (queries.size >= TRACKED_PER_ORGANIZATION) {
      let least: string | undefined;
      let fewest = Infinity;
      for (const [candidate, { reads }] of queries) {
        if (reads < fewest) [least, fewest] = [candidate, reads];
      }
      if (least !== undefined) queries.delete(least);
    }
    queries.set(key, { query, reads: 1 });
  }

  /** The most-read series of the organization over these names, most read first. */
  mostRead(organizationId: OrganizationId, names: ReadonlySet<string>): SeriesQuery[] {
    const queries = this.reads.get(organizationId);
    if (queries === undefined || this.limit === 0) return [];
    return [...queries.values()]
      .filter(({ query }) => names.has(query.name))
      .sort((a, b) => b.reads - a.reads)
      .slice(0, this.limit)
      .map(({ query }) => query);
  }

  /**
   * Recomputes `queries` through `warm` after the work already queued. At most one
   * round per write waits: if warming falls behind, later writes skip theirs (the
   * next reader computes instead).
   */
  schedule(queries: SeriesQuery[], warm: (query: SeriesQuery) => Promise<unknown>): void {
    if (queries.length === 0 || this.pending > 1) return;
    this.pending++;
    this.queue = this.queue.then(async () => {
      for (const query of queries) {
        // try/await, not `warm(query).catch(…)`: a warm that throws before returning its
        // promise must not reject the queue, which would end all warming (and `pending`
        // would never come down) and surface as an unhandled rejection.
        try {
          await warm(query);
        } catch (error) {
          this.logger.warn(`Warming series ${query.name} failed: ${String(error)}`);
        }
      }
      this.pending--;
    });
  }

  /** Resolves when the warming queued so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }
}
