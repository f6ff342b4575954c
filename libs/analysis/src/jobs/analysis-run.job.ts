import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import { AppConfig } from '@app/config';
import { isTransientDatabaseError, JobQueue } from '@app/database';
import { DatasetsService } from '@app/datasets';
import { MetricsService } from '@app/metrics';
import { AnalysisModel } from '@app/models';
import { QuestionAnsweringService, questionText } from '@app/questions';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobWithMetadata } from 'pg-boss';
import type { AnalysisEntity } from '../entities/analysis.entity';
import { analysisMetrics } from '../orchestration/analysis-metrics';
import {
  AnalysisFailureError,
  describeFailure,
  failureDetail,
} from '../orchestration/analysis-errors';
import { toAnalysisResult } from '../orchestration/analysis-result';
import {
  type AgentName,
  type AnalysisEvent,
  type AnalysisOutcome,
  runAnalysis,
} from '../orchestration/orchestrator';
import { AnalysisEventsRepository } from '../repositories/analysis-events.repository';
import { AnalysesRepository } from '../repositories/analyses.repository';
import { ToolQueryRepository, toolScans } from '../repositories/tool-query.repository';
import {
  ANALYSIS_QUEUE,
  AnalysesService,
  type AnalysisJobPayload,
} from '../services/analyses.service';
import { RunningAnalysesService } from '../services/running-analyses.service';

/** Statement timeout of the tools' SQL. */
const TOOL_QUERY_TIMEOUT_MS = 30_000;
/** Most often a running analysis reports it is alive (and learns whether it was cancelled). */
const HEARTBEAT_MS = 2000;

class CancelledMeanwhile extends Error {}

const EVERY_AGENT_FAILED = { code: 'agents-failed', message: 'every agent failed' } as const;

/**
 * Runs analyses from the queue (ANALYSIS_CONCURRENCY at once): marks the analysis running,
 * runs the agents, stores the outcome with its metrics in one transaction.
 *
 * While it runs, a heartbeat every {@link HEARTBEAT_MS} ms records that this process is
 * alive and reads the status back: a cancel from any process aborts the run here within a
 * heartbeat (and at once from this one), its SQL included. A run whose process died is
 * found by its stale heartbeat ({@link StaleAnalysesJob}) and runs again from the start; a
 * retried run replaces what an earlier attempt wrote, so exactly one set of metrics remains.
 */
