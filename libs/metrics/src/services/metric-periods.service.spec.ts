import { organizationIdOf } from '@app/tenancy';
import type { MetricPeriodsRepository } from '../repositories/metric-periods.repository';
import { MetricPeriodsService } from './metric-periods.service';

const ORG = organizationIdOf('7d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a');
const STATISTICS = { count: 1, sum: 2, min: 2, max: 2, average: 2, last: 2, p95: 2, unit: null };

describe('MetricPeriodsService', () => {
  const repository = {
    statistics: jest.fn().mockResolvedValue(STATISTICS),
    buckets: jest.fn().mockResolvedValue([]),
  };
  const service = new MetricPeriodsService(repository as unknown as MetricPeriodsRepository);
  const query = {
    name: 'orders',
    dimensions: {},
    from: new Date('2027-03-01T00:00:00Z'),
    to: new Date('2027-04-01T00:00:00Z'),
  };

  it('reads the statistics and buckets of a period for the organization', async () => {
    await expect(service.statistics(ORG, query)).resolves.toEqual(STATISTICS);
    expect(repository.statistics).toHaveBeenCalledWith(ORG, query);
    await service.buckets(ORG, query, 'day', 'Europe/Berlin');
    expect(repository.buckets).toHaveBeenCalledWith(ORG, query, 'day', 'Europe/Berlin');
  });

  it('refuses a period that does not end after it starts, before any query', async () => {
    repository.statistics.mockClear();
    const empty = { ...query, to: query.from };
    await expect(service.statistics(ORG, empty)).rejects.toThrow(RangeError);
    await expect(service.buckets(ORG, empty, 'day', 'UTC')).rejects.toThrow(RangeError);
    expect(repository.statistics).not.toHaveBeenCalled();
  });
});
