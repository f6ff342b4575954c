import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage, type UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AnalysisEntity, type AnalysisStatus } from '../entities/analysis.entity';

/** Analyses, always within one organization (but for the queue's housekeeping, {@link stale}). */
@Injectable()
export class AnalysesRepository {
  constructor(
    @InjectRepository(AnalysisEntity) private readonly analyses: Repository<AnalysisEntity>,
  ) {}

  /** Runs `work` in a new transaction: committed when it returns, rolled back when it throws. */
  inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.analyses.manager.transaction(work);
  }

  find(organizationId: OrganizationId, id: string): Promise<AnalysisEntity | null> {
    return this.analyses.findOneBy({ organizationId, id });
  }

  /** Inserts within the caller's transaction (the one that enqueues its job). */
  insert(
    organizationId: OrganizationId,
    analysis: Omit<AnalysisEntity, 'organizationId' | 'createdAt' | 'heartbeatAt'>,
    work: UnitOfWork,
  ): Promise<AnalysisEntity> {
    return work.save(AnalysisEntity, work.create(AnalysisEntity, { ...analysis, organizationId }));
  }

  /**
   * Moves to `to` only from one of `from`; false when the analysis was elsewhere
   * (cancelled, done). In `work`'s transaction when given.
   */
  async transition(
    organizationId: OrganizationId,
    id: string,
    from: AnalysisStatus[],
    to: AnalysisStatus,
    changes: Partial<AnalysisEntity> = {},
    work: UnitOfWork = this.analyses.manager,
  ): Promise<boolean> {
    const result = await work
      .createQueryBuilder()
      .update(AnalysisEntity)
      .set({ ...changes, status: to } as never)
      .where('organization_id = :organizationId AND id = :id AND status IN (:...from)', {
        organizationId,
        id,
        from,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * The running process's sign of life; answers the status, so a run learns in the same
   * round trip that it was cancelled from another process.
   */
  async heartbeat(organizationId: OrganizationId, id: string): Promise<AnalysisStatus | undefined> {
    const [rows] = await this.analyses.query<[Array<{ status: AnalysisStatus }>, number]>(
      `UPDATE analyses SET heartbeat_at = now()
       WHERE organization_id = $1 AND id = $2 RETURNING status`,
      [organizationId, id],
    );
    return rows[0]?.status;
  }

  /**
   * Running analyses whose worker went silent for `staleAfterMs` (across organizations:
   * the queue's housekeeping, not a read on anyone's behalf).
   */
  async stale(
    staleAfterMs: number,
  ): Promise<Array<{ organizationId: OrganizationId; id: string }>> {
    const rows = await this.analyses.query<Array<{ organization_id: string; id: string }>>(
      `SELECT organization_id, id FROM analyses
       WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
       ORDER BY heartbeat_at LIMIT 100`,
      [staleAfterMs / 1000],
    );
    return rows.map((row) => ({
      organizationId: organizationIdOf(row.organization_id),
      id: row.id,
    }));
  }

  /** Takes a stale analysis for reaping: true for the one consumer whose claim landed. */
  async claimStale(
    organizationId: OrganizationId,
    id: string,
    staleAfterMs: number,
  ): Promise<boolean> {
    const [rows] = await this.analyses.query<[unknown[], number]>(
      `UPDATE analyses SET heartbeat_at = now()
       WHERE organization_id = $1 AND id = $2 AND status = 'running'
         AND heartbeat_at < now() - make_interval(secs => $3)
       RETURNING id`,
      [organizationId, id, staleAfterMs / 1000],
    );
    return rows.length > 0;
  }

  list(
    organizationId: OrganizationId,
    filter: { status?: AnalysisStatus; datasetId?: string },
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<AnalysisEntity>>> {
    const query = this.analyses
      .createQueryBuilder('analysis')
      .where('analysis.organization_id = :organizationId', { organizationId });
    if (filter.status !== undefined) {
      query.andWhere('analysis.status = :status', { status: filter.status });
    }
    if (filter.datasetId !== undefined) {
      query.andWhere('analysis.dataset_id = :datasetId', { datasetId: filter.datasetId });
    }
    return newestFirstPage(query, 'analysis', limit, after);
  }
}
