import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage, type UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import {
  type DeliveryStatus,
  ReportRunEntity,
  type ReportRunStatus,
  type ReportRunTrigger,
} from '../entities/report-run.entity';

export interface NewReportRun {
  id: string;
  reportId: string;
  trigger: ReportRunTrigger;
  dueAt: Date;
  periodStart: Date;
  periodEnd: Date;
  status: ReportRunStatus;
  error?: string | null;
  errorCode?: string | null;
  requestedBy?: string | null;
  finishedAt?: Date | null;
}

/** Runs that end a run: succeeded or failed, with the time. */
export type RunOutcome = Pick<ReportRunEntity, 'status' | 'deliveryStatus'> &
  Partial<Pick<ReportRunEntity, 'error' | 'errorCode' | 'summary'>>;

/**
 * Report runs, always within one organization (but for the housekeeping of stale and old
 * runs). A scheduled run is unique per (report, due time): inserting it again is a no-op.
 */
@Injectable()
export class ReportRunsRepository {
  constructor(
    @InjectRepository(ReportRunEntity) private readonly runs: Repository<ReportRunEntity>,
  ) {}

  inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.runs.manager.transaction(work);
  }

  find(
    organizationId: OrganizationId,
    id: string,
    work: UnitOfWork = this.runs.manager,
  ): Promise<ReportRunEntity | null> {
    return work.findOneBy(ReportRunEntity, { organizationId, id });
  }

  /**
   * Inserts runs in the caller's transaction and answers the ids that were new: a
   * scheduled due time another process inserted first is skipped (ON CONFLICT DO NOTHING).
   */
  async insert(
    organizationId: OrganizationId,
    runs: NewReportRun[],
    work: UnitOfWork,
  ): Promise<string[]> {
    if (runs.length === 0) return [];
    const result = await work
      .createQueryBuilder()
      .insert()
      .into(ReportRunEntity)
      .values(runs.map((run) => ({ ...run, organizationId })))
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as Array<{ id: string }>).map((row) => row.id);
  }

  list(
    organizationId: OrganizationId,
    reportId: string,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<ReportRunEntity>>> {
    const query = this.runs
      .createQueryBuilder('run')
      .where('run.organization_id = :organizationId AND run.report_id = :reportId', {
        organizationId,
        reportId,
      });
    return newestFirstPage(query, 'run', limit, after);
  }

  /** Serialises the organization's run starts until the transaction ends (the hourly budget). */
  async lockOrganization(organizationId: OrganizationId, work: UnitOfWork): Promise<void> {
    await work.query(`SELECT pg_advisory_xact_lock(hashtext('report-runs:' || $1))`, [
      organizationId,
    ]);
  }

  /** Runs the organization started since `since` (its hourly budget). */
  countSince(
    organizationId: OrganizationId,
    since: Date,
    work: UnitOfWork = this.runs.manager,
  ): Promise<number> {
    return (
      work
        .createQueryBuilder(ReportRunEntity, 'run')
        // Due times refused for the budget itself did not run: they do not spend it.
        .where(
          "run.organization_id = :organizationId AND run.created_at >= :since AND run.error_code IS DISTINCT FROM 'run-limit'",
          { organizationId, since },
        )
        .getCount()
    );
  }

  /**
   * Takes the run for generation: a queued one, or one whose generator went silent for
   * `staleAfterMs`. Answers the run as claimed, or null when another process has it or
   * it is done.
   */
  async claim(
    organizationId: OrganizationId,
    id: string,
    staleAfterMs: number,
  ): Promise<ReportRunEntity | null> {
    const [rows] = await this.runs.query<[Array<{ id: string }>, number]>(
      `UPDATE report_runs
       SET status = 'running', attempts = attempts + 1, heartbeat_at = now(),
         started_at = COALESCE(started_at, now())
       WHERE organization_id = $1 AND id = $2 AND (status = 'queued'
         OR (status = 'running' AND generated_at IS NULL
           AND heartbeat_at < now() - make_interval(secs => $3)))
       RETURNING id`,
      [organizationId, id, staleAfterMs / 1000],
    );
    return rows.length === 0 ? null : this.find(organizationId, id);
  }

  /** The generator's sign of life; false when the run is no longer its to generate. */
  async heartbeat(organizationId: OrganizationId, id: string): Promise<boolean> {
    const [rows] = await this.runs.query<[unknown[], number]>(
      `UPDATE report_runs SET heartbeat_at = now()
       WHERE organization_id = $1 AND id = $2 AND status = 'running' AND generated_at IS NULL
       RETURNING id`,
      [organizationId, id],
    );
    return rows.length > 0;
  }

  /**
   * Records the generated documents' run: finished when nothing is to be delivered,
   * `running` with a pending delivery otherwise. In the caller's transaction (the one
   * storing the documents and sending the delivery job).
   */
  async generated(
    organizationId: OrganizationId,
    id: string,
    changes: { summary: string; deliveryStatus: DeliveryStatus },
    work: UnitOfWork,
  ): Promise<boolean> {
    const finished = changes.deliveryStatus === 'none';
    const [rows] = await work.query<[unknown[], number]>(
      `UPDATE report_runs
       SET generated_at = now(), summary = $3, delivery_status = $4,
         status = CASE WHEN $5 THEN 'succeeded' ELSE 'running' END,
         finished_at = CASE WHEN $5 THEN now() ELSE NULL END
       WHERE organization_id = $1 AND id = $2 AND status = 'running' AND generated_at IS NULL
       RETURNING id`,
      [organizationId, id, changes.summary, changes.deliveryStatus, finished],
    );
    return rows.length > 0;
  }

  /**
   * Ends the run with `outcome` unless it already ended; with `attempt`, only while that
   * generation attempt is the latest (a process whose run was taken over ends nothing).
   */
  async finish(
    organizationId: OrganizationId,
    id: string,
    outcome: RunOutcome,
    { attempt, work = this.runs.manager }: { attempt?: number; work?: UnitOfWork } = {},
  ): Promise<boolean> {
    const query = work
      .createQueryBuilder()
      .update(ReportRunEntity)
      .set({ ...outcome, finishedAt: () => 'now()' })
      .where("organization_id = :organizationId AND id = :id AND status IN ('queued', 'running')", {
        organizationId,
        id,
      });
    if (attempt !== undefined) query.andWhere('attempts = :attempt', { attempt });
    const result = await query.execute();
    return (result.affected ?? 0) > 0;
  }

  /** Opens a generated run for delivery again (a redelivery): `running`, delivery pending. */
  async reopenDelivery(
    organizationId: OrganizationId,
    id: string,
    work: UnitOfWork,
  ): Promise<boolean> {
    const [rows] = await work.query<[unknown[], number]>(
      `UPDATE report_runs
       SET status = 'running', delivery_status = 'pending', finished_at = NULL,
         error = NULL, error_code = NULL
       WHERE organization_id = $1 AND id = $2 AND generated_at IS NOT NULL
         AND delivery_status <> 'pending'
       RETURNING id`,
      [organizationId, id],
    );
    return rows.length > 0;
  }

  /**
   * Generating runs whose process went silent for `staleAfterMs` (across organizations:
   * housekeeping, not a read on anyone's behalf).
   */
  async stale(
    staleAfterMs: number,
  ): Promise<Array<{ organizationId: OrganizationId; id: string }>> {
    const rows = await this.runs.query<Array<{ organization_id: string; id: string }>>(
      `SELECT organization_id, id FROM report_runs
       WHERE status = 'running' AND generated_at IS NULL
         AND heartbeat_at < now() - make_interval(secs => $1)
       ORDER BY heartbeat_at LIMIT 100`,
      [staleAfterMs / 1000],
    );
    return rows.map((row) => ({
      organizationId: organizationIdOf(row.organization_id),
      id: row.id,
    }));
  }

  /** Deletes finished runs created before `before` (their documents and deliveries go with them). */
  async deleteFinishedBefore(before: Date): Promise<number> {
    const [, affected] = await this.runs.query<[unknown[], number]>(
      `DELETE FROM report_runs WHERE created_at < $1 AND status IN ('succeeded', 'failed')`,
      [before],
    );
    return affected;
  }
}
