import type { OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { newestFirstPage, type UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DatasetEntity, datasetTable } from '../entities/dataset.entity';

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
    organizationId: OrganizationId,
    dataset: Omit<DatasetEntity, 'organizationId' | 'createdAt'>,
    work: UnitOfWork,
  ): Promise<DatasetEntity> {
    return work.save(DatasetEntity, work.create(DatasetEntity, { ...dataset, organizationId }));
  }

  find(organizationId: OrganizationId, id: string): Promise<DatasetEntity | null> {
    return this.datasets.findOneBy({ organizationId, id });
  }

  /**
   * A page of datasets without their profiles: a profile is up to ~1 KB per column, and a
   * page of 500 datasets of 1,000 columns each would read hundreds of megabytes of them.
   */
  list(
    organizationId: OrganizationId,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<DatasetSummary>>> {
    const query = this.datasets
      .createQueryBuilder('dataset')
      .select(SUMMARY_COLUMNS.map((column) => `dataset.${column}`))
      .where('dataset.organization_id = :organizationId', { organizationId });
    return newestFirstPage(query, 'dataset', limit, after);
  }

  /** Which of `ids` are datasets of the organization. */
  async existingIds(organizationId: OrganizationId, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.datasets.query<Array<{ id: string }>>(
      `SELECT id FROM datasets WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Deletes the dataset and drops its rows table, in one transaction; true when the
   * dataset was there to delete (nothing is dropped otherwise).
   */
  delete(
    organizationId: OrganizationId,
    dataset: Pick<DatasetEntity, 'id' | 'tableName'>,
  ): Promise<boolean> {
    return this.datasets.manager.transaction(async (work) => {
      const result = await work.delete(DatasetEntity, { organizationId, id: dataset.id });
      if ((result.affected ?? 0) === 0) return false;
      await work.query(`DROP TABLE IF EXISTS ${datasetTable(dataset)}`);
      return true;
    });
  }
}
