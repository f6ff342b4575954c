import { type OrganizationId } from '@app/tenancy';
import type { Principal } from '@app/access';
import { PageQueryDto } from '@app/common';
import { ListMetricsQueryDto, type SeriesQueryDto } from '../dtos/metric.dto';
import { metricsServices, ORG_A, ORG_B } from '../testing/fake-metrics';

const writerOf = (organizationId: OrganizationId): Principal => ({
  kind: 'apiKey',
  id: 'key-1',
  organizationId,
  role: 'service',
});

function listQuery(fields: Partial<ListMetricsQueryDto> = {}): ListMetricsQueryDto {
  return Object.assign(new ListMetricsQueryDto(), new PageQueryDto(), fields);
}

const daily = (fields: Partial<SeriesQueryDto> = {}): SeriesQueryDto => ({
  name: 'revenue',
  from: '2026-02-01',
  to: '2026-02-04',
  interval: 'day',
  agg: 'avg',
  groups: 10,
  ...fields,
});

const count = (methods: string[], method: string) => methods.filter((m) => m === method).length;

describe('MetricReadsService', () => {
  describe('list', () => {
    it('answers a repeated read from the cache, and reads again after a write of that name', async () => {
      const { reads, writes, repository } = metricsServices();
      await writes.write(writerOf(ORG_A), [{ name: 'revenue', value: 1 }]);
      const first = await reads.list(ORG_A, listQuery({ name: 'revenue' }));
      const hit = await reads.list(ORG_A, listQuery({ name: 'revenue' }));
      expect(hit).toBe(first);
      expect(count(repository.methods(), 'list')).toBe(1);

      await writes.write(writerOf(ORG_A), [{ name: 'revenue', value: 2 }]);
      const after = JSON.parse(await reads.list(ORG_A, listQuery({ name: 'revenue' }))) as {
        data: unknown[];
      };
      expect(after.data).toHaveLength(2);
      expect(count(repository.methods(), 'list')).toBe(2);
    });

    it('keeps a list of one name cached across writes of another name', async () => {
      const { reads, writes, repository } = metricsServices();
      await reads.list(ORG_A, listQuery({ name: 'revenue' }));
      await writes.write(writerOf(ORG_A), [{ name: 'orders', value: 1 }]);
      await reads.list(ORG_A, listQuery({ name: 'revenue' }));
      expect(count(repository.methods(), 'list')).toBe(1);
      // An unfiltered list depends on every name: it is read again.
      await reads.list(ORG_A, listQuery());
      await writes.write(writerOf(ORG_A), [{ name: 'orders', value: 2 }]);
      await reads.list(ORG_A, listQuery());
      expect(count(repository.methods(), 'list')).toBe(3);
    });

    it("never answers one organization's read from another's cache entry", async () => {
      const { reads, writes, repository } = metricsServices();
      await writes.write(writerOf(ORG_A), [{ name: 'revenue', value: 1 }]);
      await reads.list(ORG_A, listQuery({ name: 'revenue' }));
      const theirs = JSON.parse(await reads.list(ORG_B, listQuery({ name: 'revenue' }))) as {
        data: unknown[];
      };
      expect(theirs.data).toEqual([]);
      expect(repository.calls.filter((c) => c.method === 'list')).toEqual([
        { method: 'list', organizationId: ORG_A },
        { method: 'list', organizationId: ORG_B },
      ]);
    });

    it('pages with the keyset cursor and refuses one it did not issue', async () => {
      const { reads, writes } = metricsServices();
      await writes.write(writerOf(ORG_A), [
        { name: 'm', value: 1, observedAt: '2026-01-01T00:00:00Z' },
        { name: 'm', value: 2, observedAt: '2026-01-02T00:00:00Z' },
      ]);
      const first = JSON.parse(await reads.list(ORG_A, listQuery({ limit: 1 }))) as {
        data: Array<{ value: number }>;
        nextCursor: string;
      };
      expect(first.data.map((m) => m.value)).toEqual([2]);
      const second = JSON.parse(
        await reads.list(ORG_A, listQuery({ limit: 1, cursor: first.nextCursor })),
      ) as { data: Array<{ value: number }>; nextCursor: string | null };
      expect(second).toMatchObject({ data: [{ value: 1 }], nextCursor: null });
      await expect(reads.list(ORG_A, listQuery({ cursor: 'nope' }))).rejects.toMatchObject({
        status: 400,
        slug: 'invalid-cursor',
      });
    });

    it('refuses from after to with 400 naming from, before any read', async () => {
      const { reads, repository } = metricsServices();
      await expect(
        reads.list(ORG_A, listQuery({ from: '2026-02-01', to: '2026-01-01' })),
      ).rejects.toMatchObject({ status: 400, fieldErrors: [{ field: 'from' }] });
      expect(repository.calls).toEqual([]);
    });
  });

  it('caches names per organization until a write of that organization', async () => {
    const { reads, writes, repository } = metricsServices();
    await reads.names(ORG_A);
    await reads.names(ORG_B);
    await writes.write(writerOf(ORG_B), [{ name: 'x', value: 1 }]);
    await reads.names(ORG_A);
    expect(repository.calls.filter((c) => c.method === 'names')).toEqual([
      { method: 'names', organizationId: ORG_A },
      { method: 'names', organizationId: ORG_B },
    ]);
    expect(JSON.parse(await reads.names(ORG_B))).toMatchObject({ data: [{ name: 'x', count: 1 }] });
  });

  describe('series', () => {
    it('answers the points of the window, cached until a write of the name', async () => {
      const { reads, writes, repository, warmer } = metricsServices();
      repository.seriesRows = [
        { t: new Date('2026-02-01T00:00:00Z'), group: null, other: false, value: 2 },
        { t: new Date('2026-02-02T00:00:00Z'), group: null, other: false, value: null },
      ];
      const series = await reads.seriesData(ORG_A, daily());
      expect(series).toEqual({
        name: 'revenue',
        interval: 'day',
        agg: 'avg',
        from: '2026-02-01T00:00:00.000Z',
        to: '2026-02-04T00:00:00.000Z',
        points: [
          { t: '2026-02-01T00:00:00.000Z', value: 2 },
          { t: '2026-02-02T00:00:00.000Z', value: null },
        ],
      });
      await reads.series(ORG_A, daily());
      await writes.write(writerOf(ORG_A), [{ name: 'orders', value: 1 }]);
      await reads.series(ORG_A, daily());
      expect(count(repository.methods(), 'series')).toBe(1);
      // A write of the name: the warmer recomputes the series (it was read), in the
      // background, and the next reader finds the new one cached.
      await writes.write(writerOf(ORG_A), [{ name: 'revenue', value: 1 }]);
      await warmer.idle();
      expect(count(repository.methods(), 'series')).toBe(2);
      await reads.series(ORG_A, daily());
      expect(count(repository.methods(), 'series')).toBe(2);
    });

    it('names the groups and folds the rest into other', async () => {
      const { reads, repository } = metricsServices();
      repository.groups = { kept: ['eu'], total: 3 };
      const t = new Date('2026-02-01T00:00:00Z');
      repository.seriesRows = [
        { t, group: 'eu', other: false, value: 1 },
        { t, group: null, other: true, value: 5 },
      ];
      const series = await reads.seriesData(ORG_A, daily({ groupBy: 'region', groups: 1 }));
      expect(series).toMatchObject({ groupBy: 'region', groups: 1, otherGroups: 2 });
      expect(series.points).toEqual([
        { t: '2026-02-01T00:00:00.000Z', value: 1, group: 'eu' },
        { t: '2026-02-01T00:00:00.000Z', value: 5, other: true },
      ]);
    });

    it('refuses too many buckets × groups with 400 series-too-large before the series query', async () => {
      const { reads, repository } = metricsServices({ METRICS_SERIES_MAX_POINTS: '10' });
      repository.groups = { kept: ['a', 'b', 'c', 'd'], total: 4 };
      await expect(
        reads.series(ORG_A, daily({ groupBy: 'region', groups: 4 })),
      ).rejects.toMatchObject({
        status: 400,
        slug: 'series-too-large',
        fieldErrors: [{ field: 'groups' }],
      });
      expect(repository.methods()).toEqual(['topGroups']);
    });

    it('refuses a window of more buckets than the maximum before any read', async () => {
      const { reads, repository } = metricsServices({ METRICS_SERIES_MAX_POINTS: '10' });
      await expect(
        reads.series(ORG_A, daily({ from: '2026-01-01', to: '2026-02-01' })),
      ).rejects.toMatchObject({ status: 400, slug: 'series-too-large' });
      await expect(
        reads.series(ORG_A, daily({ from: '2026-02-01', to: '2026-02-01' })),
      ).rejects.toMatchObject({ status: 400, slug: 'invalid-time-range' });
      expect(repository.calls).toEqual([]);
    });

    it('refuses a series that grew past the maximum between its two statements', async () => {
      const { reads, repository } = metricsServices({ METRICS_SERIES_MAX_POINTS: '10' });
      const t = new Date('2026-02-01T00:00:00Z');
      repository.seriesRows = Array.from({ length: 11 }, () => ({
        t,
        group: null,
        other: false,
        value: 1,
      }));
      await expect(reads.series(ORG_A, daily())).rejects.toMatchObject({
        status: 400,
        slug: 'series-too-large',
      });
    });

    it('serves another module the same series through seriesOf, without counting a read', async () => {
      const { reads, repository, warmer } = metricsServices();
      const window = { from: new Date('2026-02-01'), to: new Date('2026-02-04') };
      const query = { name: 'revenue', interval: 'day' as const, agg: 'avg' as const, groups: 10 };
      await reads.seriesOf(ORG_A, { ...query, ...window });
      await reads.seriesOf(ORG_A, { ...query, ...window });
      expect(count(repository.methods(), 'series')).toBe(1);
      expect(warmer.mostRead(ORG_A, new Set(['revenue']))).toEqual([]);
    });
  });
});
