import { SeriesWarmerJob } from '@app/metrics';
import { PrometheusService } from '@app/observability';
import {
  aggregate,
  DAY,
  type Json,
  type Metric,
  type MetricsTest,
  type Point,
  startMetricsTest,
} from '../support/metrics';
import type { TestApp } from '../support/test-app';

/** Metrics series (against an independent computation), charts, export and the cache. */
describe('metrics series, export and cache', () => {
  let t: MetricsTest;
  let app: TestApp;

  beforeAll(async () => {
    t = await startMetricsTest();
    ({ app } = t);
  });
  afterAll(async () => {
    await t.close();
  });

  const write = (metrics: unknown, key?: string) => t.write(metrics, key);
  const get = (path: string, key?: string) => t.get(path, key);

  describe('series', () => {
    const start = Date.parse('2025-01-06T00:00:00Z'); // a Monday
    const points: Array<{ value: number; t: number; host?: string }> = [];

    beforeAll(async () => {
      // 5 weeks of hourly-ish points with gaps: days 3, 10 and 11 have none.
      for (let day = 0; day < 35; day++) {
        if (day === 3 || day === 10 || day === 11) continue;
        for (let k = 0; k < (day % 4) + 1; k++) {
          const value = Math.round(Math.sin(day * 7 + k) * 1000) / 10;
          const host = k % 3 === 2 ? undefined : k % 2 === 0 ? 'a' : 'b';
          points.push({ value, t: start + day * DAY + k * 3_600_000 * 5, host });
        }
      }
      const response = await write(
        points.map((p) => ({
          name: 's.temp',
          value: p.value,
          observedAt: new Date(p.t).toISOString(),
          ...(p.host === undefined ? {} : { dimensions: { host: p.host } }),
        })),
      );
      expect(response.status).toBe(201);
    });

    function expectedSeries(
      agg: string,
      bucketOf: (t: number) => number,
      buckets: number[],
      group?: (p: (typeof points)[number]) => boolean,
    ): Array<number | null> {
      return buckets.map((bucket) =>
        aggregate(
          points
            .filter((p) => bucketOf(p.t) === bucket && (group?.(p) ?? true))
            .map((p) => p.value),
          agg,
        ),
      );
    }

    function expectClose(actual: Array<number | null>, expected: Array<number | null>): void {
      expect(actual.map((v) => v === null)).toEqual(expected.map((v) => v === null));
      actual.forEach((value, i) => {
        if (value !== null) expect(value).toBeCloseTo(expected[i] as number, 9);
      });
    }

    it.each(['avg', 'sum', 'min', 'max', 'count', 'p50', 'p95'])(
      'matches an independent daily %s, empty days included',
      async (agg) => {
        const response = await get(
          `/v1/metrics/series?name=s.temp&interval=day&agg=${agg}&from=2025-01-06T00:00:00Z&to=2025-02-10T00:00:00Z`,
        );
        expect(response.status).toBe(200);
        const series = response.body.points as Point[];
        const days = Array.from({ length: 35 }, (_, d) => start + d * DAY);
        expect(series.map((p) => p.t)).toEqual(days.map((d) => new Date(d).toISOString()));
        const bucketOf = (t: number) => start + Math.floor((t - start) / DAY) * DAY;
        expectClose(
          series.map((p) => p.value),
          expectedSeries(agg, bucketOf, days),
        );
        if (agg === 'count') expect(series[3]?.value).toBe(0);
        else expect(series[3]?.value).toBeNull();
      },
    );

    it('buckets by ISO week (Monday) and by calendar month', async () => {
      const weekly = await get(
        '/v1/metrics/series?name=s.temp&interval=week&agg=sum&from=2025-01-08T00:00:00Z&to=2025-02-10T00:00:00Z',
      );
      const weeks = Array.from({ length: 5 }, (_, w) => start + w * 7 * DAY);
      expect((weekly.body.points as Point[]).map((p) => p.t)).toEqual(
        weeks.map((w) => new Date(w).toISOString()),
      );
      const weekOf = (t: number) => start + Math.floor((t - start) / (7 * DAY)) * 7 * DAY;
      // The first week starts before `from`: only points from `from` on count.
      const fromTime = Date.parse('2025-01-08T00:00:00Z');
      expectClose(
        (weekly.body.points as Point[]).map((p) => p.value),
        weeks.map((w) =>
          aggregate(
            points.filter((p) => weekOf(p.t) === w && p.t >= fromTime).map((p) => p.value),
            'sum',
          ),
        ),
      );
      const monthly = await get(
        '/v1/metrics/series?name=s.temp&interval=month&agg=count&from=2025-01-01T00:00:00Z&to=2025-04-01T00:00:00Z',
      );
      const january = points.filter((p) => p.t < Date.parse('2025-02-01T00:00:00Z')).length;
      expect(monthly.body.points).toEqual([
        { t: '2025-01-01T00:00:00.000Z', value: january },
        { t: '2025-02-01T00:00:00.000Z', value: points.length - january },
        { t: '2025-03-01T00:00:00.000Z', value: 0 },
      ]);
    });

    it('groups by a dimension, metrics without it in the null group', async () => {
      const response = await get(
        '/v1/metrics/series?name=s.temp&interval=week&agg=p95&groupBy=host&from=2025-01-06T00:00:00Z&to=2025-02-10T00:00:00Z',
      );
      expect(response.status).toBe(200);
      const series = response.body.points as Point[];
      expect([...new Set(series.map((p) => p.group))]).toEqual(['a', 'b', null]);
      const weeks = Array.from({ length: 5 }, (_, w) => start + w * 7 * DAY);
      const weekOf = (t: number) => start + Math.floor((t - start) / (7 * DAY)) * 7 * DAY;
      for (const host of ['a', 'b', null]) {
        expectClose(
          series.filter((p) => p.group === host).map((p) => p.value),
          expectedSeries('p95', weekOf, weeks, (p) => (p.host ?? null) === host),
        );
      }
    });

    it('draws the series as SVG', async () => {
      const response = await get(
        '/v1/metrics/series.svg?name=s.temp&groupBy=host&from=2025-01-06T00:00:00Z&to=2025-02-10T00:00:00Z',
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('image/svg+xml');
      expect(response.text).toMatch(/^<svg[\s\S]*<\/svg>$/);
      expect(response.text).toContain('s.temp');
    });

    it.each([
      ['', 'name'],
      ['name=s.temp&interval=year', 'interval'],
      ['name=s.temp&agg=median', 'agg'],
      ['name=s.temp&groupBy=a%20b', 'groupBy'],
      ['name=s.temp&from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'from'],
      ['name=s.temp&interval=minute&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'interval'],
    ])('refuses ?%s with 400 naming %s', async (query, field) => {
      for (const path of ['/v1/metrics/series', '/v1/metrics/series.svg']) {
        const response = await get(`${path}?${query}`);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(
          field,
        );
      }
    });
  });

  describe('export', () => {
    beforeAll(async () => {
      const response = await write([
        { name: 'x.cells', value: -3, unit: '=SUM(A1)', observedAt: '2025-05-01T00:00:00Z' },
        {
          name: 'x.cells',
          value: 2.5,
          unit: '+1',
          dimensions: { note: 'a, "b"' },
          observedAt: '2025-05-02T00:00:00Z',
        },
      ]);
      expect(response.status).toBe(201);
    });

    it('streams CSV with formula-like text neutralised and numbers untouched', async () => {
      const response = await get('/v1/metrics/export?format=csv&name=x.cells');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/csv');
      const lines = response.text.trimEnd().split('\n');
      expect(lines[0]).toBe(
        'id,name,value,unit,dimensions,observedAt,source,datasetId,analysisId,agent,toolCallId,createdAt',
      );
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(
        ',x.cells,2.5,\'+1,"{""note"":""a, \\""b\\""""}",2025-05-02T00:00:00.000Z,client,',
      );
      expect(lines[2]).toContain(",x.cells,-3,'=SUM(A1),{},2025-05-01T00:00:00.000Z,client,");
    });

    it('streams JSON equal to the list, with the same filters', async () => {
      const exported = await get(
        '/v1/metrics/export?format=json&name=x.cells&dim.note=a,%20%22b%22',
      );
      expect(exported.status).toBe(200);
      const listed = await get('/v1/metrics?name=x.cells&dim.note=a,%20%22b%22');
      expect(JSON.parse(exported.text)).toEqual(listed.body.data);
      expect(listed.body.data).toHaveLength(1);
    });

    it('refuses an unknown format', async () => {
      const response = await get('/v1/metrics/export?format=xml');
      expect(response.status).toBe(400);
      expect((response.body.errors as Array<{ field: string }>)[0]?.field).toBe('format');
    });
  });

  describe('cache', () => {
    async function lookups(cache: string, result: string): Promise<number> {
      const metric = await app.app.get(PrometheusService).cacheLookups.get();
      return (
        metric.values.find((v) => v.labels.cache === cache && v.labels.result === result)?.value ??
        0
      );
    }

    it('answers a repeated read from the cache, and the next read after a write sees it', async () => {
      await write([{ name: 'c.hot', value: 1, observedAt: '2025-07-01T00:00:00Z' }]);
      const path = '/v1/metrics?name=c.hot';
      const first = await get(path);
      const hits = await lookups('metrics.list', 'hit');
      const second = await get(path);
      expect(second.body).toEqual(first.body);
      expect(await lookups('metrics.list', 'hit')).toBe(hits + 1);

      await write([{ name: 'c.hot', value: 2, observedAt: '2025-07-02T00:00:00Z' }]);
      const after = await get(path);
      expect((after.body.data as Metric[]).map((m) => m.value)).toEqual([2, 1]);
      const names = (await get('/v1/metrics/names')).body.data as Array<Json>;
      expect(names.find((n) => n.name === 'c.hot')?.count).toBe(2);
      const series = await get(
        '/v1/metrics/series?name=c.hot&agg=sum&from=2025-07-01T00:00:00Z&to=2025-07-03T00:00:00Z',
      );
      expect((series.body.points as Point[]).map((p) => p.value)).toEqual([1, 2]);
      await write([{ name: 'c.hot', value: 5, observedAt: '2025-07-02T12:00:00Z' }]);
      const updated = await get(
        '/v1/metrics/series?name=c.hot&agg=sum&from=2025-07-01T00:00:00Z&to=2025-07-03T00:00:00Z',
      );
      expect((updated.body.points as Point[]).map((p) => p.value)).toEqual([1, 7]);
    });

    it('recomputes the most-read series after a write, so the next reader hits the cache', async () => {
      const series =
        '/v1/metrics/series?name=c.warm&agg=max&from=2025-08-01T00:00:00Z&to=2025-08-03T00:00:00Z';
      await write([{ name: 'c.warm', value: 1, observedAt: '2025-08-01T00:00:00Z' }]);
      for (let i = 0; i < 3; i++) await get(series);
      await write([{ name: 'c.warm', value: 9, observedAt: '2025-08-02T00:00:00Z' }]);
      await app.app.get(SeriesWarmerJob).idle();
      const [hits, misses] = [
        await lookups('metrics.series', 'hit'),
        await lookups('metrics.series', 'miss'),
      ];
      const warmed = await get(series);
      expect((warmed.body.points as Point[]).map((p) => p.value)).toEqual([1, 9]);
      expect(await lookups('metrics.series', 'hit')).toBe(hits + 1);
      expect(await lookups('metrics.series', 'miss')).toBe(misses);
    });
  });
});
