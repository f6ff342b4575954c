import type { OrganizationId } from '@app/tenancy';
import type { Principal } from '@app/access';
import {
  decodeCursor,
  type Page,
  type PageQueryDto,
  ProblemException,
  RetryLaterException,
  toPage,
} from '@app/common';
import { AppConfig } from '@app/config';
import { JobQueue, type UnitOfWork } from '@app/database';
import { activeTraceContext } from '@app/observability';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  mapDeliveryAttempt,
  mapReportRun,
  type ReportRunDetailDto,
  type ReportRunDto,
} from '../dtos/report-run.dto';
import type { ReportDocumentEntity } from '../entities/report-document.entity';
import type { ReportEntity, ReportFormatName } from '../entities/report.entity';
import type { ReportRunEntity } from '../entities/report-run.entity';
import { ReportDeliveriesRepository } from '../repositories/report-deliveries.repository';
import { ReportDocumentsRepository } from '../repositories/report-documents.repository';
import { type NewReportRun, ReportRunsRepository } from '../repositories/report-runs.repository';
import { reportPeriod } from '../schedule/report-period';
import { parseReportSchedule } from '../schedule/report-schedule';
import { ReportsService } from './reports.service';

/** The queue a run's generation job goes to, in the transaction that inserts the run. */
export const REPORT_RUN_QUEUE = 'report-run';
/** The queue a run's delivery attempts go to (a retry is a job with a start time). */
export const REPORT_DELIVERY_QUEUE = 'report-delivery';

export interface ReportRunJobPayload {
  organizationId: OrganizationId;
  runId: string;
  traceContext?: Record<string, string>;
}

export interface ReportDeliveryJobPayload {
  organizationId: OrganizationId;
  runId: string;
  /** Attempts since the delivery (re)started: picks the next retry's delay. */
  retryIndex: number;
  traceContext?: Record<string, string>;
}

const HOUR_MS = 60 * 60 * 1000;

