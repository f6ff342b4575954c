import type { Principal } from '@app/access';
import { AuditService } from '@app/audit';
import {
  decodeCursor,
  type Page,
  PageQueryDto,
  ProblemException,
  type RequestMeta,
  toPage,
} from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type DatasetDto, mapDataset } from '../dtos/dataset.dto';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import { DatasetsRepository } from '../repositories/datasets.repository';

/** Reading and deleting datasets of the caller's organization. */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(organizationId: string, query: PageQueryDto): Promise<Page<DatasetDto>> {
    const rows = await this.datasets.list(organizationId, query.limit, decodeCursor(query.cursor));
    return toPage(rows, query.limit, mapDataset);
  }

  /** The dataset, or 404 — also for another organization's (never reveal it exists). */
  async get(organizationId: string, id: string): Promise<DatasetEntity> {
    const dataset = await this.datasets.find(organizationId, id);
    if (dataset === null) {
      throw new ProblemException(404, 'not-found', `There is no dataset ${id}`);
    }
    return dataset;
  }

  /** Deletes the dataset and drops its rows table, in one transaction. */
  async delete(principal: Principal, id: string, meta?: RequestMeta): Promise<void> {
    const dataset = await this.get(principal.organizationId, id);
    await this.dataSource.transaction(async (manager) => {
      const deleted = await this.datasets.delete(manager, principal.organizationId, id);
      if (!deleted) throw new ProblemException(404, 'not-found', `There is no dataset ${id}`);
      await manager.query(`DROP TABLE IF EXISTS ${datasetTable(dataset)}`);
    });
    await this.audit.record({
      actor: principal,
      action: 'dataset.deleted',
      outcome: 'success',
      target: { type: 'dataset', id },
      meta,
      details: { name: dataset.name },
    });
  }
}
