import { type OrganizationId } from '@app/tenancy';
import type { UnitOfWork } from '@app/database';
import { randomUUID } from 'node:crypto';
import { ReportEntity } from '../../libs/reports/src/entities/report.entity';
import { ReportRunEntity } from '../../libs/reports/src/entities/report-run.entity';
import { ReportRunsRepository } from '../../libs/reports/src/repositories/report-runs.repository';
import { ReportsRepository } from '../../libs/reports/src/repositories/reports.repository';
import { repositoryDatabaseOfTwo, type RepositoryDatabase } from '../support/repository-database';

/** A transaction held open until `release()`; `ready` resolves with what `begin` answered. */
function heldTransaction<T>(
  repository: ReportsRepository,
  begin: (work: UnitOfWork) => Promise<T>,
): { ready: Promise<T>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let began!: (value: T) => void;
  const ready = new Promise<T>((resolve) => (began = resolve));
  const done = repository.inTransaction(async (work) => {
    began(await begin(work));
    await held;
  });
  return { ready, release, done };
}

/** Runs `work` in a transaction that gives up waiting for any lock after 300 ms. */
function impatiently<T>(repository: ReportsRepository, work: (unit: UnitOfWork) => Promise<T>) {
  return repository.inTransaction(async (unit) => {
    await unit.query(`SET LOCAL lock_timeout = '300ms'`);
    return work(unit);
  });
}

