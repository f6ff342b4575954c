import { type OrganizationId } from '@app/tenancy';
import type { SeriesQuery } from '@app/metrics';
import { Transform } from 'node:stream';
import type { MetricRow } from '../../libs/metrics/src/repositories/metric-queries';
import { MetricsRepository } from '../../libs/metrics/src/repositories/metrics.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

const at = (iso: string) => new Date(iso);
const DATASET = '0b7e4c1a-3f2d-4e5b-9a6c-7d8e9f0a1b2c';
const ANALYSIS = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';

describe('MetricsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let metrics: MetricsRepository;
  /** Each test writes under organizations of its own. */
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => {
    db = await repositoryDatabase();
    metrics = new MetricsRepository(db.dataSource, db.connections);
  });
  beforeEach(async () => {
    [org, other] = await Promise.all([db.factory.newOrganization(), db.factory.newOrganization()]);
  });
  afterAll(async () => {
    await db.close();
  });

  const names = (organizationId: OrganizationId) =>
    metrics.names(organizationId).then((rows) => rows.map(({ name, count }) => [name, count]));

  const noFilter = { dimensions: {} };

  describe('insert', () => {
    it('writes every metric with its provenance and keeps metric_names in step', async () => {
      const ids = await db.factory.newMetrics(
        org,
        [
          { name: 'revenue', value: 1.5, unit: 'EUR', observedAt: at('2026-01-01T00:00:00Z') },
          { name: 'revenue', value: 2, observedAt: at('2026-01-03T00:00:00Z') },
          { name: 'orders', value: 3, dimensions: { region: 'eu' }, datasetId: DATASET },
        ],
        { source: 'agent', analysisId: ANALYSIS, agent: 'trends', toolCallId: 'call_1' },
      );
      const listed = await metrics.list(org, { name: 'orders', ...noFilter }, 10, undefined);
      expect(listed.map((row) => row.item)).toEqual([
        expect.objectContaining({
          id: ids[2],
          value: 3,
          unit: null,
          dimensions: { region: 'eu' },
          source: 'agent',
          datasetId: DATASET,
          analysisId: ANALYSIS,
          agent: 'trends',
          toolCallId: 'call_1',
        }),
      ]);
      const named = await metrics.names(org);
      expect(named).toEqual([
        { name: 'orders', count: 1, lastObservedAt: expect.any(Date) },
        { name: 'revenue', count: 2, lastObservedAt: at('2026-01-03T00:00:00Z') },
      ]);
      await expect(names(other)).resolves.toEqual([]);
    });

    it("writes in the caller's transaction: nothing is left if it rolls back", async () => {
      const runner = db.dataSource.createQueryRunner();
      await runner.startTransaction();
      await metrics.insert(
        org,
        ['7a0c3b9e-1f2d-4c5b-8a7e-9d0f1e2a3b4c'],
        [
          {
            name: 'm',
            value: 1,
            unit: null,
            dimensions: {},
            observedAt: new Date(),
            datasetId: null,
          },
        ],
        { source: 'client', analysisId: null, agent: null, toolCallId: null, createdBy: 't' },
        runner.manager,
      );
      await runner.rollbackTransaction();
      await runner.release();
      await expect(metrics.list(org, noFilter, 10, undefined)).resolves.toEqual([]);
      await expect(names(org)).resolves.toEqual([]);
    });
  });

  it("deletes an analysis' metrics of the organization only, counts kept right", async () => {
    const provenance = { source: 'agent' as const, analysisId: ANALYSIS };
    await db.factory.newMetrics(
      org,
      [
        { name: 'a', value: 1 },
        { name: 'b', value: 2 },
      ],
      provenance,
    );
    await db.factory.newMetrics(org, [{ name: 'a', value: 3 }]);
    await db.factory.newMetrics(other, [{ name: 'a', value: 4 }], provenance);

    const gone = await db.dataSource.transaction((work) =>
      metrics.deleteForAnalysis(org, ANALYSIS, work),
    );
    expect(gone).toEqual(['a', 'b']);
    await expect(names(org)).resolves.toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    await expect(names(other)).resolves.toEqual([['a', 1]]);
    const left = await metrics.list(other, noFilter, 10, undefined);
    expect(left.map((row) => row.item.analysisId)).toEqual([ANALYSIS]);
  });

  describe('list', () => {
    it('pages newest first by (observed_at, id), limit + 1 rows, from a position', async () => {
      const ids = await db.factory.newMetrics(org, [
        { name: 'm', value: 1, observedAt: at('2026-01-01T00:00:00Z') },
        { name: 'm', value: 2, observedAt: at('2026-01-02T00:00:00Z') },
        { name: 'm', value: 3, observedAt: at('2026-01-03T00:00:00Z') },
      ]);
      const first = await metrics.list(org, noFilter, 2, undefined);
      expect(first.map((row) => row.item.id)).toEqual([ids[2], ids[1], ids[0]]);
      const rest = await metrics.list(org, noFilter, 2, first[1]?.position);
      expect(rest.map((row) => row.item.id)).toEqual([ids[0]]);
    });

    it('narrows by every filter, and finds nothing of another organization', async () => {
      await db.factory.newMetrics(org, [
        { name: 'm', value: 1, observedAt: at('2026-01-01T00:00:00Z'), datasetId: DATASET },
        { name: 'm', value: 2, observedAt: at('2026-01-02T00:00:00Z'), dimensions: { r: 'eu' } },
        { name: 'n', value: 3, observedAt: at('2026-01-02T00:00:00Z') },
      ]);
      await db.factory.newMetrics(org, [{ name: 'm', value: 4 }], {
        source: 'agent',
        analysisId: ANALYSIS,
      });
      const values = async (filter: Parameters<MetricsRepository['list']>[1], orgId = org) =>
        (await metrics.list(orgId, filter, 10, undefined)).map((row) => row.item.value).sort();
      await expect(values({ name: 'm', ...noFilter })).resolves.toEqual([1, 2, 4]);
      await expect(values({ datasetId: DATASET, ...noFilter })).resolves.toEqual([1]);
      await expect(values({ analysisId: ANALYSIS, ...noFilter })).resolves.toEqual([4]);
      await expect(values({ source: 'agent', ...noFilter })).resolves.toEqual([4]);
      await expect(
        values({ from: at('2026-01-02T00:00:00Z'), to: at('2026-01-03T00:00:00Z'), ...noFilter }),
      ).resolves.toEqual([2, 3]);
      await expect(values({ dimensions: { r: 'eu' } })).resolves.toEqual([2]);
      await expect(values(noFilter, other)).resolves.toEqual([]);
    });
  });

  it("streams the filter's metrics newest first, of the organization only", async () => {
    await db.factory.newMetrics(org, [
      { name: 'm', value: 1, observedAt: at('2026-01-01T00:00:00Z') },
      { name: 'm', value: 2, observedAt: at('2026-01-02T00:00:00Z') },
    ]);
    await db.factory.newMetrics(other, [{ name: 'm', value: 9 }]);
    const collect = new Transform({
      writableObjectMode: true,
      transform(row: MetricRow, _encoding, callback) {
        callback(null, `${row.value}@${row.observedAt.toISOString().slice(0, 10)}\n`);
      },
    });
    const stream = await metrics.stream(org, { name: 'm', ...noFilter }, collect);
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    expect(text).toBe('2@2026-01-02\n1@2026-01-01\n');
    expect(db.connections.inUse).toBe(0);
  });

  describe('span', () => {
    it('answers the first and last observation, the count and the groups', async () => {
      await db.factory.newMetrics(org, [
        { name: 'm', value: 1, observedAt: at('2026-01-01T00:00:00Z'), dimensions: { r: 'eu' } },
        { name: 'm', value: 2, observedAt: at('2026-01-05T00:00:00Z'), dimensions: { r: 'us' } },
        { name: 'm', value: 3, observedAt: at('2026-01-09T00:00:00Z') },
      ]);
      await expect(metrics.span(org, { name: 'm', ...noFilter })).resolves.toEqual({
        first: at('2026-01-01T00:00:00Z'),
        last: at('2026-01-09T00:00:00Z'),
        count: 3,
        groups: 1,
      });
      // Without the key is one more group.
      await expect(
        metrics.span(org, { name: 'm', groupBy: 'r', ...noFilter }),
      ).resolves.toMatchObject({ count: 3, groups: 3 });
      await expect(
        metrics.span(org, { name: 'm', dimensions: { r: 'us' } }),
      ).resolves.toMatchObject({ count: 1, first: at('2026-01-05T00:00:00Z') });
    });

    it('answers null for another organization, or a name without metrics', async () => {
      await db.factory.newMetrics(org, [{ name: 'm', value: 1 }]);
      await expect(metrics.span(other, { name: 'm', ...noFilter })).resolves.toBeNull();
      await expect(metrics.span(org, { name: 'none', ...noFilter })).resolves.toBeNull();
    });
  });

  describe('series', () => {
    const days: SeriesQuery = {
      name: 'm',
      from: at('2026-01-01T00:00:00Z'),
      to: at('2026-01-04T00:00:00Z'),
      interval: 'day',
      agg: 'avg',
      groups: 10,
    };
    const points = (
      rows: Array<{ t: Date; group: string | null; other: boolean; value: unknown }>,
    ) =>
      rows.map((row) => [
        row.t.toISOString().slice(0, 10),
        row.other ? 'other' : row.group,
        row.value === null ? null : Number(row.value),
      ]);

    beforeEach(async () => {
      await db.factory.newMetrics(org, [
        { name: 'm', value: 1, observedAt: at('2026-01-01T01:00:00Z'), dimensions: { r: 'eu' } },
        { name: 'm', value: 3, observedAt: at('2026-01-01T02:00:00Z'), dimensions: { r: 'eu' } },
        { name: 'm', value: 10, observedAt: at('2026-01-03T00:00:00Z'), dimensions: { r: 'us' } },
        { name: 'm', value: 20, observedAt: at('2026-01-03T05:00:00Z') },
        { name: 'm', value: 99, observedAt: at('2026-01-04T00:00:00Z') },
      ]);
    });

    it('aggregates by bucket over the window, empty buckets null (0 for count)', async () => {
      const avg = await metrics.series(org, days, [], 100);
      expect(points(avg)).toEqual([
        ['2026-01-01', null, 2],
        ['2026-01-02', null, null],
        ['2026-01-03', null, 15],
      ]);
      const count = await metrics.series(org, { ...days, agg: 'count' }, [], 100);
      expect(points(count).map((point) => point[2])).toEqual([2, 0, 2]);
      const eu = await metrics.series(org, { ...days, dimensions: { r: 'eu' } }, [], 100);
      expect(points(eu).map((point) => point[2])).toEqual([2, null, null]);
    });

    it('finds the top groups, then runs one per kept group and one for the rest', async () => {
      const grouped = { ...days, groupBy: 'r' };
      await expect(metrics.topGroups(org, grouped, 1)).resolves.toEqual({
        kept: ['eu'],
        total: 3,
      });
      const rows = await metrics.series(org, grouped, ['eu'], 100);
      expect(points(rows)).toEqual([
        ['2026-01-01', 'eu', 2],
        ['2026-01-02', 'eu', null],
        ['2026-01-03', 'eu', null],
        ['2026-01-01', 'other', null],
        ['2026-01-02', 'other', null],
        ['2026-01-03', 'other', 15],
      ]);
      await expect(metrics.series(org, grouped, ['eu'], 4)).resolves.toHaveLength(4);
    });

    it('finds no point and no group of another organization', async () => {
      const theirs = await metrics.series(other, days, [], 100);
      expect(points(theirs).map((point) => point[2])).toEqual([null, null, null]);
      await expect(metrics.topGroups(other, { ...days, groupBy: 'r' }, 5)).resolves.toEqual({
        kept: [],
        total: 0,
      });
    });
  });
});
