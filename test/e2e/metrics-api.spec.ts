import { MetricsService, SeriesWarmer } from '@app/metrics';
import { MetricsService as PrometheusMetrics } from '@app/observability';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { uploadCsv } from '../support/datasets';
import { call, Factory, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

type Json = Record<string, unknown>;
interface Metric {
  id: string;
  name: string;
  value: number;
  unit: string | null;
  dimensions: Record<string, string>;
  observedAt: string;
  source: string;
  datasetId: string | null;
  analysisId: string | null;
}
interface Point {
  t: string;
  value: number | null;
  group?: string | null;
}

const DAY = 86_400_000;

/** percentile_cont: linear interpolation between the closest ranks of the sorted values. */
function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower];
  return low + (sorted[upper] - low) * (position - lower);
}

function aggregate(values: number[], agg: string): number | null {
  if (agg === 'count') return values.length;
  if (values.length === 0) return null;
  switch (agg) {
    case 'avg':
      return values.reduce((sum, x) => sum + x, 0) / values.length;
    case 'sum':
      return values.reduce((sum, x) => sum + x, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'p50':
      return percentileCont(values, 0.5);
    case 'p95':
      return percentileCont(values, 0.95);
  }
  throw new Error(agg);
}

describe('metrics API', () => {
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  let analyst: string;
  let viewer: string;
  let service: string;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp({
      env: { RATE_LIMIT_DEFAULT_LIMIT: '100000', RATE_LIMIT_EXPENSIVE_LIMIT: '10000' },
    });
    const factory = new Factory(app.app);
    [org, other] = await Promise.all([factory.newOrganization(), factory.newOrganization()]);
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    viewer = (await factory.newApiKey(org.organizationId, 'viewer')).key;
    service = (await factory.newApiKey(org.organizationId, 'service')).key;
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  function write(metrics: unknown, key = service) {
    return call(app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': key },
      body: { metrics },
    });
  }

  function get(path: string, key = viewer) {
    return call(app.baseUrl, 'GET', path, { headers: { 'x-api-key': key } });
  }

  async function stored(): Promise<number> {
    const result = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM metrics');
    return result.rows[0]?.n ?? -1;
  }

  describe('writes', () => {
    it('stores a write and answers the ids in the order sent, with client provenance', async () => {
      const response = await write([
        { name: 'w.one', value: 1.5, unit: 'ms', dimensions: { host: 'a' } },
        { name: 'w.two', value: -0, observedAt: '2026-01-02T03:04:05.678+01:00' },
      ]);
      expect(response.status).toBe(201);
      const ids = response.body.ids as string[];
      expect(response.body.count).toBe(2);
      const one = (await get('/v1/metrics?name=w.one')).body.data as Metric[];
      expect(one).toEqual([
        expect.objectContaining({
          id: ids[0],
          name: 'w.one',
          value: 1.5,
          unit: 'ms',
          dimensions: { host: 'a' },
          source: 'client',
          datasetId: null,
          analysisId: null,
        }),
      ]);
      const two = (await get('/v1/metrics?name=w.two')).body.data as Metric[];
      expect(two).toEqual([
        expect.objectContaining({ id: ids[1], value: 0, observedAt: '2026-01-02T02:04:05.678Z' }),
      ]);
    });

    it('refuses 10,001 metrics with 413 and writes nothing', async () => {
      const before = await stored();
      const response = await write(
        Array.from({ length: 10_001 }, (_, i) => ({ name: 'too.many', value: i })),
      );
      expect(response.status).toBe(413);
      expect(response.body.type).toBe('/problems/too-many-metrics');
      expect(String(response.body.detail)).toContain('10001');
      expect(await stored()).toBe(before);
    });

    it('takes exactly 10,000 in one write', async () => {
      const response = await write(
        Array.from({ length: 10_000 }, (_, i) => ({ name: 'bulk.max', value: i })),
      );
      expect(response.status).toBe(201);
      expect(response.body.count).toBe(10_000);
      expect(new Set(response.body.ids as string[]).size).toBe(10_000);
    });

    it('names every bad item by its index and writes nothing', async () => {
      const before = await stored();
      const response = await write([
        { name: 'ok', value: 1 },
        { name: 'bad value', value: '3' },
        { name: 'ok', value: 2, colour: 'red' },
        { name: 'ok', value: 3, observedAt: '2026-01-01 10:00' },
      ]);
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/validation-error');
      const fields = (response.body.errors as Array<{ field: string }>).map((e) => e.field);
      expect(fields).toEqual([
        'metrics[1].name',
        'metrics[1].value',
        'metrics[2].colour',
        'metrics[3].observedAt',
      ]);
      expect(await stored()).toBe(before);
    });

    it.each([
      ['no metrics field', {}, 'metrics'],
      ['metrics not an array', { metrics: { name: 'x', value: 1 } }, 'metrics'],
      ['an empty array', { metrics: [] }, 'metrics'],
      ['an item that is not an object', { metrics: [3] }, 'metrics[0]'],
      ['a missing value', { metrics: [{ name: 'x' }] }, 'metrics[0].value'],
      ['a name too long', { metrics: [{ name: 'x'.repeat(201), value: 1 }] }, 'metrics[0].name'],
      [
        'a unit too long',
        { metrics: [{ name: 'x', value: 1, unit: 'u'.repeat(33) }] },
        'metrics[0].unit',
      ],
      [
        'dimensions as an array',
        { metrics: [{ name: 'x', value: 1, dimensions: ['a'] }] },
        'metrics[0].dimensions',
      ],
      [
        'a number as dimension value',
        { metrics: [{ name: 'x', value: 1, dimensions: { a: 1 } }] },
        'metrics[0].dimensions',
      ],
      [
        'a bad dimension key',
        { metrics: [{ name: 'x', value: 1, dimensions: { 'a b': 'c' } }] },
        'metrics[0].dimensions',
      ],
      [
        'a time before 1900',
        { metrics: [{ name: 'x', value: 1, observedAt: '1899-12-31T00:00:00Z' }] },
        'metrics[0].observedAt',
      ],
      [
        'a datasetId that is no UUID',
        { metrics: [{ name: 'x', value: 1, datasetId: 'd1' }] },
        'metrics[0].datasetId',
      ],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const before = await stored();
      const response = await call(app.baseUrl, 'POST', '/v1/metrics', {
        headers: { 'x-api-key': service },
        body,
      });
      expect(response.status).toBe(400);
      expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(
        field,
      );
      expect(await stored()).toBe(before);
    });

    it('refuses a body that is not JSON', async () => {
      const response = await call(app.baseUrl, 'POST', '/v1/metrics', {
        headers: { 'x-api-key': service, 'content-type': 'application/json' },
        body: '{"metrics": [',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });

    it("takes a dataset of its own organization, not another's or a missing one", async () => {
      const mine = await uploadCsv(app, analyst, 'a,b\n1,2\n');
      const theirs = await uploadCsv(app, other.adminKey, 'a,b\n1,2\n');
      const ok = await write([{ name: 'from.dataset', value: 1, datasetId: mine.body.id }]);
      expect(ok.status).toBe(201);
      const before = await stored();
      const refused = await write([
        { name: 'from.dataset', value: 2, datasetId: mine.body.id },
        { name: 'from.dataset', value: 3, datasetId: theirs.body.id },
        { name: 'from.dataset', value: 4, datasetId: '00000000-0000-4000-8000-000000000000' },
      ]);
      expect(refused.status).toBe(400);
      expect((refused.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual([
        'metrics[1].datasetId',
        'metrics[2].datasetId',
      ]);
      expect(await stored()).toBe(before);
      const listed = await get(`/v1/metrics?datasetId=${String(mine.body.id)}`);
      expect((listed.body.data as Metric[]).map((m) => m.value)).toEqual([1]);
    });

    it('lets analysts and services write, not viewers', async () => {
      expect((await write([{ name: 'roles', value: 1 }], analyst)).status).toBe(201);
      expect((await write([{ name: 'roles', value: 1 }], service)).status).toBe(201);
      const refused = await write([{ name: 'roles', value: 1 }], viewer);
      expect(refused.status).toBe(403);
      expect((await get('/v1/metrics?name=roles')).body.data).toHaveLength(2);
    });
  });

  describe('record_metric (what the analysis agents call)', () => {
    it('writes with the agent provenance, checked like the API', async () => {
      const metrics = app.app.get(MetricsService);
      const analysisId = randomUUID();
      const context = {
        organizationId: org.organizationId,
        analysisId,
        agent: 'trends',
        toolCallId: 'call_1',
        createdBy: 'test',
      };
      const recorded = await metrics.record(context, [{ name: 'agent.slope', value: 0.25 }]);
      expect(recorded.count).toBe(1);
      const listed = (await get(`/v1/metrics?analysisId=${analysisId}&source=agent`)).body
        .data as Array<Metric & { agent: string; toolCallId: string }>;
      expect(listed).toEqual([
        expect.objectContaining({
          id: recorded.ids[0],
          value: 0.25,
          source: 'agent',
          analysisId,
          agent: 'trends',
          toolCallId: 'call_1',
        }),
      ]);
      await expect(
        metrics.record(context, [{ name: 'agent.slope', value: 'NaN' }]),
      ).rejects.toMatchObject({
        fieldErrors: [{ field: 'metrics[0].value', message: 'value must be a finite number' }],
      });
      expect((await get(`/v1/metrics?analysisId=${analysisId}`, other.adminKey)).body.data).toEqual(
        [],
      );
    });
  });

  describe('reads', () => {
    beforeAll(async () => {
      const base = Date.parse('2025-03-01T00:00:00Z');
      const response = await write(
        Array.from({ length: 30 }, (_, i) => ({
          name: i % 3 === 0 ? 'r.latency' : 'r.errors',
          value: i,
          dimensions: { region: i % 2 === 0 ? 'eu' : 'us', tier: i % 5 === 0 ? 'gold' : 'basic' },
          observedAt: new Date(base + i * 3_600_000).toISOString(),
        })),
      );
      expect(response.status).toBe(201);
    });

    it('filters by name, dimensions and time, newest first', async () => {
      const latency = (await get('/v1/metrics?name=r.latency')).body.data as Metric[];
      expect(latency.map((m) => m.value)).toEqual([27, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
      const euGold = (await get('/v1/metrics?name=r.errors&dim.region=eu&dim.tier=gold')).body
        .data as Metric[];
      expect(euGold.map((m) => m.value)).toEqual([20, 10]);
      const byDate = (await get('/v1/metrics?name=r.latency&from=2025-03-02')).body
        .data as Metric[];
      expect(byDate.map((m) => m.value)).toEqual([27, 24]);
      const window = (
        await get('/v1/metrics?name=r.latency&from=2025-03-01T03:00:00Z&to=2025-03-01T09:00:00Z')
      ).body.data as Metric[];
      expect(window.map((m) => m.value)).toEqual([6, 3]);
      const agents = (await get('/v1/metrics?source=agent')).body.data as Metric[];
      // Only record_metric's write, above, came from an agent.
      expect(agents.map((m) => m.name)).toEqual(['agent.slope']);
    });

    it('lists names with their counts and latest times', async () => {
      const names = (await get('/v1/metrics/names')).body.data as Array<Json>;
      expect(names).toEqual(
        expect.arrayContaining([
          { name: 'r.latency', count: 10, lastObservedAt: '2025-03-02T03:00:00.000Z' },
          { name: 'r.errors', count: 20, lastObservedAt: '2025-03-02T05:00:00.000Z' },
        ]),
      );
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['from=yesterday', 'from'],
      ['from=2026-W05', 'from'],
      ['from=2026-02-30', 'from'],
      ['to=2026-01-31T12:00', 'to'],
      ['from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z', 'from'],
      ['dim.region=eu&dim.region=us', 'dim'],
      ['dim.bad%20key=x', 'dim'],
      ['source=robot', 'source'],
      ['datasetId=42', 'datasetId'],
      ['colour=red', 'colour'],
    ])('refuses ?%s with 400 naming %s', async (query, field) => {
      const response = await get(`/v1/metrics?${query}`);
      expect(response.status).toBe(400);
      expect((response.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(
        field,
      );
    });

    it("shows nothing of another organization's metrics", async () => {
      const theirs = (key: string) => get('/v1/metrics?name=r.latency', key);
      expect((await theirs(other.adminKey)).body.data).toEqual([]);
      expect((await get('/v1/metrics/names', other.adminKey)).body.data).toEqual([]);
      const series = await get(
        '/v1/metrics/series?name=r.latency&from=2025-03-01T00:00:00Z&to=2025-03-03T00:00:00Z',
        other.adminKey,
      );
      expect((series.body.points as Point[]).map((p) => p.value)).toEqual([null, null]);
      const exported = await get('/v1/metrics/export?format=json&name=r.latency', other.adminKey);
      expect(JSON.parse(exported.text)).toEqual([]);
    });
  });

  describe('pagination', () => {
    it('visits each of 10,000 metrics exactly once while new ones are written', async () => {
      const base = Date.parse('2024-06-01T00:00:00Z');
      const seeded = await write(
        Array.from({ length: 10_000 }, (_, i) => ({
          name: 'page.walk',
          value: i,
          // Pairs share a time, so the id breaks ties.
          observedAt: new Date(base + Math.floor(i / 2) * 1000).toISOString(),
        })),
      );
      expect(seeded.status).toBe(201);
      const expected = new Set(seeded.body.ids as string[]);
      const seen: string[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const response = await get(`/v1/metrics?name=page.walk&limit=500${query}`);
        expect(response.status).toBe(200);
        seen.push(...(response.body.data as Metric[]).map((m) => m.id));
        cursor = response.body.nextCursor as string | null;
        // Meanwhile: new metrics, newer than all and inside the range already paged.
        const inserted = await write([
          { name: 'page.walk', value: -1 },
          {
            name: 'page.walk',
            value: -2,
            observedAt: new Date(base + 4_999_000 - page * 1000).toISOString(),
          },
        ]);
        expect(inserted.status).toBe(201);
        page++;
      } while (cursor !== null);
      const original = seen.filter((id) => expected.has(id));
      expect(original).toHaveLength(10_000);
      expect(new Set(original).size).toBe(10_000);
      expect(new Set(seen).size).toBe(seen.length);
    });
  });

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
      const metric = await app.app.get(PrometheusMetrics).cacheLookups.get();
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
      await app.app.get(SeriesWarmer).idle();
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
