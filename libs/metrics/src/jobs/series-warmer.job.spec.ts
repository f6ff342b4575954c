import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { AppConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import type { SeriesQuery } from '../repositories/metric-queries';
import { SeriesWarmerJob } from './series-warmer.job';

const acme = organizationIdOf('6a0c3b9e-1f2d-4c5b-8a7e-9d0f1e2a3b4c');
const globex = organizationIdOf('c4b3a2e1-0f9d-4e7a-b5c8-1d2f3e4a5b6c');

function warmerWith(warmSeries: number): SeriesWarmerJob {
  return new SeriesWarmerJob({
    metrics: { cacheTtlSeconds: 60, warmSeries, seriesMaxPoints: 10_000 },
  } as AppConfig);
}

/** A daily average series of `name` (its key, as the service's, is its normalised JSON). */
function series(name: string, agg: SeriesQuery['agg'] = 'avg'): SeriesQuery {
  return {
    name,
    from: new Date('2026-01-01T00:00:00Z'),
    to: new Date('2026-02-01T00:00:00Z'),
    interval: 'day',
    agg,
    groups: 10,
  };
}

const keyOf = (query: SeriesQuery) => `${query.name}/${query.agg}`;

/** Notes `times` reads of `query` by `organizationId`. */
function read(
  warmer: SeriesWarmerJob,
  organizationId: OrganizationId,
  query: SeriesQuery,
  times = 1,
): void {
  for (let i = 0; i < times; i++) warmer.noteRead(organizationId, keyOf(query), query);
}

/** Names of the most-read series of `organizationId` over `names`. */
function mostRead(
  warmer: SeriesWarmerJob,
  organizationId: OrganizationId,
  names: string[],
): string[] {
  return warmer.mostRead(organizationId, new Set(names)).map(keyOf);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SeriesWarmerJob', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('mostRead', () => {
    it('ranks an organization’s series by reads, most read first', () => {
      const warmer = warmerWith(5);
      read(warmer, acme, series('revenue'), 3);
      read(warmer, acme, series('signups'), 1);
      read(warmer, acme, series('churn'), 2);

      expect(mostRead(warmer, acme, ['revenue', 'signups', 'churn'])).toEqual([
        'revenue/avg',
        'churn/avg',
        'signups/avg',
      ]);
    });

    it('returns the queries that were read', () => {
      const warmer = warmerWith(5);
      const query = series('revenue');
      read(warmer, acme, query);

      expect(warmer.mostRead(acme, new Set(['revenue']))).toEqual([query]);
    });

    it('keeps only series of the names asked for', () => {
      const warmer = warmerWith(5);
      read(warmer, acme, series('revenue'), 3);
      read(warmer, acme, series('signups'), 1);
      read(warmer, acme, series('signups', 'sum'), 2);

      expect(mostRead(warmer, acme, ['signups'])).toEqual(['signups/sum', 'signups/avg']);
      expect(mostRead(warmer, acme, ['refunds'])).toEqual([]);
    });

    it('returns at most the configured number of series', () => {
      const warmer = warmerWith(2);
      read(warmer, acme, series('a'), 1);
      read(warmer, acme, series('b'), 4);
      read(warmer, acme, series('c'), 3);
      read(warmer, acme, series('d'), 2);

      expect(mostRead(warmer, acme, ['a', 'b', 'c', 'd'])).toEqual(['b/avg', 'c/avg']);
    });

    it('ranks series read equally often in the order they were first read', () => {
      const warmer = warmerWith(5);
      read(warmer, acme, series('b'), 2);
      read(warmer, acme, series('a'), 2);
      read(warmer, acme, series('c'), 2);

      expect(mostRead(warmer, acme, ['a', 'b', 'c'])).toEqual(['b/avg', 'a/avg', 'c/avg']);
    });

    it('counts reads by key, keeping the first query read under it', () => {
      const warmer = warmerWith(5);
      const first = series('revenue');
      warmer.noteRead(acme, 'revenue-key', first);
      warmer.noteRead(acme, 'revenue-key', { ...first, agg: 'max' });
      read(warmer, acme, series('revenue', 'sum'));

      expect(warmer.mostRead(acme, new Set(['revenue']))).toEqual([
        first,
        series('revenue', 'sum'),
      ]);
    });

    it('keeps organizations apart', () => {
      const warmer = warmerWith(5);
      read(warmer, acme, series('revenue'), 2);
      read(warmer, globex, series('signups'), 1);

      expect(mostRead(warmer, acme, ['revenue', 'signups'])).toEqual(['revenue/avg']);
      expect(mostRead(warmer, globex, ['revenue', 'signups'])).toEqual(['signups/avg']);
    });

    it('knows nothing of an organization with no reads', () => {
      expect(mostRead(warmerWith(5), acme, ['revenue'])).toEqual([]);
    });

    it('is off when the configured number is 0', () => {
      const warmer = warmerWith(0);
      read(warmer, acme, series('revenue'), 3);

      expect(mostRead(warmer, acme, ['revenue'])).toEqual([]);
    });
  });

  describe('bounds', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => series(`s${i}`));
    const allNames = [...hundred.map((query) => query.name), 'new'];

    it('forgets an organization’s least-read series to track a 101st', () => {
      const warmer = warmerWith(100);
      for (const query of hundred) read(warmer, acme, query, query.name === 's42' ? 1 : 2);

      read(warmer, acme, series('new'));

      const tracked = mostRead(warmer, acme, allNames);
      expect(tracked).toHaveLength(100);
      expect(tracked).toContain('new/avg');
      expect(tracked).not.toContain('s42/avg');
    });

    it('forgets, among series read equally little, the one tracked first', () => {
      const warmer = warmerWith(100);
      for (const query of hundred) read(warmer, acme, query);

      read(warmer, acme, series('new'));

      const tracked = mostRead(warmer, acme, allNames);
      expect(tracked).toHaveLength(100);
      expect(tracked).not.toContain('s0/avg');
      expect(tracked).toContain('s1/avg');
    });

    it('counts further reads of a tracked series without forgetting any', () => {
      const warmer = warmerWith(100);
      for (const query of hundred) read(warmer, acme, query);

      read(warmer, acme, series('s0'), 5);

      const tracked = mostRead(warmer, acme, allNames);
      expect(tracked).toHaveLength(100);
      expect(tracked[0]).toBe('s0/avg');
    });

    it('bounds each organization on its own', () => {
      const warmer = warmerWith(100);
      for (const query of hundred) read(warmer, acme, query);
      for (const query of hundred) read(warmer, globex, query);

      expect(mostRead(warmer, acme, allNames)).toHaveLength(100);
      expect(mostRead(warmer, globex, allNames)).toHaveLength(100);
    });

    it('forgets the organization read longest ago to track a 1001st', () => {
      const warmer = warmerWith(5);
      const organizations = Array.from({ length: 1001 }, (_, i) => organizationIdOf(`org-${i}`));
      for (const organization of organizations.slice(0, 1000)) {
        read(warmer, organization, series('revenue'));
      }
      read(warmer, organizationIdOf('org-0'), series('revenue')); // org-0 is now the most recent

      read(warmer, organizationIdOf('org-1000'), series('revenue'));

      expect(mostRead(warmer, organizationIdOf('org-0'), ['revenue'])).toEqual(['revenue/avg']);
      expect(mostRead(warmer, organizationIdOf('org-1'), ['revenue'])).toEqual([]);
      expect(mostRead(warmer, organizationIdOf('org-2'), ['revenue'])).toEqual(['revenue/avg']);
      expect(mostRead(warmer, organizationIdOf('org-1000'), ['revenue'])).toEqual(['revenue/avg']);
    });
  });

  describe('schedule', () => {
    it('warms the series one at a time, in order', async () => {
      const warmer = warmerWith(5);
      const started: string[] = [];
      const finishes = { a: deferred(), b: deferred(), c: deferred() };
      const warm = (query: SeriesQuery) => {
        started.push(query.name);
        return finishes[query.name as keyof typeof finishes].promise;
      };

      warmer.schedule([series('a'), series('b'), series('c')], warm);
      await tick();
      expect(started).toEqual(['a']);
      finishes.a.resolve();
      await tick();
      expect(started).toEqual(['a', 'b']);
      finishes.b.resolve();
      await tick();
      expect(started).toEqual(['a', 'b', 'c']);
      finishes.c.resolve();
      await warmer.idle();
    });

    it('does not warm in the caller’s turn', () => {
      const warm = jest.fn(() => Promise.resolve());

      warmerWith(5).schedule([series('a')], warm);

      expect(warm).not.toHaveBeenCalled();
    });

    it('goes on with the others when a warm fails, and logs it', async () => {
      const warmer = warmerWith(5);
      const warmed: string[] = [];
      const warm = (query: SeriesQuery) => {
        if (query.name === 'b') return Promise.reject(new Error('database down'));
        warmed.push(query.name);
        return Promise.resolve();
      };

      warmer.schedule([series('a'), series('b'), series('c')], warm);
      await warmer.idle();

      expect(warmed).toEqual(['a', 'c']);
      expect(warn).toHaveBeenCalledWith('Warming series b failed: Error: database down');
    });

    it('goes on, this round and later ones, when a warm throws before returning a promise', async () => {
      const warmer = warmerWith(5);
      const warmed: string[] = [];
      const warm = (query: SeriesQuery) => {
        if (query.name === 'b') throw new Error('bad window');
        warmed.push(query.name);
        return Promise.resolve();
      };

      warmer.schedule([series('a'), series('b'), series('c')], warm);
      await warmer.idle();
      warmer.schedule([series('d')], warm);
      await warmer.idle();

      expect(warmed).toEqual(['a', 'c', 'd']);
      expect(warn).toHaveBeenCalledWith('Warming series b failed: Error: bad window');
    });

    it('starts a round after the one before it ends', async () => {
      const warmer = warmerWith(5);
      const started: string[] = [];
      const first = deferred();
      warmer.schedule([series('a')], (query) => {
        started.push(query.name);
        return first.promise;
      });
      warmer.schedule([series('b')], (query) => {
        started.push(query.name);
        return Promise.resolve();
      });

      await tick();
      expect(started).toEqual(['a']);
      first.resolve();
      await warmer.idle();
      expect(started).toEqual(['a', 'b']);
    });

    it('lets one round wait behind the running one and skips further rounds', async () => {
      const warmer = warmerWith(5);
      const warmed: string[] = [];
      const running = deferred();
      const warm = (query: SeriesQuery) => {
        warmed.push(query.name);
        return query.name === 'running' ? running.promise : Promise.resolve();
      };

      warmer.schedule([series('running')], warm);
      await tick();
      warmer.schedule([series('waiting')], warm);
      warmer.schedule([series('skipped')], warm);
      running.resolve();
      await warmer.idle();

      expect(warmed).toEqual(['running', 'waiting']);
    });

    it('takes rounds again once it has caught up', async () => {
      const warmer = warmerWith(5);
      const warmed: string[] = [];
      const warm = (query: SeriesQuery) => {
        warmed.push(query.name);
        return Promise.resolve();
      };
      warmer.schedule([series('a')], warm);
      warmer.schedule([series('b')], warm);
      await warmer.idle();

      warmer.schedule([series('c')], warm);
      warmer.schedule([series('d')], warm);
      await warmer.idle();

      expect(warmed).toEqual(['a', 'b', 'c', 'd']);
    });

    it('warms nothing for an empty list', async () => {
      const warmer = warmerWith(5);
      const warm = jest.fn(() => Promise.resolve());

      warmer.schedule([], warm);
      await warmer.idle();

      expect(warm).not.toHaveBeenCalled();
    });

    it('resolves idle only when every queued warm has finished', async () => {
      const warmer = warmerWith(5);
      const finished: string[] = [];
      const warm = async (query: SeriesQuery) => {
        await tick();
        finished.push(query.name);
      };

      warmer.schedule([series('a'), series('b')], warm);
      warmer.schedule([series('c')], warm);
      await warmer.idle();

      expect(finished).toEqual(['a', 'b', 'c']);
    });
  });
});
