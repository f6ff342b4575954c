import { type OrganizationId } from '@app/tenancy';
import type { UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ReportDocumentEntity } from '../entities/report-document.entity';
import type { ReportFormatName } from '../entities/report.entity';

export interface NewReportDocument {
  format: ReportFormatName;
  contentType: string;
  fileName: string;
  body: Buffer;
}

/** A run's stored documents, always within one organization. */
@Injectable()
export class ReportDocumentsRepository {
  constructor(
    @InjectRepository(ReportDocumentEntity)
    private readonly documents: Repository<ReportDocumentEntity>,
  ) {}

  /** Stores a run's documents in the caller's transaction, replacing an earlier attempt's. */
  async replace(
    organizationId: OrganizationId,
    runId: string,
    documents: NewReportDocument[],
    work: UnitOfWork,
  ): Promise<void> {
    await work.delete(ReportDocumentEntity, { organizationId, runId });
    for (const document of documents) {
      await work.insert(ReportDocumentEntity, {
        ...document,
        organizationId,
        runId,
        sizeBytes: document.body.length,
      });
    }
  }

  find(
    organizationId: OrganizationId,
    runId: string,
    format: ReportFormatName,
  ): Promise<ReportDocumentEntity | null> {
    return this.documents.findOneBy({ organizationId, runId, format });
  }

  /** The formats a run has documents in, with their sizes (not their bodies). */
  async formats(
    organizationId: OrganizationId,
    runId: string,
  ): Promise<Array<{ format: ReportFormatName; sizeBytes: number }>> {
    return this.documents.find({
      select: { format: true, sizeBytes: true },
      where: { organizationId, runId },
      order: { format: 'ASC' },
    });
  }
}
