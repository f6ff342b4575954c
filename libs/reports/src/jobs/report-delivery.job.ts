import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import { AppConfig } from '@app/config';
import { JobQueue } from '@app/database';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { JobWithMetadata } from 'pg-boss';
import type { DeliveryOutcome } from '../entities/report-delivery.entity';
import type { ReportRunEntity } from '../entities/report-run.entity';
import type { ReportEntity } from '../entities/report.entity';
import { ReportDeliveriesRepository } from '../repositories/report-deliveries.repository';
import { ReportDocumentsRepository } from '../repositories/report-documents.repository';
import { ReportRunsRepository } from '../repositories/report-runs.repository';
import { ReportsRepository } from '../repositories/reports.repository';
import {
  REPORT_DELIVERY_QUEUE,
  type ReportDeliveryJobPayload,
} from '../services/report-runs.service';
import { ReportTelemetryService } from '../services/report-telemetry.service';
import { webhookPayload } from '../webhooks/webhook-payload';
import { resolveWebhookTarget, WebhookTargetError } from '../webhooks/webhook-address';
import { webhookRetryDelayMs } from '../webhooks/webhook-backoff';
import { postWebhook, type WebhookAttemptOutcome } from '../webhooks/webhook-client';
import { signWebhook } from '../webhooks/webhook-secret';

/** An attempt as recorded, and what it means for the run. */
interface Attempt extends WebhookAttemptOutcome {
  outcome: DeliveryOutcome;
  at: Date;
}

/**
 * Delivers a generated run's webhook (Standard Webhooks, signed with the report's secret
 * and, during a rotation, the previous one too). Each attempt is recorded; a failed one
 * sends the next attempt as a job that starts after the backoff delay, in the same
 * transaction as the record, so retries survive restarts. A 2xx ends the run `succeeded`;
 * a 410 disables the webhook and fails the run; a refused address fails it at once.
 */
