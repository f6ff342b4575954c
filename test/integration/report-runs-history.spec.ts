import { type OrganizationId } from '@app/tenancy';
import { randomUUID } from 'node:crypto';
import { ReportDeliveryEntity } from '../../libs/reports/src/entities/report-delivery.entity';
import { ReportDocumentEntity } from '../../libs/reports/src/entities/report-document.entity';
import { ReportRunEntity } from '../../libs/reports/src/entities/report-run.entity';
import type { ReportEntity } from '../../libs/reports/src/entities/report.entity';
import { ReportRunsRepository } from '../../libs/reports/src/repositories/report-runs.repository';
import { repositoryDatabaseOfTwo, type RepositoryDatabase } from '../support/repository-database';

const MINUTE_MS = 60_000;

/** ReportRunsRepository's reads across runs: staleness, the hourly count, pruning, history. */
describe('ReportRunsRepository across runs (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: ReportRunsRepository;
  let org: OrganizationId;
  let other: OrganizationId;
  let report: ReportEntity;

  beforeAll(async () => {
    ({ db, org, other } = await repositoryDatabaseOfTwo());
    repository = new ReportRunsRepository(db.dataSource.getRepository(ReportRunEntity));
    report = await db.factory.newReport(org);
  });
  afterAll(async () => {
    await db.close();
  });

  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE_MS);

  it('finds generating runs gone silent across organizations, the oldest heartbeat first', async () => {
    const theirReport = await db.factory.newReport(other);
    const silent = { status: 'running' as const };
    const mine = await db.factory.newReportRun(org, report.id, {
      ...silent,
      heartbeatAt: minutesAgo(30),
    });
    const theirs = await db.factory.newReportRun(other, theirReport.id, {
      ...silent,
      heartbeatAt: minutesAgo(20),
    });
    const excluded = await Promise.all([
      db.factory.newReportRun(org, report.id, { ...silent, heartbeatAt: new Date() }),
      db.factory.newReportRun(org, report.id, {
        ...silent,
        heartbeatAt: minutesAgo(30),
        generatedAt: minutesAgo(29),
      }),
      db.factory.newReportRun(org, report.id, { status: 'queued' }),
      db.factory.newReportRun(org, report.id, { status: 'failed', heartbeatAt: minutesAgo(30) }),
    ]);
    const stale = await repository.stale(5 * MINUTE_MS);
    expect(stale).toEqual(
      expect.arrayContaining([
        { organizationId: org, id: mine.id },
        { organizationId: other, id: theirs.id },
      ]),
    );
    const ids = stale.map((found) => found.id);
    expect(ids.indexOf(mine.id)).toBeLessThan(ids.indexOf(theirs.id));
    for (const run of excluded) expect(ids).not.toContain(run.id);
    // Finished here, so the later tests' runs are not among them.
    for (const run of [mine, theirs])
      await repository.finish(run.organizationId, run.id, {
        status: 'failed',
        deliveryStatus: 'none',
      });
  });

  it("counts the organization's runs started since a time, not those the budget refused", async () => {
    const counted = await db.factory.newOrganization();
    const countedReport = await db.factory.newReport(counted);
    for (const minutes of [90, 50, 10, 1])
      await db.factory.newReportRun(counted, countedReport.id, { createdAt: minutesAgo(minutes) });
    await db.factory.newReportRun(counted, countedReport.id, {
      status: 'failed',
      errorCode: 'run-limit',
      createdAt: minutesAgo(2),
    });
    // Failed for another reason, it did start.
    await db.factory.newReportRun(counted, countedReport.id, {
      status: 'failed',
      errorCode: 'generation-failed',
      createdAt: minutesAgo(100),
    });
    await db.factory.newReportRun(other, (await db.factory.newReport(other)).id);
    await expect(repository.countSince(counted, minutesAgo(60))).resolves.toBe(3);
    await expect(repository.countSince(counted, minutesAgo(5))).resolves.toBe(1);
    await expect(
      repository.inTransaction((work) => repository.countSince(counted, minutesAgo(120), work)),
    ).resolves.toBe(5);
  });

  it('deletes finished runs created before a time with their documents and deliveries', async () => {
    const old = new Date(Date.UTC(2020, 0, 1));
    const cutoff = new Date(Date.UTC(2020, 5, 1));
    const [succeeded, failed, running, queued, recent] = await Promise.all([
      db.factory.newReportRun(org, report.id, { status: 'succeeded', createdAt: old }),
      db.factory.newReportRun(other, (await db.factory.newReport(other)).id, {
        status: 'failed',
        createdAt: old,
      }),
      db.factory.newReportRun(org, report.id, { status: 'running', createdAt: old }),
      db.factory.newReportRun(org, report.id, { status: 'queued', createdAt: old }),
      db.factory.newReportRun(org, report.id, { status: 'succeeded' }),
    ]);
    if (succeeded === undefined || recent === undefined) throw new Error('no runs were made');
    for (const run of [succeeded, recent]) {
      await db.dataSource.getRepository(ReportDocumentEntity).insert({
        runId: run.id,
        organizationId: org,
        format: 'csv',
        contentType: 'text/csv',
        fileName: 'r.csv',
        body: Buffer.from('a,b\n'),
        sizeBytes: 4,
      });
      await db.dataSource.getRepository(ReportDeliveryEntity).insert({
        id: randomUUID(),
        organizationId: org,
        runId: run.id,
        attempt: 1,
        at: new Date(),
        statusCode: 200,
        durationMs: 5,
        error: null,
        outcome: 'delivered',
        nextRetryAt: null,
      });
    }

    await expect(repository.deleteFinishedBefore(cutoff)).resolves.toBe(2);
    const remaining = async (entity: typeof ReportDocumentEntity | typeof ReportDeliveryEntity) =>
      (await db.dataSource.getRepository(entity).findBy({})).map((found) => found.runId);
    const runs = db.dataSource.getRepository(ReportRunEntity);
    for (const gone of [succeeded, failed])
      await expect(runs.findOneBy({ id: gone?.id })).resolves.toBeNull();
    for (const kept of [running, queued, recent])
      await expect(runs.findOneBy({ id: kept?.id })).resolves.not.toBeNull();
    expect(await remaining(ReportDocumentEntity)).toEqual([recent.id]);
    expect(await remaining(ReportDeliveryEntity)).toEqual([recent.id]);
    await expect(repository.deleteFinishedBefore(cutoff)).resolves.toBe(0);
  });

  it("lists the report's runs newest first, and none for another organization", async () => {
    const listed = await db.factory.newReport(org);
    const made: ReportRunEntity[] = [];
    for (const minutes of [3, 2, 1])
      made.push(await db.factory.newReportRun(org, listed.id, { createdAt: minutesAgo(minutes) }));
    const newest = made.map((run) => run.id).reverse();
    const first = await repository.list(org, listed.id, 1, undefined);
    expect(first.map((keyed) => keyed.item.id)).toEqual(newest.slice(0, 2));
    const rest = await repository.list(org, listed.id, 5, first[0]?.position);
    expect(rest.map((keyed) => keyed.item.id)).toEqual(newest.slice(1));
    await expect(repository.list(other, listed.id, 5, undefined)).resolves.toEqual([]);
  });
});
