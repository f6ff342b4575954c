import type { OrganizationId } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import {
  type MetricPeriodBucket,
  type MetricPeriodQuery,
  MetricPeriodsRepository,
  type MetricPeriodStatistics,
} from '../repositories/metric-periods.repository';
import type { SeriesInterval } from '../repositories/metric-queries';

/**
 * A metric summed up over a period, for another module (reports): read uncached, since a
 * period is read once per run and its end is usually the present.
 */
@Injectable()
export class MetricPeriodsService {
  constructor(private readonly periods: MetricPeriodsRepository) {}

  async statistics(
    organizationId: OrganizationId,
    query: MetricPeriodQuery,
  ): Promise<MetricPeriodStatistics> {
    assertPeriod(query);
    return this.periods.statistics(organizationId, query);
  }

  async buckets(
    organizationId: OrganizationId,
    query: MetricPeriodQuery,
    interval: SeriesInterval,
    timezone: string,
  ): Promise<MetricPeriodBucket[]> {
    assertPeriod(query);
    return this.periods.buckets(organizationId, query, interval, timezone);
  }
}

function assertPeriod(query: MetricPeriodQuery): void {
  if (!(query.from.getTime() < query.to.getTime())) {
    throw new RangeError(`A period must end after it starts (${query.from.toISOString()})`);
  }
}