@Injectable()
export class ReportDeliveryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportDeliveryJob.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly reports: ReportsRepository,
    private readonly runs: ReportRunsRepository,
    private readonly documents: ReportDocumentsRepository,
    private readonly deliveries: ReportDeliveriesRepository,
    private readonly telemetry: ReportTelemetryService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.queue(REPORT_DELIVERY_QUEUE, {
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: Math.ceil(this.config.webhooks.timeoutMs / 1000) + 60,
    });
    await this.jobs.boss.work(
      REPORT_DELIVERY_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true },
      // The payload is JSON from the queue: its organization id enters the system here.
      async ([job]: JobWithMetadata<ReportDeliveryJobPayload & { organizationId: string }>[]) => {
        if (job === undefined) return;
        await this.deliver({
          ...job.data,
          organizationId: organizationIdOf(job.data.organizationId),
        });
      },
    );
  }

  async deliver(payload: ReportDeliveryJobPayload): Promise<void> {
    const { organizationId, runId } = payload;
    const run = await this.runs.find(organizationId, runId);
    if (run?.deliveryStatus !== 'pending') return; // ended meanwhile, or deleted
    const report = await this.reports.find(organizationId, run.reportId);
    if (report === null) return;
    if (report.webhookUrl === null || report.webhookDisabledAt !== null) {
      await this.end(
        organizationId,
        run,
        'failed',
        'webhook-disabled',
        'the report has no enabled webhook any more',
      );
      return;
    }
    const url = report.webhookUrl;
    const attemptNumber = await this.deliveries.nextAttempt(organizationId, runId);
    await this.telemetry.inSpan(
      'report.delivery',
      payload.traceContext,
      { 'report.run.id': runId, 'webhook.attempt': attemptNumber },
      async (span) => {
        const attempt = await this.attempt(report, run, url, payload.retryIndex + 1);
        span?.setAttribute('http.response.status_code', attempt.statusCode ?? 0);
        await this.record(organizationId, run, report, url, attemptNumber, attempt, payload);
      },
    );
  }

  private async attempt(
    report: ReportEntity,
    run: ReportRunEntity,
    url: string,
    retryNumber: number,
  ): Promise<Attempt> {
    const at = new Date();
    const started = Date.now();
    let target;
    try {
      target = await resolveWebhookTarget(url, this.config.webhooks);
    } catch (error) {
      if (!(error instanceof WebhookTargetError)) throw error;
      const unresolvable = error.reason === 'unresolvable';
      return {
        at,
        statusCode: null,
        durationMs: Date.now() - started,
        error: error.message,
        disposition: 'retry',
        outcome: unresolvable ? this.retryOrAbandon(retryNumber) : 'refused',
      };
    }
    const body = JSON.stringify(
      await webhookPayload(report, run, this.documents, this.config.reports.publicUrl),
    );
    const secrets = [report.webhookSecret, activePrevious(report, at)].filter(
      (secret): secret is string => secret !== null,
    );
    const headers = signWebhook({
      id: `msg_${run.id}`,
      timestamp: Math.floor(at.getTime() / 1000),
      body,
      secrets,
    });
    const outcome = await postWebhook({
      target,
      body,
      headers: { ...headers },
      timeoutMs: this.config.webhooks.timeoutMs,
    });
    const recorded: DeliveryOutcome =
      outcome.disposition === 'delivered'
        ? 'delivered'
        : outcome.disposition === 'gone'
          ? 'gone'
          : this.retryOrAbandon(retryNumber);
    return { ...outcome, at, outcome: recorded };
  }

  /** Records the attempt and acts on it (next job, run's end) in one transaction. */
  private async record(
    organizationId: OrganizationId,
    run: ReportRunEntity,
    report: ReportEntity,
    url: string,
    attemptNumber: number,
    attempt: Attempt,
    payload: ReportDeliveryJobPayload,
  ): Promise<void> {
    const retryIndex = payload.retryIndex + 1;
    const delayMs =
      attempt.outcome === 'retry'
        ? webhookRetryDelayMs(retryIndex, Math.random, this.config.webhooks.retryScheduleMs)
        : null;
    const nextRetryAt = delayMs === null ? null : new Date(Date.now() + delayMs);
    const fresh = await this.runs.inTransaction(async (work) => {
      const recorded = await this.deliveries.record(
        organizationId,
        {
          id: randomUUID(),
          runId: run.id,
          attempt: attemptNumber,
          at: attempt.at,
          statusCode: attempt.statusCode,
          durationMs: Math.round(attempt.durationMs),
          error: attempt.error,
          outcome: attempt.outcome,
          nextRetryAt,
        },
        work,
      );
      // The queue ran this job twice: the first run acted on it.
      if (!recorded) return false;
      if (delayMs !== null) {
        const next: ReportDeliveryJobPayload = { ...payload, retryIndex };
        await this.jobs.sendInTransaction(work, REPORT_DELIVERY_QUEUE, next, {
          startAfter: Math.ceil(delayMs / 1000),
        });
      }
      return true;
    });
    if (!fresh) return;
    this.telemetry.attempted(attempt.outcome);
    switch (attempt.outcome) {
      case 'delivered':
        await this.end(organizationId, run, 'succeeded');
        return;
      case 'retry':
        this.logger.log(
          `Report run ${run.id}: delivery attempt ${attemptNumber} failed (${attempt.error ?? ''}); retrying`,
        );
        return;
      case 'gone':
        await this.reports.disableWebhook(organizationId, report.id, url);
        await this.end(
          organizationId,
          run,
          'failed',
          'webhook-gone',
          'the receiver answered 410 Gone; the webhook is disabled until its URL is set again',
        );
        return;
      case 'refused':
        await this.end(
          organizationId,
          run,
          'failed',
          'webhook-refused',
          `the webhook address is not allowed: ${attempt.error ?? ''}`,
        );
        return;
      case 'abandoned':
        await this.end(
          organizationId,
          run,
          'failed',
          'delivery-failed',
          `the webhook was not delivered after ${attemptNumber} attempts (last: ${attempt.error ?? 'no answer'})`,
        );
        return;
    }
  }

  /** A failed attempt is retried while the backoff schedule has a next delay. */
  private retryOrAbandon(retryNumber: number): DeliveryOutcome {
    return retryNumber > this.config.webhooks.retryScheduleMs.length ? 'abandoned' : 'retry';
  }

  private async end(
    organizationId: OrganizationId,
    run: ReportRunEntity,
    status: 'succeeded' | 'failed',
    code: string | null = null,
    error: string | null = null,
  ): Promise<void> {
    const ended = await this.runs.finish(organizationId, run.id, {
      status,
      deliveryStatus: status === 'succeeded' ? 'succeeded' : 'failed',
      error,
      errorCode: code,
    });
    if (ended) this.telemetry.ended(code ?? 'succeeded');
  }
}

function activePrevious(report: ReportEntity, now: Date): string | null {
  const until = report.webhookPreviousSecretUntil;
  return until !== null && until.getTime() > now.getTime() ? report.webhookPreviousSecret : null;
}
