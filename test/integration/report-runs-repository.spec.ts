import { type OrganizationId } from '@app/tenancy';
import { randomUUID } from 'node:crypto';
import { ReportRunEntity } from '../../libs/reports/src/entities/report-run.entity';
import type { ReportEntity } from '../../libs/reports/src/entities/report.entity';
import {
  type NewReportRun,
  ReportRunsRepository,
} from '../../libs/reports/src/repositories/report-runs.repository';
import { repositoryDatabaseOfTwo, type RepositoryDatabase } from '../support/repository-database';

const MINUTE_MS = 60_000;

describe('ReportRunsRepository (real PostgreSQL)', () => {
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
  const row = (id: string) => db.dataSource.getRepository(ReportRunEntity).findOneByOrFail({ id });
  const newRun = (fields: Partial<NewReportRun> = {}): NewReportRun => {
    const dueAt = fields.dueAt ?? new Date(Date.UTC(2027, 5, 1, 8));
    return {
      id: randomUUID(),
      reportId: report.id,
      trigger: 'schedule',
      dueAt,
      periodStart: new Date(dueAt.getTime() - 24 * 60 * MINUTE_MS),
      periodEnd: dueAt,
      status: 'queued',
      ...fields,
    };
  };
  const insert = (organizationId: OrganizationId, runs: NewReportRun[]) =>
    repository.inTransaction((work) => repository.insert(organizationId, runs, work));

  describe('insert', () => {
    it('skips a scheduled due time inserted before, answering only the new ids', async () => {
      const dueAt = new Date(Date.UTC(2027, 0, 4, 8));
      const first = newRun({ dueAt });
      await expect(insert(org, [first])).resolves.toEqual([first.id]);

      const again = newRun({ dueAt });
      const next = newRun({ dueAt: new Date(Date.UTC(2027, 0, 5, 8)) });
      await expect(insert(org, [again, next])).resolves.toEqual([next.id]);
      await expect(repository.find(org, again.id)).resolves.toBeNull();
      await expect(repository.find(org, first.id)).resolves.toMatchObject({
        organizationId: org,
        reportId: report.id,
        trigger: 'schedule',
        dueAt,
        status: 'queued',
        attempts: 0,
        deliveryStatus: 'none',
      });
    });

    it('keeps manual runs at the same time apart, beside the scheduled one', async () => {
      const dueAt = new Date(Date.UTC(2027, 0, 6, 8));
      const scheduled = newRun({ dueAt });
      const manual = [
        newRun({ dueAt, trigger: 'manual', requestedBy: 'key-1' }),
        newRun({ dueAt, trigger: 'manual', requestedBy: 'key-2' }),
      ];
      const ids = await insert(org, [scheduled, ...manual]);
      expect(ids.sort()).toEqual([scheduled.id, ...manual.map((run) => run.id)].sort());
      await expect(repository.find(org, manual[1]?.id ?? '')).resolves.toMatchObject({
        requestedBy: 'key-2',
      });
    });

    it('inserts failed runs with their reason, and nothing for an empty list', async () => {
      const failed = newRun({
        dueAt: new Date(Date.UTC(2027, 0, 7, 8)),
        status: 'failed',
        errorCode: 'run-limit',
        error: 'over budget',
        finishedAt: new Date(Date.UTC(2027, 0, 7, 8, 1)),
      });
      await expect(insert(org, [failed])).resolves.toEqual([failed.id]);
      await expect(repository.find(org, failed.id)).resolves.toMatchObject({
        status: 'failed',
        errorCode: 'run-limit',
        finishedAt: new Date(Date.UTC(2027, 0, 7, 8, 1)),
      });
      await expect(insert(org, [])).resolves.toEqual([]);
    });

    it('is undone with the transaction, and found by its organization only', async () => {
      const run = newRun({ dueAt: new Date(Date.UTC(2027, 0, 8, 8)) });
      await expect(
        repository.inTransaction(async (work) => {
          await repository.insert(org, [run], work);
          await expect(repository.find(org, run.id, work)).resolves.not.toBeNull();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await expect(repository.find(org, run.id)).resolves.toBeNull();
      await insert(org, [run]);
      await expect(repository.find(other, run.id)).resolves.toBeNull();
    });
  });

  describe('claim', () => {
    it('takes a queued run: running, one attempt, a heartbeat; then nobody else', async () => {
      const run = await db.factory.newReportRun(org, report.id);
      await expect(repository.claim(other, run.id, MINUTE_MS)).resolves.toBeNull();
      const claimed = await repository.claim(org, run.id, MINUTE_MS);
      expect(claimed).toMatchObject({ id: run.id, status: 'running', attempts: 1 });
      expect(claimed?.startedAt?.getTime()).toBeGreaterThan(minutesAgo(1).getTime());
      expect(claimed?.heartbeatAt?.getTime()).toBeGreaterThan(minutesAgo(1).getTime());
      // A fresh running run is its generator's.
      await expect(repository.claim(org, run.id, MINUTE_MS)).resolves.toBeNull();
      expect((await row(run.id)).attempts).toBe(1);
    });

    it('takes over a run whose generator went silent, once, keeping when it started', async () => {
      const startedAt = minutesAgo(20);
      const run = await db.factory.newReportRun(org, report.id, {
        status: 'running',
        attempts: 1,
        startedAt,
        heartbeatAt: minutesAgo(10),
      });
      await expect(repository.claim(org, run.id, 15 * MINUTE_MS)).resolves.toBeNull();
      const claimed = await repository.claim(org, run.id, MINUTE_MS);
      expect(claimed).toMatchObject({ status: 'running', attempts: 2, startedAt });
      expect(claimed?.heartbeatAt?.getTime()).toBeGreaterThan(minutesAgo(1).getTime());
      // The claim renewed the heartbeat: a second process's claim does not land.
      await expect(repository.claim(org, run.id, MINUTE_MS)).resolves.toBeNull();
    });

    it('never takes a generated or finished run, however silent', async () => {
      const stale = { status: 'running' as const, heartbeatAt: minutesAgo(10) };
      const runs = await Promise.all([
        db.factory.newReportRun(org, report.id, { ...stale, generatedAt: minutesAgo(9) }),
        db.factory.newReportRun(org, report.id, { status: 'succeeded' }),
        db.factory.newReportRun(org, report.id, { status: 'failed' }),
      ]);
      for (const run of runs)
        await expect(repository.claim(org, run.id, MINUTE_MS)).resolves.toBeNull();
    });
  });

  describe('heartbeat', () => {
    it("renews a generating run's heartbeat, for its organization only", async () => {
      const run = await db.factory.newReportRun(org, report.id, {
        status: 'running',
        heartbeatAt: minutesAgo(10),
      });
      await expect(repository.heartbeat(other, run.id)).resolves.toBe(false);
      expect((await row(run.id)).heartbeatAt?.getTime()).toBeLessThan(minutesAgo(5).getTime());
      await expect(repository.heartbeat(org, run.id)).resolves.toBe(true);
      expect((await row(run.id)).heartbeatAt?.getTime()).toBeGreaterThan(minutesAgo(1).getTime());
    });

    it('answers false once the run is no longer generating', async () => {
      const runs = await Promise.all([
        db.factory.newReportRun(org, report.id),
        db.factory.newReportRun(org, report.id, { status: 'running', generatedAt: new Date() }),
        db.factory.newReportRun(org, report.id, { status: 'failed' }),
      ]);
      for (const run of runs) await expect(repository.heartbeat(org, run.id)).resolves.toBe(false);
    });
  });

  describe('generated', () => {
    const generated = (
      organizationId: OrganizationId,
      id: string,
      deliveryStatus: 'none' | 'pending',
    ) =>
      repository.inTransaction((work) =>
        repository.generated(organizationId, id, { summary: 'Visits rose.', deliveryStatus }, work),
      );

    it('ends a run with nothing to deliver as succeeded, once', async () => {
      const run = await db.factory.newReportRun(org, report.id, { status: 'running' });
      await expect(generated(other, run.id, 'none')).resolves.toBe(false);
      await expect(generated(org, run.id, 'none')).resolves.toBe(true);
      const stored = await row(run.id);
      expect(stored).toMatchObject({
        status: 'succeeded',
        deliveryStatus: 'none',
        summary: 'Visits rose.',
      });
      expect(stored.generatedAt).toBeInstanceOf(Date);
      expect(stored.finishedAt).toBeInstanceOf(Date);
      await expect(generated(org, run.id, 'none')).resolves.toBe(false);
    });

    it('keeps a run to deliver running with its delivery pending, once', async () => {
      const run = await db.factory.newReportRun(org, report.id, { status: 'running' });
      await expect(generated(org, run.id, 'pending')).resolves.toBe(true);
      const stored = await row(run.id);
      expect(stored).toMatchObject({
        status: 'running',
        deliveryStatus: 'pending',
        finishedAt: null,
      });
      expect(stored.generatedAt).toBeInstanceOf(Date);
      await expect(generated(org, run.id, 'pending')).resolves.toBe(false);
    });

    it('records nothing for a run not claimed, and nothing when the transaction rolls back', async () => {
      const queued = await db.factory.newReportRun(org, report.id);
      await expect(generated(org, queued.id, 'none')).resolves.toBe(false);
      const running = await db.factory.newReportRun(org, report.id, { status: 'running' });
      await repository
        .inTransaction(async (work) => {
          await repository.generated(
            org,
            running.id,
            { summary: 's', deliveryStatus: 'none' },
            work,
          );
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await row(running.id)).toMatchObject({ status: 'running', generatedAt: null });
    });
  });

  describe('finish', () => {
    const failure = {
      status: 'failed' as const,
      deliveryStatus: 'none' as const,
      error: 'it broke',
      errorCode: 'generation-failed',
    };

    it('ends a queued or running run with the outcome, once, for its organization only', async () => {
      const run = await db.factory.newReportRun(org, report.id);
      await expect(repository.finish(other, run.id, failure)).resolves.toBe(false);
      await expect(repository.finish(org, run.id, failure)).resolves.toBe(true);
      const stored = await row(run.id);
      expect(stored).toMatchObject(failure);
      expect(stored.finishedAt?.getTime()).toBeGreaterThan(minutesAgo(1).getTime());
      await expect(
        repository.finish(org, run.id, { status: 'succeeded', deliveryStatus: 'none' }),
      ).resolves.toBe(false);
      expect((await row(run.id)).status).toBe('failed');
    });

    it('with an attempt, ends the run only while that attempt is the latest', async () => {
      const run = await db.factory.newReportRun(org, report.id, {
        status: 'running',
        attempts: 2,
      });
      await expect(repository.finish(org, run.id, failure, { attempt: 1 })).resolves.toBe(false);
      expect((await row(run.id)).status).toBe('running');
      await expect(repository.finish(org, run.id, failure, { attempt: 2 })).resolves.toBe(true);
      expect((await row(run.id)).status).toBe('failed');
    });

    it("ends the run in the caller's transaction", async () => {
      const run = await db.factory.newReportRun(org, report.id, { status: 'running' });
      await repository
        .inTransaction(async (work) => {
          await expect(
            repository.finish(
              org,
              run.id,
              { status: 'succeeded', deliveryStatus: 'succeeded' },
              {
                work,
              },
            ),
          ).resolves.toBe(true);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await row(run.id)).toMatchObject({ status: 'running', finishedAt: null });
    });
  });

  describe('reopenDelivery', () => {
    const reopen = (organizationId: OrganizationId, id: string) =>
      repository.inTransaction((work) => repository.reopenDelivery(organizationId, id, work));

    it('opens a generated run for delivery again: running, pending, its error cleared', async () => {
      const run = await db.factory.newReportRun(org, report.id, {
        status: 'failed',
        generatedAt: minutesAgo(5),
        finishedAt: minutesAgo(4),
        deliveryStatus: 'failed',
        error: 'gone',
        errorCode: 'webhook-gone',
      });
      await expect(reopen(other, run.id)).resolves.toBe(false);
      await expect(reopen(org, run.id)).resolves.toBe(true);
      expect(await row(run.id)).toMatchObject({
        status: 'running',
        deliveryStatus: 'pending',
        finishedAt: null,
        error: null,
        errorCode: null,
      });
      // Pending now: a second redelivery waits for this one.
      await expect(reopen(org, run.id)).resolves.toBe(false);
    });

    it('reopens no run that was never generated', async () => {
      const run = await db.factory.newReportRun(org, report.id, { status: 'failed' });
      await expect(reopen(org, run.id)).resolves.toBe(false);
    });
  });
});
