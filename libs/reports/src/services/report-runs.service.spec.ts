import { PageQueryDto, RetryLaterException } from '@app/common';
import type { AppConfig } from '@app/config';
import type { ReportRunEntity } from '../entities/report-run.entity';
import type { ReportEntity } from '../entities/report.entity';
import type { NewReportRun } from '../repositories/report-runs.repository';
import {
  analystOf,
  FakeReportRunsRepository,
  FakeReportsRepository,
  ORG_A,
  ORG_B,
  reportEntity,
  reportRunEntity,
  reportsConfig,
  reportsServiceOver,
} from '../testing/fake-reports';
import {
  FakeJobQueue,
  FakeReportDeliveries,
  FakeReportDocuments,
  reportDocument,
} from '../testing/fake-report-outputs';
import { REPORT_DELIVERY_QUEUE, REPORT_RUN_QUEUE, ReportRunsService } from './report-runs.service';

/** 1 March 2027, 12:00 UTC: 13:00 in Berlin. */
const NOW = new Date(Date.UTC(2027, 2, 1, 12));
const MINUTE_MS = 60_000;

const rejection = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe('ReportRunsService', () => {
  let report: ReportEntity;
  let theirs: ReportEntity;
  let runs: FakeReportRunsRepository;
  let documents: FakeReportDocuments;
  let deliveries: FakeReportDeliveries;
  let jobs: FakeJobQueue;
  let service: ReportRunsService;

  const serviceWith = (config: AppConfig = reportsConfig()) =>
    new ReportRunsService(
      runs.asRepository(),
      documents.asRepository(),
      deliveries.asRepository(),
      reportsServiceOver(new FakeReportsRepository([report, theirs]), { config }),
      jobs.asQueue(),
      config,
    );
  const stored = (id: string) => runs.stored(id);

  beforeEach(() => {
    report = reportEntity(ORG_A, { timezone: 'Europe/Berlin', formats: ['csv', 'pdf'] });
    theirs = reportEntity(ORG_B);
    runs = new FakeReportRunsRepository([]);
    runs.now = NOW;
    documents = new FakeReportDocuments();
    deliveries = new FakeReportDeliveries();
    jobs = new FakeJobQueue();
    service = serviceWith();
  });

  describe('runNow', () => {
    it('queues a manual run over the day before now in its zone, and its job, in one transaction', async () => {
      const id = await service.runNow(analystOf(ORG_A), report.id, NOW);
      expect(stored(id)).toMatchObject({
        organizationId: ORG_A,
        reportId: report.id,
        trigger: 'manual',
        status: 'queued',
        dueAt: NOW,
        // 28 February in Berlin: from 23:00 UTC the day before.
        periodStart: new Date(Date.UTC(2027, 1, 27, 23)),
        periodEnd: new Date(Date.UTC(2027, 1, 28, 23)),
        requestedBy: analystOf(ORG_A).id,
      });
      const [unit] = runs.units;
      expect(runs.units).toEqual([{ id: 1, outcome: 'committed' }]);
      expect(runs.locks).toEqual([{ organizationId: ORG_A, work: unit }]);
      expect(runs.inserts).toEqual([{ ids: [id], work: unit }]);
      expect(jobs.sent).toEqual([
        {
          work: unit,
          name: REPORT_RUN_QUEUE,
          data: expect.objectContaining({ organizationId: ORG_A, runId: id }),
        },
      ]);
    });

    it('refuses a run over the hourly budget with 429 report-run-limit, queuing nothing', async () => {
      service = serviceWith(reportsConfig({ REPORT_RUNS_PER_HOUR: '2' }));
      const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE_MS);
      runs.rows.push(
        reportRunEntity(report, { createdAt: ago(50) }),
        // An hour and more ago, and another organization's: neither counts.
        reportRunEntity(report, { createdAt: ago(61) }),
        reportRunEntity(theirs, { createdAt: ago(1) }),
        reportRunEntity(theirs, { createdAt: ago(2) }),
      );
      const allowed = await service.runNow(analystOf(ORG_A), report.id, NOW);
      const error = await rejection(service.runNow(analystOf(ORG_A), report.id, NOW));
      expect(error).toBeInstanceOf(RetryLaterException);
      expect(error).toMatchObject({
        status: 429,
        slug: 'report-run-limit',
        retryAfterSeconds: 600,
      });
      expect(runs.rows).toHaveLength(5);
      expect(jobs.sent.map((job) => (job.data as { runId: string }).runId)).toEqual([allowed]);
      expect(runs.units.map((unit) => unit.outcome)).toEqual(['committed', 'rolled back']);
    });

    it("answers 404 for another organization's report, queuing nothing", async () => {
      const error = await rejection(service.runNow(analystOf(ORG_A), theirs.id, NOW));
      expect(error).toMatchObject({ status: 404, slug: 'not-found' });
      expect(runs.rows).toEqual([]);
      expect(jobs.sent).toEqual([]);
    });
  });

  describe('enqueue', () => {
    it('sends a job only for the queued runs it inserted', async () => {
      const dueAt = new Date(Date.UTC(2027, 2, 1, 8));
      runs.rows.push(reportRunEntity(report, { dueAt }));
      const fresh = service.newRun(report, new Date(Date.UTC(2027, 2, 2, 8)), 'schedule');
      const taken = service.newRun(report, dueAt, 'schedule');
      const refused: NewReportRun = {
        ...service.newRun(report, new Date(Date.UTC(2027, 2, 3, 8)), 'schedule'),
        status: 'failed',
        errorCode: 'run-limit',
      };
      const inserted = await runs.inTransaction((work) =>
        service.enqueue(ORG_A, [fresh, taken, refused], work),
      );
      expect(inserted).toEqual([fresh.id, refused.id]);
      expect(jobs.sent).toEqual([
        {
          work: runs.units[0],
          name: REPORT_RUN_QUEUE,
          data: expect.objectContaining({ organizationId: ORG_A, runId: fresh.id }),
        },
      ]);
    });
  });

  it('answers the budget left this hour, never below none', async () => {
    service = serviceWith(reportsConfig({ REPORT_RUNS_PER_HOUR: '3' }));
    const budget = () => runs.inTransaction((work) => service.budgetLeft(ORG_A, NOW, work));
    runs.rows.push(reportRunEntity(report, { createdAt: NOW }));
    await expect(budget()).resolves.toBe(2);
    for (let index = 0; index < 4; index++)
      runs.rows.push(reportRunEntity(report, { createdAt: NOW }));
    await expect(budget()).resolves.toBe(0);
  });

  describe('download', () => {
    it('answers 409 while the run has no documents, saying how it stands', async () => {
      const run = reportRunEntity(report, { status: 'failed', error: 'the metrics were gone' });
      runs.rows.push(run);
      const error = await rejection(service.download(ORG_A, run.id, 'csv'));
      expect(error).toMatchObject({ status: 409, slug: 'report-run-not-ready' });
      expect((error as Error).message).toContain('failed: the metrics were gone');
    });

    it("serves the report's first format by default, or the one asked for", async () => {
      const run = reportRunEntity(report, { status: 'succeeded', generatedAt: NOW });
      runs.rows.push(run);
      documents.documents.push(reportDocument(run, 'pdf'), reportDocument(run, 'csv'));
      await expect(service.download(ORG_A, run.id, undefined)).resolves.toMatchObject({
        format: 'csv',
      });
      await expect(service.download(ORG_A, run.id, 'pdf')).resolves.toMatchObject({
        format: 'pdf',
      });
    });

    it('answers 404 naming the formats it has for one it has not', async () => {
      const run = reportRunEntity(report, { status: 'succeeded', generatedAt: NOW });
      runs.rows.push(run);
      documents.documents.push(reportDocument(run, 'pdf'), reportDocument(run, 'csv'));
      const error = await rejection(service.download(ORG_A, run.id, 'json'));
      expect(error).toMatchObject({ status: 404, slug: 'not-found' });
      expect((error as Error).message).toBe(`Run ${run.id} has no json document; it has csv, pdf`);
    });

    it("answers 404 for another organization's run", async () => {
      const run = reportRunEntity(theirs, { status: 'succeeded', generatedAt: NOW });
      runs.rows.push(run);
      documents.documents.push(reportDocument(run, 'pdf'));
      await expect(service.download(ORG_A, run.id, 'pdf')).rejects.toMatchObject({
        status: 404,
      });
    });
  });

  describe('redeliver', () => {
    const webhook = { webhookUrl: 'https://hooks.example.com/in', webhookSecret: 'whsec_x' };
    const deliveredOnce = (fields: Partial<ReportRunEntity> = {}) =>
      reportRunEntity(report, {
        status: 'failed',
        generatedAt: NOW,
        finishedAt: NOW,
        deliveryStatus: 'failed',
        error: 'the webhook was not delivered',
        errorCode: 'delivery-failed',
        ...fields,
      });

    it.each([
      ['without a webhook', {}, 'no-webhook'],
      ['whose webhook a 410 disabled', { ...webhook, webhookDisabledAt: NOW }, 'no-webhook'],
    ])('answers 409 for a report %s', async (_case, fields, slug) => {
      Object.assign(report, fields);
      const run = deliveredOnce();
      runs.rows.push(run);
      await expect(service.redeliver(analystOf(ORG_A), run.id)).rejects.toMatchObject({
        status: 409,
        slug,
      });
      expect(jobs.sent).toEqual([]);
    });

    it('answers 409 before the run is generated, and while a delivery is pending', async () => {
      Object.assign(report, webhook);
      const generating = reportRunEntity(report, { status: 'running' });
      const pending = deliveredOnce({ status: 'running', deliveryStatus: 'pending' });
      runs.rows.push(generating, pending);
      await expect(service.redeliver(analystOf(ORG_A), generating.id)).rejects.toMatchObject({
        status: 409,
        slug: 'report-run-not-ready',
      });
      await expect(service.redeliver(analystOf(ORG_A), pending.id)).rejects.toMatchObject({
        status: 409,
        slug: 'delivery-in-progress',
      });
      expect(jobs.sent).toEqual([]);
    });

    it('reopens the delivery and sends its first attempt in one transaction', async () => {
      Object.assign(report, webhook);
      const run = deliveredOnce();
      runs.rows.push(run);
      documents.documents.push(reportDocument(run, 'csv', 'a,b\n'));
      const detail = await service.redeliver(analystOf(ORG_A), run.id);
      expect(stored(run.id)).toMatchObject({
        status: 'running',
        deliveryStatus: 'pending',
        error: null,
      });
      expect(jobs.sent).toEqual([
        {
          work: runs.units[0],
          name: REPORT_DELIVERY_QUEUE,
          data: expect.objectContaining({ organizationId: ORG_A, runId: run.id, retryIndex: 0 }),
        },
      ]);
      expect(detail).toMatchObject({
        id: run.id,
        status: 'running',
        delivery: { status: 'pending', attempts: 0 },
        documents: [{ format: 'csv', sizeBytes: 4 }],
      });
    });

    it("answers 404 for another organization's run", async () => {
      Object.assign(theirs, webhook);
      const run = reportRunEntity(theirs, { status: 'failed', generatedAt: NOW });
      runs.rows.push(run);
      await expect(service.redeliver(analystOf(ORG_A), run.id)).rejects.toMatchObject({
        status: 404,
      });
    });
  });

  describe('history and get', () => {
    it("pages the report's runs newest first, with their delivery attempts", async () => {
      const at = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE_MS);
      const made = [3, 2, 1].map((minutes) => reportRunEntity(report, { createdAt: at(minutes) }));
      runs.rows.push(...made, reportRunEntity(theirs));
      const [oldest, , newest] = made;
      deliveries.attempts.push(
        ...[1, 2].map((attempt) => ({
          id: `delivery-${attempt}`,
          organizationId: ORG_A,
          runId: newest?.id ?? '',
          attempt,
          at: NOW,
          statusCode: 503,
          durationMs: 10,
          error: 'HTTP 503',
          outcome: 'retry' as const,
          nextRetryAt: null,
        })),
      );
      const query = (limit: number, cursor?: string) =>
        Object.assign(new PageQueryDto(), { limit, cursor });
      const first = await service.history(ORG_A, report.id, query(2));
      expect(first.data.map((run) => [run.id, run.delivery.attempts])).toEqual([
        [newest?.id, 2],
        [made[1]?.id, 0],
      ]);
      const rest = await service.history(ORG_A, report.id, query(2, first.nextCursor ?? ''));
      expect(rest).toEqual({
        data: [expect.objectContaining({ id: oldest?.id })],
        nextCursor: null,
      });

      const detail = await service.get(ORG_A, newest?.id ?? '');
      expect(detail.deliveries.map((attempt) => attempt.attempt)).toEqual([1, 2]);
      expect(detail.delivery).toEqual({ status: 'none', attempts: 2 });
    });

    it("answers 404 for another organization's report or run", async () => {
      const run = reportRunEntity(theirs);
      runs.rows.push(run);
      await expect(service.history(ORG_A, theirs.id, new PageQueryDto())).rejects.toMatchObject({
        status: 404,
      });
      await expect(service.get(ORG_A, run.id)).rejects.toMatchObject({ status: 404 });
    });
  });
});
