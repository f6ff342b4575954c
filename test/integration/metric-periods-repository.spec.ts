import { type OrganizationId } from '@app/tenancy';
import { MetricPeriodsRepository } from '../../libs/metrics/src/repositories/metric-periods.repository';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

const at = (iso: string) => new Date(iso);
const DATASET = '0b7e4c1a-3f2d-4e5b-9a6c-7d8e9f0a1b2c';

describe('MetricPeriodsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let periods: MetricPeriodsRepository;
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => {
    db = await repositoryDatabase();
    periods = new MetricPeriodsRepository(db.dataSource);
  });
  beforeEach(async () => {
    [org, other] = await Promise.all([db.factory.newOrganization(), db.factory.newOrganization()]);
  });
  afterAll(async () => {
    await db.close();
  });

  const march = { from: at('2027-03-01T00:00:00Z'), to: at('2027-04-01T00:00:00Z') };

  it('sums up the period: count, sum, min, max, average, last and p95, within [from, to)', async () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1);
    await db.factory.newMetrics(org, [
      ...values.map((value, index) => ({
        name: 'orders',
        value,
        unit: 'orders',
        observedAt: at(`2027-03-${String(index + 1).padStart(2, '0')}T12:00:00Z`),
      })),
      // Outside the period on either side, another name, another organization.
      { name: 'orders', value: 1000, observedAt: at('2027-02-28T23:59:59Z') },
      { name: 'orders', value: 1000, observedAt: at('2027-04-01T00:00:00Z') },
      { name: 'refunds', value: 1000, observedAt: at('2027-03-05T00:00:00Z') },
    ]);
    await db.factory.newMetrics(other, [
      { name: 'orders', value: 1000, observedAt: at('2027-03-05T00:00:00Z') },
    ]);
    const statistics = await periods.statistics(org, { name: 'orders', dimensions: {}, ...march });
    expect(statistics).toEqual({
      count: 20,
      sum: 210,
      min: 1,
      max: 20,
      average: 10.5,
      last: 20,
      // Linear interpolation between the 19th and 20th of 20 values (PostgreSQL's percentile_cont).
      p95: 19 + 0.05 * 1,
      unit: 'orders',
    });
  });

  it('narrows by dimensions and dataset, and answers nulls for an empty period', async () => {
    await db.factory.newMetrics(org, [
      {
        name: 'orders',
        value: 5,
        dimensions: { region: 'eu' },
        observedAt: at('2027-03-02T00:00:00Z'),
        datasetId: DATASET,
      },
      {
        name: 'orders',
        value: 7,
        dimensions: { region: 'us' },
        observedAt: at('2027-03-03T00:00:00Z'),
      },
    ]);
    const eu = await periods.statistics(org, {
      name: 'orders',
      dimensions: { region: 'eu' },
      ...march,
    });
    expect(eu).toMatchObject({ count: 1, sum: 5, last: 5 });
    const ofDataset = await periods.statistics(org, {
      name: 'orders',
      dimensions: {},
      datasetId: DATASET,
      ...march,
    });
    expect(ofDataset).toMatchObject({ count: 1, sum: 5 });
    await expect(
      periods.statistics(other, { name: 'orders', dimensions: {}, ...march }),
    ).resolves.toEqual({
      count: 0,
      sum: null,
      min: null,
      max: null,
      average: null,
      last: null,
      p95: null,
      unit: null,
    });
  });

  it('takes the latest observation as last, and among equal times the latest written', async () => {
    await db.factory.newMetrics(org, [
      { name: 'stock', value: 3, observedAt: at('2027-03-10T00:00:00Z') },
      { name: 'stock', value: 9, observedAt: at('2027-03-20T00:00:00Z') },
      { name: 'stock', value: 1, observedAt: at('2027-03-15T00:00:00Z') },
    ]);
    await expect(
      periods.statistics(org, { name: 'stock', dimensions: {}, ...march }),
    ).resolves.toMatchObject({ last: 9 });
  });

  it("averages points per bucket cut at the zone's local midnight", async () => {
    await db.factory.newMetrics(org, [
      // 23:30 UTC on 1 March is 00:30 on 2 March in Berlin (UTC+1).
      { name: 'load', value: 2, observedAt: at('2027-03-01T23:30:00Z') },
      { name: 'load', value: 4, observedAt: at('2027-03-02T10:00:00Z') },
      { name: 'load', value: 10, observedAt: at('2027-03-01T10:00:00Z') },
    ]);
    const query = { name: 'load', dimensions: {}, ...march };
    await expect(periods.buckets(org, query, 'day', 'Europe/Berlin')).resolves.toEqual([
      { at: at('2027-02-28T23:00:00Z'), value: 10 },
      { at: at('2027-03-01T23:00:00Z'), value: 3 },
    ]);
    await expect(periods.buckets(org, query, 'day', 'UTC')).resolves.toEqual([
      { at: at('2027-03-01T00:00:00Z'), value: 6 },
      { at: at('2027-03-02T00:00:00Z'), value: 4 },
    ]);
    await expect(periods.buckets(other, query, 'day', 'UTC')).resolves.toEqual([]);
  });
});
