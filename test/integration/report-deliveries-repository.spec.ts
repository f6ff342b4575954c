import { type OrganizationId } from '@app/tenancy';
import { randomUUID } from 'node:crypto';
import { ReportDeliveryEntity } from '../../libs/reports/src/entities/report-delivery.entity';
import {
  type NewDeliveryAttempt,
  ReportDeliveriesRepository,
} from '../../libs/reports/src/repositories/report-deliveries.repository';
import { repositoryDatabaseOfTwo, type RepositoryDatabase } from '../support/repository-database';

describe('ReportDeliveriesRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: ReportDeliveriesRepository;
  let org: OrganizationId;
  let other: OrganizationId;
  let reportId: string;

  beforeAll(async () => {
    ({ db, org, other } = await repositoryDatabaseOfTwo());
    repository = new ReportDeliveriesRepository(db.dataSource.getRepository(ReportDeliveryEntity));
    reportId = (await db.factory.newReport(org)).id;
  });
  afterAll(async () => {
    await db.close();
  });

  const newRunId = async () => (await db.factory.newReportRun(org, reportId)).id;
  const attemptOf = (
    runId: string,
    attempt: number,
    fields: Partial<NewDeliveryAttempt> = {},
  ): NewDeliveryAttempt => ({
    id: randomUUID(),
    runId,
    attempt,
    at: new Date(Date.UTC(2027, 0, 1, 0, attempt)),
    statusCode: 503,
    durationMs: 40,
    error: 'HTTP 503',
    outcome: 'retry',
    nextRetryAt: new Date(Date.UTC(2027, 0, 1, 1, attempt)),
    ...fields,
  });

  it('records each attempt number once: the same number again answers false', async () => {
    const runId = await newRunId();
    await expect(repository.record(org, attemptOf(runId, 1))).resolves.toBe(true);
    const twice = attemptOf(runId, 1, { statusCode: 200, outcome: 'delivered' });
    await expect(repository.record(org, twice)).resolves.toBe(false);
    const attempts = await repository.list(org, runId);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ attempt: 1, statusCode: 503, outcome: 'retry' });
  });

  it('lists the attempts first first, with what each found, for the organization only', async () => {
    const runId = await newRunId();
    await repository.record(org, attemptOf(runId, 2, { statusCode: 200, outcome: 'delivered' }));
    await repository.record(org, attemptOf(runId, 1));
    const listed = await repository.list(org, runId);
    expect(listed.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(listed[1]).toMatchObject({
      organizationId: org,
      runId,
      statusCode: 200,
      durationMs: 40,
      outcome: 'delivered',
      at: new Date(Date.UTC(2027, 0, 1, 0, 2)),
    });
    await expect(repository.list(other, runId)).resolves.toEqual([]);
  });

  it("records in the caller's transaction, undone when it rolls back", async () => {
    const runId = await newRunId();
    await expect(
      db.dataSource.transaction(async (work) => {
        await expect(repository.record(org, attemptOf(runId, 1), work)).resolves.toBe(true);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await expect(repository.list(org, runId)).resolves.toEqual([]);
  });

  it('counts the attempts of each run asked about, within the organization', async () => {
    const [two, one, none] = [await newRunId(), await newRunId(), await newRunId()];
    for (const attempt of [1, 2]) await repository.record(org, attemptOf(two, attempt));
    await repository.record(org, attemptOf(one, 1));
    await expect(repository.countByRun(org, [two, one, none])).resolves.toEqual(
      new Map([
        [two, 2],
        [one, 1],
      ]),
    );
    await expect(repository.countByRun(org, [one])).resolves.toEqual(new Map([[one, 1]]));
    await expect(repository.countByRun(other, [two, one])).resolves.toEqual(new Map());
    await expect(repository.countByRun(org, [])).resolves.toEqual(new Map());
  });

  it('numbers the next attempt after the highest recorded', async () => {
    const runId = await newRunId();
    await expect(repository.nextAttempt(org, runId)).resolves.toBe(1);
    await repository.record(org, attemptOf(runId, 1));
    await repository.record(org, attemptOf(runId, 3));
    await expect(repository.nextAttempt(org, runId)).resolves.toBe(4);
    await expect(repository.nextAttempt(other, runId)).resolves.toBe(1);
  });
});
