import { organizationIdOf } from '@app/tenancy';
import type { AppConfig } from '@app/config';
import { PrometheusService } from '@app/observability';
import { MemoryReadCache, type ReadCache } from '@app/cache';
import { MetricsCacheService } from './metrics-cache.service';

const config = {
  metrics: { cacheTtlSeconds: 60, warmSeries: 5, seriesMaxPoints: 10_000 },
} as AppConfig;

const acme = organizationIdOf('6a0c3b9e-1f2d-4c5b-8a7e-9d0f1e2a3b4c');
const globex = organizationIdOf('c4b3a2e1-0f9d-4e7a-b5c8-1d2f3e4a5b6c');

/** A compute function that answers `value` and counts its calls. */
function answering<T>(value: T): jest.Mock<Promise<T>, []> {
  return jest.fn(() => Promise.resolve(value));
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** The cache look-up counter as `{ "<cache> <result>": count }`. */
async function lookups(metrics: PrometheusService): Promise<Record<string, number>> {
  const { values } = await metrics.cacheLookups.get();
  return Object.fromEntries(
    values.map(({ labels, value }) => [`${labels.cache} ${labels.result}`, value]),
  );
}

describe('MetricsCacheService', () => {
  let cache: ReadCache;
  let metrics: PrometheusService;
  let metricsCache: MetricsCacheService;

  beforeEach(() => {
    cache = new MemoryReadCache(1000);
    metrics = new PrometheusService();
    metricsCache = new MetricsCacheService(cache, config, metrics);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('answers a second identical read from the cache', async () => {
    const compute = answering({ points: [1, 2, 3] });
    const query = { name: 'revenue', interval: 'day' };

    const first = await metricsCache.read('series', { organizationId: acme }, query, compute);
    const second = await metricsCache.read('series', { organizationId: acme }, query, compute);

    expect(compute).toHaveBeenCalledTimes(1);
    expect(first).toEqual({ points: [1, 2, 3] });
    expect(second).toEqual({ points: [1, 2, 3] });
    expect(await lookups(metrics)).toEqual({ 'metrics.series miss': 1, 'metrics.series hit': 1 });
  });

  it('hits for an equal query built anew, not only the same object', async () => {
    const compute = answering(['revenue']);

    await metricsCache.read('names', { organizationId: acme }, { from: null, limit: 50 }, compute);
    await metricsCache.read('names', { organizationId: acme }, { from: null, limit: 50 }, compute);

    expect(compute).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a value', { limit: 50 }, { limit: 51 }],
    ['a nested value', { dims: { region: 'eu' } }, { dims: { region: 'us' } }],
    ['a field more', { name: 'a' }, { name: 'a', cursor: 'x' }],
    ['null and a value', { from: null }, { from: '2026-01-01T00:00:00.000Z' }],
  ])('misses for queries that differ in %s', async (_, query, other) => {
    const compute = answering('data');

    await metricsCache.read('list', { organizationId: acme }, query, compute);
    await metricsCache.read('list', { organizationId: acme }, other, compute);

    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('keeps reads of different kinds apart', async () => {
    const list = answering('list');
    const series = answering('series');

    await metricsCache.read('list', { organizationId: acme }, {}, list);
    const answer = await metricsCache.read('series', { organizationId: acme }, {}, series);

    expect(answer).toBe('series');
    expect(series).toHaveBeenCalledTimes(1);
  });

  it('never shares an entry between organizations', async () => {
    const query = { name: 'revenue' };
    const forAcme = answering('acme data');
    const forGlobex = answering('globex data');

    await metricsCache.read('list', { organizationId: acme, name: 'revenue' }, query, forAcme);
    const globexRead = await metricsCache.read(
      'list',
      { organizationId: globex, name: 'revenue' },
      query,
      forGlobex,
    );
    const acmeAgain = await metricsCache.read(
      'list',
      { organizationId: acme, name: 'revenue' },
      query,
      forAcme,
    );

    expect(globexRead).toBe('globex data');
    expect(acmeAgain).toBe('acme data');
    expect(forGlobex).toHaveBeenCalledTimes(1);
    expect(forAcme).toHaveBeenCalledTimes(1);
  });

  describe('after invalidate', () => {
    const revenueQuery = { name: 'revenue' };
    const signupsQuery = { name: 'signups' };
    let revenue: jest.Mock<Promise<string>, []>;
    let signups: jest.Mock<Promise<string>, []>;
    let names: jest.Mock<Promise<string>, []>;

    /** Reads the revenue series, the signups series and the organization's names. */
    async function readAll(organizationId = acme): Promise<void> {
      await metricsCache.read('series', { organizationId, name: 'revenue' }, revenueQuery, revenue);
      await metricsCache.read('series', { organizationId, name: 'signups' }, signupsQuery, signups);
      await metricsCache.read('names', { organizationId }, {}, names);
    }

    beforeEach(async () => {
      revenue = answering('revenue series');
      signups = answering('signups series');
      names = answering('names');
      await readAll();
      await readAll();
      expect([revenue, signups, names].map((compute) => compute.mock.calls.length)).toEqual([
        1, 1, 1,
      ]);
    });

    it('recomputes reads of a written name and of the whole organization, not of other names', async () => {
      await metricsCache.invalidate(acme, ['revenue']);
      await readAll();

      expect(revenue).toHaveBeenCalledTimes(2);
      expect(names).toHaveBeenCalledTimes(2);
      expect(signups).toHaveBeenCalledTimes(1);
    });

    it('caches the recomputed reads again', async () => {
      await metricsCache.invalidate(acme, ['revenue']);
      await readAll();
      await readAll();

      expect(revenue).toHaveBeenCalledTimes(2);
      expect(names).toHaveBeenCalledTimes(2);
    });

    it('recomputes reads of every written name, however often it is listed', async () => {
      await metricsCache.invalidate(acme, ['revenue', 'signups', 'revenue']);
      await readAll();

      expect([revenue, signups, names].map((compute) => compute.mock.calls.length)).toEqual([
        2, 2, 2,
      ]);
    });

    it('recomputes only the organization-wide reads when no name is given', async () => {
      await metricsCache.invalidate(acme, []);
      await readAll();

      expect([revenue, signups, names].map((compute) => compute.mock.calls.length)).toEqual([
        1, 1, 2,
      ]);
    });

    it('leaves other organizations’ reads cached', async () => {
      await readAll(globex);
      await metricsCache.invalidate(acme, ['revenue']);
      await readAll(globex);

      // One computation each for acme (before each) and one for globex.
      expect([revenue, signups, names].map((compute) => compute.mock.calls.length)).toEqual([
        2, 2, 2,
      ]);
    });

    it('counts the misses it causes', async () => {
      await metricsCache.invalidate(acme, ['revenue']);
      await readAll();

      expect(await lookups(metrics)).toEqual({
        'metrics.series miss': 3,
        'metrics.series hit': 3,
        'metrics.names miss': 2,
        'metrics.names hit': 1,
      });
    });
  });

  it('does not serve a read computed before a write that it raced', async () => {
    const query = { name: 'revenue' };
    const scope = { organizationId: acme, name: 'revenue' };
    const computing = deferred<void>();
    const before = deferred<string>();

    const racing = metricsCache.read('series', scope, query, () => {
      computing.resolve();
      return before.promise;
    });
    // The racing read has looked its version up and reads the database; the write commits.
    await computing.promise;
    await metricsCache.invalidate(acme, ['revenue']);
    before.resolve('before the write');
    await racing;
    const after = await metricsCache.read('series', scope, query, answering('after the write'));

    expect(after).toBe('after the write');
  });

  it('does not cache a computation that fails', async () => {
    const query = { name: 'revenue' };
    const failing = jest.fn(() => Promise.reject(new Error('database down')));
    const working = answering('data');

    await expect(
      metricsCache.read('series', { organizationId: acme }, query, failing),
    ).rejects.toThrow('database down');
    await metricsCache.read('series', { organizationId: acme }, query, working);
    await metricsCache.read('series', { organizationId: acme }, query, working);

    expect(working).toHaveBeenCalledTimes(1);
  });

  it('keeps entries for the configured time to live', async () => {
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    const compute = answering('data');

    await metricsCache.read('names', { organizationId: acme }, {}, compute);
    now.mockReturnValue(start + 59_000);
    await metricsCache.read('names', { organizationId: acme }, {}, compute);
    now.mockReturnValue(start + 61_000);
    await metricsCache.read('names', { organizationId: acme }, {}, compute);

    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('computes every read, counted as errors, when the cache cannot be read', async () => {
    jest.spyOn(cache, 'mget').mockRejectedValue(new Error('connection refused'));
    const compute = answering('data');

    const answers = [
      await metricsCache.read('list', { organizationId: acme }, {}, compute),
      await metricsCache.read('list', { organizationId: acme }, {}, compute),
    ];

    expect(answers).toEqual(['data', 'data']);
    expect(compute).toHaveBeenCalledTimes(2);
    expect(await lookups(metrics)).toEqual({ 'metrics.list error': 2 });
  });

  it('answers reads when storing the result fails', async () => {
    jest.spyOn(cache, 'set').mockRejectedValue(new Error('connection refused'));
    const compute = answering('data');

    await expect(metricsCache.read('list', { organizationId: acme }, {}, compute)).resolves.toBe(
      'data',
    );
    await expect(metricsCache.read('list', { organizationId: acme }, {}, compute)).resolves.toBe(
      'data',
    );
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('does not fail a write whose invalidation cannot be stored', async () => {
    jest.spyOn(cache, 'mset').mockRejectedValue(new Error('connection refused'));

    await expect(metricsCache.invalidate(acme, ['revenue'])).resolves.toBeUndefined();
  });

  // ReadCache swallows its own errors (the store logs the outage once), so a store outage
  // reaches MetricsCacheService as empty look-ups and dropped writes: counted as misses, not errors.
  it('computes every read when its store fails', async () => {
    jest
      .spyOn(cache, 'mget')
      .mockImplementation((keys) => Promise.resolve(keys.map(() => undefined)));
    jest.spyOn(cache, 'set').mockResolvedValue(false);
    const failing = new MetricsCacheService(cache, config, metrics);
    const compute = answering('data');

    await failing.read('names', { organizationId: acme }, {}, compute);
    await failing.read('names', { organizationId: acme }, {}, compute);

    expect(compute).toHaveBeenCalledTimes(2);
    expect(await lookups(metrics)).toEqual({ 'metrics.names miss': 2 });
  });

  it('works without a metrics service', async () => {
    const quiet = new MetricsCacheService(cache, config);
    const compute = answering('data');

    await quiet.read('names', { organizationId: acme }, {}, compute);
    await quiet.read('names', { organizationId: acme }, {}, compute);

    expect(compute).toHaveBeenCalledTimes(1);
  });
});