@Injectable()
export class AnalysisRunJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(AnalysisRunJob.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly analyses: AnalysesRepository,
    private readonly events: AnalysisEventsRepository,
    private readonly toolQueries: ToolQueryRepository,
    private readonly running: RunningAnalysesService,
    private readonly analysesService: AnalysesService,
    private readonly datasets: DatasetsService,
    private readonly metrics: MetricsService,
    private readonly model: AnalysisModel,
    private readonly config: AppConfig,
    private readonly answering: QuestionAnsweringService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.queue(ANALYSIS_QUEUE, {
      retryLimit: 2,
      // 2–4 s, then 4–8 s (pg-boss: delay · 2^attempt / 2, plus as much again at random).
      retryDelay: 2,
      retryBackoff: true,
      // A backstop only: a dead worker's job is failed (and retried) on its stale heartbeat.
      expireInSeconds: Math.ceil(this.config.analyses.timeoutMs / 1000) + 60,
    });
    // pg-boss runs one batch per work() at a time: one registration per concurrent analysis.
    for (let slot = 0; slot < this.config.analyses.concurrency; slot++) {
      await this.jobs.boss.work(
        ANALYSIS_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true },
        // The payload is JSON from the queue: its organization id enters the system here.
        async ([job]: JobWithMetadata<AnalysisJobPayload & { organizationId: string }>[]) => {
          if (job === undefined) return;
          const payload = {
            ...job.data,
            organizationId: organizationIdOf(job.data.organizationId),
          };
          await this.run(payload, job.retryLimit - job.retryCount);
        },
      );
    }
  }

  /**
   * Runs one analysis: start it, keep its heartbeat while the agents run, store the
   * outcome, or fail it. A transient database failure (a lost connection, a deadlock, a
   * failover) with `retriesLeft` is thrown back to the queue, which retries the job with
   * backoff while the analysis stays `running`; any other failure fails the analysis.
   */
  async run(
    { organizationId, analysisId, traceContext }: AnalysisJobPayload,
    retriesLeft = 0,
  ): Promise<void> {
    const analysis = await this.start(organizationId, analysisId);
    if (analysis === null) return;
    const controller = this.running.start(analysisId);
    const heartbeat = this.keepHeartbeat(organizationId, analysisId, controller);
    const agentEvents = this.agentEventLog(organizationId, analysisId);
    try {
      const outcome = await this.runAgents(
        analysis,
        controller.signal,
        agentEvents.onEvent,
        traceContext,
      );
      await agentEvents.appended();
      await this.storeOutcome(analysis, outcome);
    } catch (error) {
      if (error instanceof CancelledMeanwhile) return;
      if (retriesLeft > 0 && isTransientDatabaseError(error)) {
        this.logger.warn(`Analysis ${analysisId}: ${failureDetail(error)}; the queue retries it`);
        throw error;
      }
      // The user gets a code and a sentence of ours; the cause as it was stays in this log.
      const failure = describeFailure(error);
      this.logger.warn(`Analysis ${analysisId} failed (${failure.code}): ${failureDetail(error)}`);
      await this.analysesService.fail(organizationId, analysisId, failure);
    } finally {
      clearInterval(heartbeat);
      this.running.finish(analysisId);
    }
  }

  /** Marks a queued (or retried, still running) analysis running; null when it is not to run. */
  private async start(
    organizationId: OrganizationId,
    analysisId: string,
  ): Promise<AnalysisEntity | null> {
    const analysis = await this.analyses.find(organizationId, analysisId);
    if (analysis === null || !['queued', 'running'].includes(analysis.status)) return null;
    await this.analyses.transition(organizationId, analysisId, ['queued', 'running'], 'running', {
      startedAt: new Date(),
      // The process that runs it names its model: the api that queued it may be configured
      // differently from this worker.
      modelProvider: this.model.provider,
      modelName: this.model.name,
      heartbeatAt: new Date(),
    });
    await this.events.append(organizationId, analysisId, 'status', { status: 'running' });
    return analysis;
  }

  /** The heartbeat of a run: aborts it when the analysis was cancelled from any process. */
  private keepHeartbeat(
    organizationId: OrganizationId,
    analysisId: string,
    controller: AbortController,
  ): NodeJS.Timeout {
    return setInterval(
      () => {
        this.analyses.heartbeat(organizationId, analysisId).then(
          (status) => {
            if (status === 'cancelled') controller.abort(new Error('cancelled'));
          },
          (error: unknown) => this.logger.warn(`Heartbeat of ${analysisId}: ${String(error)}`),
        );
      },
      Math.min(HEARTBEAT_MS, this.config.analyses.staleAfterMs / 4),
    );
  }

  /** Agent events appended in the order they happen, one after the other. */
  private agentEventLog(
    organizationId: OrganizationId,
    analysisId: string,
  ): { onEvent: (event: AnalysisEvent) => void; appended: () => Promise<void> } {
    let appended: Promise<void> = Promise.resolve();
    const onEvent = (event: AnalysisEvent) => {
      appended = appended.then(() =>
        event.type === 'agent.started'
          ? this.events.append(organizationId, analysisId, 'agent.started', {
              agent: event.agent,
            })
          : this.events.append(organizationId, analysisId, 'agent.finished', {
              agent: event.run.agent,
              status: event.run.status,
              durationMs: event.run.durationMs,
              ...(event.run.error === undefined
                ? {}
                : { error: event.run.error, errorCode: event.run.errorCode }),
            }),
      );
    };
    return { onEvent, appended: () => appended };
  }

  /**
   * The result and the metrics it records commit together, replacing what an earlier
   * attempt of this job wrote: a retried analysis leaves exactly one set of metrics.
   * Throws {@link CancelledMeanwhile} (keeping nothing) when it was cancelled meanwhile.
   */
  private async storeOutcome(analysis: AnalysisEntity, outcome: AnalysisOutcome): Promise<void> {
    const { organizationId, id: analysisId } = analysis;
    const failedAll =
      outcome.agents.length > 0 && outcome.agents.every((run) => run.status === 'failed');
    const written = await this.analyses.inTransaction(async (work) => {
      const metrics = await this.metrics.replaceForAnalysis(
        work,
        { organizationId, analysisId, createdBy: analysis.createdBy },
        [...analysisMetrics(outcome, analysis.datasetId), ...outcome.recorded],
      );
      const stored = await this.analyses.transition(
        organizationId,
        analysisId,
        ['running'],
        failedAll ? 'failed' : 'succeeded',
        {
          agentRuns: outcome.agents,
          result: { ...toAnalysisResult(outcome), metrics: metrics.ids },
          error: failedAll ? EVERY_AGENT_FAILED.message : null,
          errorCode: failedAll ? EVERY_AGENT_FAILED.code : null,
          completedAt: new Date(),
        },
        work,
      );
      if (!stored) throw new CancelledMeanwhile();
      await this.events.append(
        organizationId,
        analysisId,
        failedAll ? 'failed' : 'completed',
        failedAll
          ? {
              status: 'failed',
              error: EVERY_AGENT_FAILED.message,
              errorCode: EVERY_AGENT_FAILED.code,
            }
          : { status: 'succeeded' },
        work,
      );
      return metrics;
    });
    await this.metrics.afterCommit(organizationId, written.names);
  }

  private async runAgents(
    analysis: AnalysisEntity,
    signal: AbortSignal,
    onEvent: (event: AnalysisEvent) => void,
    traceContext: Record<string, string> | undefined,
  ): Promise<AnalysisOutcome> {
    const input = analysis.input;
    const dataset =
      input.kind === 'text'
        ? null
        : await this.datasets.find(analysis.organizationId, input.datasetId);
    if (input.kind !== 'text' && dataset === null)
      throw new AnalysisFailureError('dataset-unavailable', 'the dataset no longer exists');
    const timeoutMs = this.config.analyses.timeoutMs;
    // Cancelled or out of time: the agents stop, and so does their SQL.
    const stop = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    return runAnalysis({
      runner: this.model.runner,
      model: this.model.name,
      brief: {
        ...(input.kind === 'text' ? { text: input.text } : { datasetId: input.datasetId }),
        ...(analysis.question === null ? {} : { question: analysis.question }),
        ...(analysis.maxAnomalies === null ? {} : { maxAnomalies: analysis.maxAnomalies }),
      },
      context:
        dataset === null
          ? undefined
          : {
              organizationId: analysis.organizationId,
              dataset,
              ...toolScans(this.toolQueries.readOnly(TOOL_QUERY_TIMEOUT_MS, stop)),
              ...(analysis.maxAnomalies === null ? {} : { maxAnomalies: analysis.maxAnomalies }),
            },
      agentTimeoutMs: timeoutMs,
      agents: (analysis.agents ?? undefined) as AgentName[] | undefined,
      signal: stop,
      analysisId: analysis.id,
      traceContext,
      onEvent,
      classifier: this.model.classifier,
      ...(dataset === null
        ? {}
        : {
            answerQuestion: async (question: string, signal: AbortSignal) => {
              const answer = await this.answering.answer(
                analysis.organizationId,
                dataset,
                questionText(question),
                // The builtin planner only: the answer step is not an agent, makes no model
                // call, and its numbers are checked against its result (answerStep).
                { signal, readers: 'builtin' },
              );
              return answer.kind === 'refused'
                ? undefined
                : { text: answer.answer, query: answer.query, result: answer.result };
            },
          }),
    });
  }
}
