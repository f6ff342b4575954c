import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { DatasetEntity } from '../entities/dataset.entity';

/** A dataset as lists show it: everything but its profile. */
export type DatasetSummary = Omit<DatasetEntity, 'profile'>;

const SUMMARY_COLUMNS = [
  'id',
  'organizationId',
  'name',
  'status',
  'tableName',
  'rowCount',
  'byteSize',
  'delimiter',
  'hasHeader',
  'columns',
  'typeChanges',
  'createdBy',
  'createdAt',
] as const satisfies ReadonlyArray<keyof DatasetSummary>;

/** Datasets, always within one organization: no method reads across tenants. */
@Injectable()
export class DatasetsRepository {
  constructor(
    @InjectRepository(DatasetEntity) private readonly datasets: Repository<DatasetEntity>,
  ) {}

  /** Inserts within the caller's transaction (the one that loaded the rows). */
  async insert(
    manager: EntityManager,
    dataset: Omit<DatasetEntity, 'createdAt'>,
  ): Promise<DatasetEntity> {
    return manager.save(DatasetEntity, manager.create(DatasetEntity, dataset));
  }

  find(organizationId: string, id: string): Promise<DatasetEntity | null> {
    return this.datasets.findOneBy({ organizationId, id });
  }

  /**
   * A page of datasets without their profiles: a profile is up to ~1 KB per column, and a
   * page of 500 datasets of 1,000 columns each would read hundreds of megabytes of them.
   */
  list(
    organizationId: string,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<DatasetSummary>>> {
    const query = this.datasets
      .createQueryBuilder('dataset')
      .select(SUMMARY_COLUMNS.map((column) => `dataset.${column}`))
      .where('dataset.organization_id = :organizationId', { organizationId });
    return newestFirstPage(query, 'dataset', limit, after);
  }

  /** Deletes within the caller's transaction; true when a row went. */
  async delete(manager: EntityManager, organizationId: string, id: string): Promise<boolean> {
    const result = await manager.delete(DatasetEntity, { organizationId, id });
    return (result.affected ?? 0) > 0;
  }
}