describe('ReportsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: ReportsRepository;
  let org: OrganizationId;
  let other: OrganizationId;

  beforeAll(async () => {
    ({ db, org, other } = await repositoryDatabaseOfTwo());
    repository = new ReportsRepository(db.dataSource.getRepository(ReportEntity));
  });
  afterAll(async () => {
    await db.close();
  });

  const row = (id: string) => db.dataSource.getRepository(ReportEntity).findOneByOrFail({ id });

  it("inserts in the caller's transaction: nothing is there when it rolls back", async () => {
    const made = await db.factory.newReport(org);
    const copy = { ...made, id: randomUUID(), name: 'kept?' };
    await expect(
      repository.inTransaction(async (work) => {
        await repository.insert(org, copy, work);
        await expect(repository.find(org, copy.id, work)).resolves.toMatchObject({
          organizationId: org,
          name: 'kept?',
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await expect(repository.find(org, copy.id)).resolves.toBeNull();
  });

  it("finds, counts, changes and deletes the organization's report; another sees nothing", async () => {
    const owner = await db.factory.newOrganization();
    const report = await db.factory.newReport(owner, { name: 'mine' });
    await expect(repository.find(owner, report.id)).resolves.toMatchObject({
      id: report.id,
      name: 'mine',
      metrics: [{ name: 'visits', dimensions: {}, aggregate: 'sum' }],
      formats: ['pdf'],
    });
    await expect(repository.count(owner)).resolves.toBe(1);

    await expect(repository.find(other, report.id)).resolves.toBeNull();
    await expect(repository.count(other)).resolves.toBe(0);
    await expect(
      repository.inTransaction((work) => repository.findForUpdate(other, report.id, work)),
    ).resolves.toBeNull();
    await repository.update(other, report.id, { name: 'taken' });
    await expect(repository.delete(other, report.id)).resolves.toBe(false);
    expect((await row(report.id)).name).toBe('mine');

    await repository.update(owner, report.id, { name: 'renamed', formats: ['csv', 'json'] });
    await expect(
      repository.inTransaction((work) => repository.findForUpdate(owner, report.id, work)),
    ).resolves.toMatchObject({ name: 'renamed', formats: ['csv', 'json'] });
    await expect(repository.delete(owner, report.id)).resolves.toBe(true);
    await expect(repository.find(owner, report.id)).resolves.toBeNull();
    await expect(repository.delete(owner, report.id)).resolves.toBe(false);
  });

  it('lists newest first, limit + 1 rows, goes on after a position, and only its own', async () => {
    const lister = await db.factory.newOrganization();
    const made: ReportEntity[] = [];
    for (let index = 0; index < 3; index++) made.push(await db.factory.newReport(lister));
    await db.factory.newReport(other);
    const newest = made.map((report) => report.id).reverse();
    const first = await repository.list(lister, 1, undefined);
    expect(first.map((keyed) => keyed.item.id)).toEqual(newest.slice(0, 2));
    const rest = await repository.list(lister, 5, first[0]?.position);
    expect(rest.map((keyed) => keyed.item.id)).toEqual(newest.slice(1));
  });

  describe('lockDue', () => {
    // Due times far from the factory's (null) and from each other test's, so only these are due.
    const at = (minute: number) => new Date(Date.UTC(2031, 0, 1, 0, minute));

    it('locks each due report for one transaction only; the other skips it', async () => {
      const due: ReportEntity[] = [];
      for (const minute of [1, 2, 3, 4])
        due.push(await db.factory.newReport(minute % 2 ? org : other, { nextDueAt: at(minute) }));
      const disabled = await db.factory.newReport(org, { nextDueAt: at(1), enabled: false });
      const later = await db.factory.newReport(org, { nextDueAt: at(30) });
      const now = at(10);
      const ids = (reports: ReportEntity[]) => reports.map((report) => report.id);

      const first = heldTransaction(repository, (work) => repository.lockDue(now, 2, work));
      const firstIds = ids(await first.ready);
      // The earliest due first, across organizations.
      expect(firstIds).toEqual([due[0]?.id, due[1]?.id]);
      // Concurrently: the rows the first holds are skipped, not waited for.
      const secondIds = ids(
        await impatiently(repository, (work) => repository.lockDue(now, 10, work)),
      );
      expect(secondIds).toEqual([due[2]?.id, due[3]?.id]);
      expect(secondIds).not.toContain(disabled.id);
      expect(secondIds).not.toContain(later.id);
      // The first's locks are row locks: updating its report waits (and times out here).
      await expect(
        impatiently(repository, (work) =>
          repository.update(org, firstIds[0] ?? '', { name: 'x' }, work),
        ),
      ).rejects.toThrow(/lock timeout/);
      first.release();
      await first.done;

      const after = ids(
        await repository.inTransaction((work) => repository.lockDue(now, 10, work)),
      );
      expect(after).toEqual(ids(due));
      // Cleared, so the other tests' lockDue sees none of these.
      for (const report of due)
        await repository.update(report.organizationId, report.id, { nextDueAt: null });
    });
  });

  describe('lockOrganization', () => {
    it("serialises one organization's creations until the transaction ends, not another's", async () => {
      const first = heldTransaction(repository, (work) => repository.lockOrganization(org, work));
      await first.ready;
      await expect(
        impatiently(repository, (work) => repository.lockOrganization(org, work)),
      ).rejects.toThrow(/lock timeout/);
      await expect(
        impatiently(repository, (work) => repository.lockOrganization(other, work)),
      ).resolves.toBeUndefined();
      // The run budget's lock of the same organization is another lock.
      const runs = new ReportRunsRepository(db.dataSource.getRepository(ReportRunEntity));
      await expect(
        impatiently(repository, (work) => runs.lockOrganization(org, work)),
      ).resolves.toBeUndefined();
      first.release();
      await first.done;
      await expect(
        impatiently(repository, (work) => repository.lockOrganization(org, work)),
      ).resolves.toBeUndefined();
    });
  });

  describe('disableWebhook', () => {
    const url = 'https://hooks.example.com/in';

    it('disables the webhook only while its URL is the one that answered 410', async () => {
      const report = await db.factory.newReport(org, { webhookUrl: url, webhookSecret: 'whsec_x' });
      await expect(
        repository.disableWebhook(org, report.id, 'https://hooks.example.com/old'),
      ).resolves.toBe(false);
      await expect(repository.disableWebhook(other, report.id, url)).resolves.toBe(false);
      expect((await row(report.id)).webhookDisabledAt).toBeNull();

      await expect(repository.disableWebhook(org, report.id, url)).resolves.toBe(true);
      const disabledAt = (await row(report.id)).webhookDisabledAt;
      expect(disabledAt).toBeInstanceOf(Date);
      // Already disabled: the first time stands.
      await expect(repository.disableWebhook(org, report.id, url)).resolves.toBe(false);
      expect((await row(report.id)).webhookDisabledAt).toEqual(disabledAt);
    });
  });
});
