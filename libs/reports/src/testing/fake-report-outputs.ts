import type { OrganizationId } from '@app/tenancy';
import type { JobQueue, UnitOfWork } from '@app/database';
import type { ReportDeliveryEntity } from '../entities/report-delivery.entity';
import type { ReportDocumentEntity } from '../entities/report-document.entity';
import type { ReportRunEntity } from '../entities/report-run.entity';
import type { ReportFormatName } from '../entities/report.entity';
import type { ReportDeliveriesRepository } from '../repositories/report-deliveries.repository';
import type { ReportDocumentsRepository } from '../repositories/report-documents.repository';

/* What a run leaves behind (documents, delivery attempts) and the job queue, in memory. */

/** ReportDocumentsRepository over documents in memory. */
export class FakeReportDocuments {
  constructor(readonly documents: ReportDocumentEntity[] = []) {}

  find(organizationId: OrganizationId, runId: string, format: ReportFormatName) {
    const found = this.of(organizationId, runId).find((document) => document.format === format);
    return Promise.resolve(found ?? null);
  }

  formats(organizationId: OrganizationId, runId: string) {
    const formats = this.of(organizationId, runId)
      .map(({ format, sizeBytes }) => ({ format, sizeBytes }))
      .sort((a, b) => a.format.localeCompare(b.format));
    return Promise.resolve(formats);
  }

  private of(organizationId: OrganizationId, runId: string) {
    return this.documents.filter(
      (document) => document.organizationId === organizationId && document.runId === runId,
    );
  }

  asRepository(): ReportDocumentsRepository {
    return this as unknown as ReportDocumentsRepository;
  }
}

/** A run's stored document in `format`. */
export function reportDocument(
  run: Pick<ReportRunEntity, 'id' | 'organizationId'>,
  format: ReportFormatName,
  body = `a ${format} document`,
): ReportDocumentEntity {
  return {
    runId: run.id,
    organizationId: run.organizationId,
    format,
    contentType: `application/${format}`,
    fileName: `report.${format}`,
    body: Buffer.from(body),
    sizeBytes: Buffer.byteLength(body),
    createdAt: new Date(Date.UTC(2027, 0, 2, 8, 1)),
  };
}

/** ReportDeliveriesRepository over attempts in memory. */
export class FakeReportDeliveries {
  constructor(readonly attempts: ReportDeliveryEntity[] = []) {}

  list(organizationId: OrganizationId, runId: string): Promise<ReportDeliveryEntity[]> {
    const listed = this.attempts
      .filter((attempt) => attempt.organizationId === organizationId && attempt.runId === runId)
      .sort((a, b) => a.attempt - b.attempt);
    return Promise.resolve(listed);
  }

  countByRun(organizationId: OrganizationId, runIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const attempt of this.attempts)
      if (attempt.organizationId === organizationId && runIds.includes(attempt.runId))
        counts.set(attempt.runId, (counts.get(attempt.runId) ?? 0) + 1);
    return Promise.resolve(counts);
  }

  asRepository(): ReportDeliveriesRepository {
    return this as unknown as ReportDeliveriesRepository;
  }
}

/** JobQueue recording what is sent in which transaction. */
export class FakeJobQueue {
  readonly sent: Array<{ work: UnitOfWork; name: string; data: unknown }> = [];

  sendInTransaction(work: UnitOfWork, name: string, data: unknown): Promise<string> {
    this.sent.push({ work, name, data });
    return Promise.resolve(`job-${this.sent.length}`);
  }

  asQueue(): JobQueue {
    return this as unknown as JobQueue;
  }
}
