import type { OrganizationId } from '@app/tenancy';
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
import { type DatasetDto, mapDataset } from '../dtos/dataset.dto';
import type { DatasetEntity } from '../entities/dataset.entity';
import { DatasetsRepository } from '../repositories/datasets.repository';

/** Reading and deleting datasets of the caller's organization. */
@Injectable()
export class DatasetsService {
  constructor(
    private readonly datasets: DatasetsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(organizationId: OrganizationId, query: PageQueryDto): Promise<Page<DatasetDto>> {
    const rows = await this.datasets.list(organizationId, query.limit, decodeCursor(query.cursor));
    return toPage(rows, query.limit, mapDataset);
  }

  /** The dataset, or null when the organization has none of that id (another's included). */
  find(organizationId: OrganizationId, id: string): Promise<DatasetEntity | null> {
    return this.datasets.find(organizationId, id);
  }

  /** The dataset, or 404 — also for another organization's (never reveal it exists). */
  async get(organizationId: OrganizationId, id: string): Promise<DatasetEntity> {
    const dataset = await this.find(organizationId, id);
    if (dataset === null) {
      throw new ProblemException(404, 'not-found', `There is no dataset ${id}`);
    }
    return dataset;
  }

  /** Which of `ids` name datasets of the organization (the others are not there for it). */
  existingIds(organizationId: OrganizationId, ids: readonly string[]): Promise<Set<string>> {
    return this.datasets.existingIds(organizationId, ids);
  }

  /** Deletes the dataset and drops its rows table, in one transaction. */
  async delete(principal: Principal, id: string, meta?: RequestMeta): Promise<void> {
    const dataset = await this.get(principal.organizationId, id);
    if (!(await this.datasets.delete(principal.organizationId, dataset))) {
      throw new ProblemException(404, 'not-found', `There is no dataset ${id}`);
    }
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
