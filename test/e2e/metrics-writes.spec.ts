import { MetricsService } from '@app/metrics';
import { randomUUID } from 'node:crypto';
import { uploadCsv } from '../support/datasets';
import { call, type TestOrganization } from '../support/factory';
import {
  type Json,
  type Metric,
  type MetricsTest,
  type Point,
  startMetricsTest,
} from '../support/metrics';
import type { TestApp } from '../support/test-app';

/** Metrics writes (API and record_metric), filtered reads and pagination. */
describe('metrics writes and reads', () => {
  let t: MetricsTest;
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  let analyst: string;
  let viewer: string;
  let service: string;

  beforeAll(async () => {
    t = await startMetricsTest();
    ({ app, org, other, analyst, viewer, service } = t);
  });
  afterAll(async () => {
    await t.close();
  });

  const write = (metrics: unknown, key?: string) => t.write(metrics, key);
  const get = (path: string, key?: string) => t.get(path, key);
  const stored = () => t.stored();

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
});
