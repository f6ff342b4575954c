import type { KeysetPosition } from '@app/common';
import { newestFirstAfter } from '@app/database';
import { DatasetEntity } from '@app/datasets';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AnalysisEntity, type AnalysisStatus } from '../entities/analysis.entity';

/** Analyses and the datasets they read, always within one organization. */
@Injectable()
export class AnalysisStore {
  constructor(
    @InjectRepository(AnalysisEntity) private readonly analyses: Repository<AnalysisEntity>,
    @InjectRepository(DatasetEntity) private readonly datasets: Repository<DatasetEntity>,
  ) {}

  find(organizationId: string, id: string): Promise<AnalysisEntity | null> {
    return this.analyses.findOneBy({ organizationId, id });
  }

  dataset(organizationId: string, id: string): Promise<DatasetEntity | null> {
    return this.datasets.findOneBy({ organizationId, id });
  }

  /**
   * Moves to `to` only from one of `from`; false when the analysis was elsewhere
   * (cancelled, done). In `manager`'s transaction when given.
   */
  async transition(
    organizationId: string,
    id: string,
    from: AnalysisStatus[],
    to: AnalysisStatus,
    changes: Partial<AnalysisEntity> = {},
    manager: EntityManager = this.analyses.manager,
  ): Promise<boolean> {
    const result = await manager
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

  list(
    organizationId: string,
    filter: { status?: AnalysisStatus; datasetId?: string },
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<AnalysisEntity[]> {
    const query = this.analyses
      .createQueryBuilder('analysis')
      .where('analysis.organization_id = :organizationId', { organizationId });
    if (filter.status !== undefined) {
      query.andWhere('analysis.status = :status', { status: filter.status });
    }
    if (filter.datasetId !== undefined) {
      query.andWhere('analysis.dataset_id = :datasetId', { datasetId: filter.datasetId });
    }
    return newestFirstAfter(query, 'analysis', limit, after).getMany();
  }
}
