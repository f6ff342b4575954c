import { type OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage, type UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ReportEntity } from '../entities/report.entity';

export type NewReport = Omit<ReportEntity, 'organizationId' | 'createdAt' | 'updatedAt'>;
export type ReportChanges = Partial<
  Omit<ReportEntity, 'id' | 'organizationId' | 'createdAt' | 'updatedAt' | 'createdBy'>
>;

/** Report definitions, always within one organization (but for the scheduler's {@link lockDue}). */
@Injectable()
export class ReportsRepository {
  constructor(@InjectRepository(ReportEntity) private readonly reports: Repository<ReportEntity>) {}

  /** Runs `work` in a new transaction: committed when it returns, rolled back when it throws. */
  inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.reports.manager.transaction(work);
  }

  find(
    organizationId: OrganizationId,
    id: string,
    work: UnitOfWork = this.reports.manager,
  ): Promise<ReportEntity | null> {
    return work.findOneBy(ReportEntity, { organizationId, id });
  }

  /** The report, locked until the caller's transaction ends (a change or a run being started). */
  findForUpdate(
    organizationId: OrganizationId,
    id: string,
    work: UnitOfWork,
  ): Promise<ReportEntity | null> {
    return work
      .createQueryBuilder(ReportEntity, 'report')
      .setLock('pessimistic_write')
      .where('report.organization_id = :organizationId AND report.id = :id', {
        organizationId,
        id,
      })
      .getOne();
  }

  /**
   * Serialises the organization's report creations until the transaction ends, so two
   * at once cannot both pass the count limit.
   */
  async lockOrganization(organizationId: OrganizationId, work: UnitOfWork): Promise<void> {
    await work.query(`SELECT pg_advisory_xact_lock(hashtext('reports:' || $1))`, [organizationId]);
  }

  count(organizationId: OrganizationId, work: UnitOfWork = this.reports.manager): Promise<number> {
    return work.countBy(ReportEntity, { organizationId });
  }

  insert(
    organizationId: OrganizationId,
    report: NewReport,
    work: UnitOfWork,
  ): Promise<ReportEntity> {
    return work.save(ReportEntity, work.create(ReportEntity, { ...report, organizationId }));
  }

  async update(
    organizationId: OrganizationId,
    id: string,
    changes: ReportChanges,
    work: UnitOfWork = this.reports.manager,
  ): Promise<void> {
    await work.update(ReportEntity, { organizationId, id }, changes);
  }

  async delete(organizationId: OrganizationId, id: string): Promise<boolean> {
    const result = await this.reports.delete({ organizationId, id });
    return (result.affected ?? 0) > 0;
  }

  list(
    organizationId: OrganizationId,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<ReportEntity>>> {
    const query = this.reports
      .createQueryBuilder('report')
      .where('report.organization_id = :organizationId', { organizationId });
    return newestFirstPage(query, 'report', limit, after);
  }

  /**
   * Enabled reports with a due time at or before `now`, across organizations (the
   * scheduler's work, not a read on anyone's behalf), locked for the caller's transaction;
   * rows another process holds are skipped, so each is scheduled by one process at a time.
   */
  lockDue(now: Date, limit: number, work: UnitOfWork): Promise<ReportEntity[]> {
    return work
      .createQueryBuilder(ReportEntity, 'report')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('report.enabled AND report.next_due_at <= :now', { now })
      .orderBy('report.next_due_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Disables the webhook after a 410, unless its URL changed meanwhile (the new one
   * deserves its own chance).
   */
  async disableWebhook(organizationId: OrganizationId, id: string, url: string): Promise<boolean> {
    const result = await this.reports
      .createQueryBuilder()
      .update(ReportEntity)
      .set({ webhookDisabledAt: () => 'now()' })
      .where(
        'organization_id = :organizationId AND id = :id AND webhook_url = :url AND webhook_disabled_at IS NULL',
        { organizationId, id, url },
      )
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
