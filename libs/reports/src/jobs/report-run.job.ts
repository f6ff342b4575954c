import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import { AppConfig } from '@app/config';
import { isTransientDatabaseError, JobQueue } from '@app/database';
import { activeTraceContext } from '@app/observability';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobWithMetadata } from 'pg-boss';
import { renderReportDocuments } from '../documents/report-documents';
import type { RenderedDocument } from '../documents/report-content';
import type { ReportRunEntity } from '../entities/report-run.entity';
import type { ReportEntity } from '../entities/report.entity';
import { ReportDocumentsRepository } from '../repositories/report-documents.repository';
import { ReportRunsRepository } from '../repositories/report-runs.repository';
import { ReportsRepository } from '../repositories/reports.repository';
import { ReportGenerationService } from '../services/report-generation.service';
import { ReportTelemetryService } from '../services/report-telemetry.service';
import {
  REPORT_DELIVERY_QUEUE,
  REPORT_RUN_QUEUE,
  type ReportDeliveryJobPayload,
  type ReportRunJobPayload,
} from '../services/report-runs.service';

/** A failure of ours that ends the run, with the code its API shows. */
class RunFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Generates runs from the queue (REPORT_CONCURRENCY at once): claims the run, builds its
 * content, renders every format, and stores the documents with the run's new state — and
 * the first delivery job, when it has a webhook — in one transaction. A heartbeat keeps
 * the claim; a run whose process died is claimed again once the heartbeat is stale
 * (StaleReportRunsJob sends it a new job), so each run is generated and delivered once.
 */
@Injectable()
export class ReportRunJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportRunJob.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly reports: ReportsRepository,
    private readonly runs: ReportRunsRepository,
    private readonly documents: ReportDocumentsRepository,
    private readonly generation: ReportGenerationService,
    private readonly telemetry: ReportTelemetryService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.queue(REPORT_RUN_QUEUE, {
      retryLimit: 3,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: Math.ceil(this.config.reports.timeoutMs / 1000) + 60,
    });
    for (let slot = 0; slot < this.config.reports.concurrency; slot++) {
      await this.jobs.boss.work(
        REPORT_RUN_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true },
        // The payload is JSON from the queue: its organization id enters the system here.
        async ([job]: JobWithMetadata<ReportRunJobPayload & { organizationId: string }>[]) => {
          if (job === undefined) return;
          await this.run(
            organizationIdOf(job.data.organizationId),
            job.data.runId,
            job.retryLimit - job.retryCount,
            job.data.traceContext,
          );
        },
      );
    }
  }

  /**
   * Generates one run. A transient database failure with `retriesLeft` goes back to the
   * queue (the run stays claimed until its heartbeat goes stale, then any process takes it);
   * any other failure fails the run.
   */
  async run(
    organizationId: OrganizationId,
    runId: string,
    retriesLeft = 0,
    traceContext?: Record<string, string>,
  ): Promise<void> {
    const run = await this.runs.claim(organizationId, runId, this.config.reports.staleAfterMs);
    if (run === null) return;
    const report = await this.reports.find(organizationId, run.reportId);
    if (report === null) return; // deleted meanwhile: its runs went with it
    this.telemetry.started(run.trigger, run.dueAt);
    const attributes = {
      'report.id': report.id,
      'report.run.id': run.id,
      'report.run.attempt': run.attempts,
    };
    await this.telemetry.inSpan('report.run', traceContext, attributes, () =>
      this.generateAndStore(report, run, retriesLeft),
    );
  }

  private async generateAndStore(
    report: ReportEntity,
    run: ReportRunEntity,
    retriesLeft: number,
  ): Promise<void> {
    const { organizationId, id: runId } = run;
    const heartbeat = setInterval(() => {
      this.runs.heartbeat(organizationId, runId).catch((error: unknown) => {
        this.logger.warn(`Report run ${runId}: heartbeat failed: ${String(error)}`);
      });
    }, this.config.reports.staleAfterMs / 4);
    heartbeat.unref();
    const started = Date.now();
    try {
      const documents = await this.withTimeout(this.generate(report, run));
      const delivering = await this.store(report, run, documents.documents, documents.summary);
      this.telemetry.generated(Date.now() - started);
      if (!delivering) this.telemetry.ended('succeeded');
    } catch (error) {
      if (isTransientDatabaseError(error) && retriesLeft > 0) throw error;
      const failure =
        error instanceof RunFailure
          ? error
          : new RunFailure(
              'generation-failed',
              `the report could not be generated: ${describe(error)}`,
            );
      this.logger.warn(`Report run ${runId} failed: ${failure.message}`);
      const ended = await this.runs.finish(
        organizationId,
        runId,
        {
          status: 'failed',
          deliveryStatus: 'none',
          error: failure.message,
          errorCode: failure.code,
        },
        { attempt: run.attempts },
      );
      if (ended) this.telemetry.ended(failure.code);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async generate(
    report: ReportEntity,
    run: ReportRunEntity,
  ): Promise<{ documents: RenderedDocument[]; summary: string }> {
    const content = await this.generation.content(report, run);
    let documents: RenderedDocument[];
    try {
      documents = await renderReportDocuments(content, report.formats);
    } catch (error) {
      throw new RunFailure('render-failed', `a document could not be rendered: ${describe(error)}`);
    }
    const max = this.config.reports.documentMaxBytes;
    for (const document of documents) {
      if (document.body.length > max) {
        throw new RunFailure(
          'document-too-large',
          `the ${document.format} document is ${document.body.length} bytes, over REPORT_DOCUMENT_MAX_BYTES (${max})`,
        );
      }
    }
    return { documents, summary: content.narrative };
  }

  private async store(
    report: ReportEntity,
    run: ReportRunEntity,
    documents: RenderedDocument[],
    summary: string,
  ): Promise<boolean> {
    const organizationId = report.organizationId;
    const deliver = report.webhookUrl !== null && report.webhookDisabledAt === null;
    return this.runs
      .inTransaction(async (work) => {
        await this.documents.replace(organizationId, run.id, documents, work);
        const stored = await this.runs.generated(
          organizationId,
          run.id,
          { summary, deliveryStatus: deliver ? 'pending' : 'none' },
          work,
        );
        // Another process took the run over (this one's heartbeat went stale): its result stands.
        if (!stored) throw new RunFailure('taken-over', 'taken over by another process');
        if (!deliver) return false;
        const payload: ReportDeliveryJobPayload = {
          organizationId,
          runId: run.id,
          retryIndex: 0,
          // The deliveries' spans are children of this run's.
          traceContext: activeTraceContext(),
        };
        await this.jobs.sendInTransaction(work, REPORT_DELIVERY_QUEUE, payload);
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof RunFailure && error.code === 'taken-over') return true;
        throw error;
      });
  }

  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    const timeoutMs = this.config.reports.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RunFailure('timeout', `generation took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
