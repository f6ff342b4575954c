import { type OrganizationId } from '@app/tenancy';
import type { UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { type DeliveryOutcome, ReportDeliveryEntity } from '../entities/report-delivery.entity';

export interface NewDeliveryAttempt {
  id: string;
  runId: string;
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: DeliveryOutcome;
  nextRetryAt: Date | null;
}

/** Delivery attempts of runs, always within one organization. */
@Injectable()
export class ReportDeliveriesRepository {
  constructor(
    @InjectRepository(ReportDeliveryEntity)
    private readonly deliveries: Repository<ReportDeliveryEntity>,
  ) {}

  /**
   * Records an attempt; false when that attempt number is already recorded (a job run
   * twice by the queue), so the caller does not act on it twice.
   */
  async record(
    organizationId: OrganizationId,
    attempt: NewDeliveryAttempt,
    work: UnitOfWork = this.deliveries.manager,
  ): Promise<boolean> {
    const result = await work
      .createQueryBuilder()
      .insert()
      .into(ReportDeliveryEntity)
      .values({ ...attempt, organizationId })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Every attempt of the run, first first. */
  list(organizationId: OrganizationId, runId: string): Promise<ReportDeliveryEntity[]> {
    return this.deliveries.find({ where: { organizationId, runId }, order: { attempt: 'ASC' } });
  }

  /** Attempts of each run among `runIds` (for a page of history). */
  async countByRun(organizationId: OrganizationId, runIds: string[]): Promise<Map<string, number>> {
    if (runIds.length === 0) return new Map();
    const rows = await this.deliveries
      .createQueryBuilder('delivery')
      .select('delivery.run_id', 'runId')
      .addSelect('count(*)::int', 'count')
      .where('delivery.organization_id = :organizationId AND delivery.run_id IN (:...runIds)', {
        organizationId,
        runIds,
      })
      .groupBy('delivery.run_id')
      .getRawMany<{ runId: string; count: number }>();
    return new Map(rows.map((row) => [row.runId, row.count]));
  }

  /** The number the run's next attempt gets. */
  async nextAttempt(organizationId: OrganizationId, runId: string): Promise<number> {
    const row = await this.deliveries
      .createQueryBuilder('delivery')
      .select('COALESCE(max(delivery.attempt), 0) + 1', 'next')
      .where('delivery.organization_id = :organizationId AND delivery.run_id = :runId', {
        organizationId,
        runId,
      })
      .getRawOne<{ next: number }>();
    return Number(row?.next ?? 1);
  }
}
