import { type OrganizationId } from '@app/tenancy';
import { ReportDocumentEntity } from '../../libs/reports/src/entities/report-document.entity';
import type { ReportRunEntity } from '../../libs/reports/src/entities/report-run.entity';
import {
  type NewReportDocument,
  ReportDocumentsRepository,
} from '../../libs/reports/src/repositories/report-documents.repository';
import { repositoryDatabaseOfTwo, type RepositoryDatabase } from '../support/repository-database';

const documentOf = (format: 'pdf' | 'csv' | 'json', text: string): NewReportDocument => ({
  format,
  contentType: format === 'pdf' ? 'application/pdf' : `text/${format}`,
  fileName: `report.${format}`,
  body: Buffer.from(text),
});

describe('ReportDocumentsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: ReportDocumentsRepository;
  let org: OrganizationId;
  let other: OrganizationId;
  let run: ReportRunEntity;

  beforeAll(async () => {
    ({ db, org, other } = await repositoryDatabaseOfTwo());
    repository = new ReportDocumentsRepository(db.dataSource.getRepository(ReportDocumentEntity));
    run = await db.factory.newReportRun(org, (await db.factory.newReport(org)).id);
  });
  afterAll(async () => {
    await db.close();
  });

  const replace = (organizationId: OrganizationId, documents: NewReportDocument[]) =>
    db.dataSource.transaction((work) =>
      repository.replace(organizationId, run.id, documents, work),
    );

  it("stores a run's documents, found by format and listed with their sizes", async () => {
    await replace(org, [documentOf('pdf', '%PDF-1.7 two'), documentOf('csv', 'a,b\n1,2\n')]);
    const csv = await repository.find(org, run.id, 'csv');
    expect(csv).toMatchObject({
      runId: run.id,
      organizationId: org,
      format: 'csv',
      contentType: 'text/csv',
      fileName: 'report.csv',
      sizeBytes: 8,
    });
    expect(csv?.body.toString()).toBe('a,b\n1,2\n');
    await expect(repository.find(org, run.id, 'json')).resolves.toBeNull();
    // Sorted by format, without the bodies.
    await expect(repository.formats(org, run.id)).resolves.toEqual([
      { format: 'csv', sizeBytes: 8 },
      { format: 'pdf', sizeBytes: 12 },
    ]);
  });

  it("replaces an earlier attempt's documents entirely", async () => {
    await replace(org, [documentOf('pdf', 'first'), documentOf('csv', 'first')]);
    await replace(org, [documentOf('json', '{"second":true}')]);
    await expect(repository.formats(org, run.id)).resolves.toEqual([
      { format: 'json', sizeBytes: 15 },
    ]);
    await expect(repository.find(org, run.id, 'pdf')).resolves.toBeNull();
  });

  it('keeps the documents before when the transaction rolls back', async () => {
    await replace(org, [documentOf('csv', 'kept')]);
    await expect(
      db.dataSource.transaction(async (work) => {
        await repository.replace(org, run.id, [documentOf('pdf', 'lost')], work);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await repository.find(org, run.id, 'csv'))?.body.toString()).toBe('kept');
  });

  it("shows another organization nothing, and its replace removes nothing of this one's", async () => {
    await replace(org, [documentOf('csv', 'mine')]);
    await expect(repository.find(other, run.id, 'csv')).resolves.toBeNull();
    await expect(repository.formats(other, run.id)).resolves.toEqual([]);
    await replace(other, []);
    await expect(repository.formats(org, run.id)).resolves.toEqual([
      { format: 'csv', sizeBytes: 4 },
    ]);
  });
});