/** The rules of runs: starting one now, the hourly budget, history, documents, redelivery. */
@Injectable()
export class ReportRunsService {
  constructor(
    private readonly runs: ReportRunsRepository,
    private readonly documents: ReportDocumentsRepository,
    private readonly deliveries: ReportDeliveriesRepository,
    private readonly reports: ReportsService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  /** `POST /v1/reports/:id/run`: a run for the period before now, queued at once. */
  async runNow(principal: Principal, reportId: string, now = new Date()): Promise<string> {
    const organizationId = principal.organizationId;
    const report = await this.reports.find(organizationId, reportId);
    const run = { ...this.newRun(report, now, 'manual'), requestedBy: principal.id };
    await this.runs.inTransaction(async (work) => {
      await this.runs.lockOrganization(organizationId, work);
      const started = await this.runs.countSince(
        organizationId,
        new Date(now.getTime() - HOUR_MS),
        work,
      );
      if (started >= this.config.reports.runsPerHour) {
        throw new RetryLaterException(
          429,
          'report-run-limit',
          `This organization started ${started} report runs in the last hour, the most it may (REPORT_RUNS_PER_HOUR)`,
          600,
        );
      }
      await this.enqueue(organizationId, [run], work);
    });
    return run.id;
  }

  /**
   * A run of `report` for `dueAt` (its schedule's due time, or now for a manual run): the
   * last complete period before it in the report's zone.
   */
  newRun(report: ReportEntity, dueAt: Date, trigger: NewReportRun['trigger']): NewReportRun {
    const schedule = parseReportSchedule(report.schedule, report.timezone);
    const period = reportPeriod(dueAt, report.period, report.timezone, schedule);
    return {
      id: randomUUID(),
      reportId: report.id,
      trigger,
      dueAt,
      periodStart: period.start,
      periodEnd: period.end,
      status: 'queued',
    };
  }

  /**
   * Inserts runs and sends a generation job for each new queued one, in `work`'s
   * transaction; a scheduled due time already inserted elsewhere is skipped. Answers the
   * ids inserted.
   */
  async enqueue(organizationId: OrganizationId, runs: NewReportRun[], work: UnitOfWork) {
    const inserted = new Set(await this.runs.insert(organizationId, runs, work));
    const traceContext = activeTraceContext();
    for (const run of runs) {
      if (!inserted.has(run.id) || run.status !== 'queued') continue;
      const payload: ReportRunJobPayload = { organizationId, runId: run.id, traceContext };
      await this.jobs.sendInTransaction(work, REPORT_RUN_QUEUE, payload);
    }
    return [...inserted];
  }

  /** How many more runs the organization may start this hour. */
  async budgetLeft(organizationId: OrganizationId, now: Date, work: UnitOfWork): Promise<number> {
    const started = await this.runs.countSince(
      organizationId,
      new Date(now.getTime() - HOUR_MS),
      work,
    );
    return Math.max(0, this.config.reports.runsPerHour - started);
  }

  async history(
    organizationId: OrganizationId,
    reportId: string,
    query: PageQueryDto,
  ): Promise<Page<ReportRunDto>> {
    await this.reports.find(organizationId, reportId);
    const limit = query.limit ?? 50;
    const rows = await this.runs.list(organizationId, reportId, limit, decodeCursor(query.cursor));
    const attempts = await this.deliveries.countByRun(
      organizationId,
      rows.slice(0, limit).map((row) => row.item.id),
    );
    return toPage(rows, limit, (run) => mapReportRun(run, attempts.get(run.id) ?? 0));
  }

  async get(organizationId: OrganizationId, runId: string): Promise<ReportRunDetailDto> {
    const run = await this.find(organizationId, runId);
    const [documents, deliveries] = await Promise.all([
      this.documents.formats(organizationId, runId),
      this.deliveries.list(organizationId, runId),
    ]);
    return {
      ...mapReportRun(run, deliveries.length),
      documents,
      deliveries: deliveries.map(mapDeliveryAttempt),
    };
  }

  /** The run's document in `format` (default: the report's first format). */
  async download(
    organizationId: OrganizationId,
    runId: string,
    format: ReportFormatName | undefined,
  ): Promise<ReportDocumentEntity> {
    const run = await this.find(organizationId, runId);
    if (run.generatedAt === null) {
      throw new ProblemException(
        409,
        'report-run-not-ready',
        `Run ${runId} has no documents yet (it is ${run.status}${run.error === null ? '' : `: ${run.error}`})`,
      );
    }
    const wanted = format ?? (await this.reports.find(organizationId, run.reportId)).formats[0];
    const document =
      wanted === undefined ? null : await this.documents.find(organizationId, runId, wanted);
    if (document === null) {
      const formats = (await this.documents.formats(organizationId, runId)).map((d) => d.format);
      throw new ProblemException(
        404,
        'not-found',
        `Run ${runId} has no ${wanted ?? ''} document; it has ${formats.join(', ') || 'none'}`,
      );
    }
    return document;
  }

  /** `POST /v1/report-runs/:id/redeliver`: the webhook again, with a fresh retry schedule. */
  async redeliver(principal: Principal, runId: string): Promise<ReportRunDetailDto> {
    const organizationId = principal.organizationId;
    const run = await this.find(organizationId, runId);
    const report = await this.reports.find(organizationId, run.reportId);
    if (report.webhookUrl === null) {
      throw new ProblemException(409, 'no-webhook', `Report ${report.id} has no webhook`);
    }
    if (report.webhookDisabledAt !== null) {
      throw new ProblemException(
        409,
        'no-webhook',
        `Report ${report.id}'s webhook was disabled when its receiver answered 410 Gone; set its webhookUrl again to enable it`,
      );
    }
    if (run.generatedAt === null) {
      throw new ProblemException(
        409,
        'report-run-not-ready',
        `Run ${runId} has not been generated (it is ${run.status}); nothing to deliver yet`,
      );
    }
    await this.runs.inTransaction(async (work) => {
      if (!(await this.runs.reopenDelivery(organizationId, runId, work))) {
        throw new ProblemException(
          409,
          'delivery-in-progress',
          `Run ${runId} is being delivered; wait for its attempts to end`,
        );
      }
      const payload: ReportDeliveryJobPayload = {
        organizationId,
        runId,
        retryIndex: 0,
        traceContext: activeTraceContext(),
      };
      await this.jobs.sendInTransaction(work, REPORT_DELIVERY_QUEUE, payload);
    });
    return this.get(organizationId, runId);
  }

  private async find(organizationId: OrganizationId, runId: string): Promise<ReportRunEntity> {
    const run = await this.runs.find(organizationId, runId);
    if (run === null)
      throw new ProblemException(404, 'not-found', `There is no report run ${runId}`);
    return run;
  }
}
