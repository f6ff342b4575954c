import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobQueue } from '@app/database';
import { MetricsService } from '@app/metrics';
import { DataSource } from 'typeorm';
import { readOnlyQuery } from '../analysis-context';
import { AnalysisModel } from '../models/analysis-model';
import { type AgentName, type AnalysisEvent, runAnalysis } from '../orchestrator';
import { analysisMetrics } from '../analysis-metrics';
import { AnalysisEntity } from '../entities/analysis.entity';
import { toAnalysisResult } from '../result';
import { AnalysisEvents } from './analysis-events';
import { AnalysisStore } from './analysis-store';

export const ANALYSIS_QUEUE = 'analysis';
/** Injection token: whether this process consumes the analysis queue. */
export const ANALYSIS_CONSUMER = Symbol('ANALYSIS_CONSUMER');
/** Whole-analysis limit; each agent gets the same (they run in parallel). */
export const ANALYSIS_TIMEOUT_MS = 120_000;
/** Statement timeout of the tools' SQL. */
const TOOL_QUERY_TIMEOUT_MS = 30_000;

class CancelledMeanwhile extends Error {}

export interface AnalysisJob {
  organizationId: string;
  analysisId: string;
}

/**
 * Runs analyses from the queue: marks the analysis running, runs the agents, stores the
 * outcome. A job whose process died is retried by the queue once it expires; the
 * analysis is then still `running` and runs again from the start. Cancelling aborts a
 * run in this process at once (and a run elsewhere finds the analysis cancelled when it
 * tries to store its result).
 */
@Injectable()
export class AnalysisRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger(AnalysisRunner.name);
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly jobs: JobQueue,
    private readonly store: AnalysisStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ANALYSIS_CONSUMER) private readonly consume: boolean,
    private readonly metrics: MetricsService,
    private readonly events: AnalysisEvents,
    private readonly model: AnalysisModel,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.consume) return;
    await this.jobs.queue(ANALYSIS_QUEUE, {
      retryLimit: 2,
      retryBackoff: true,
      expireInSeconds: Math.ceil(ANALYSIS_TIMEOUT_MS / 1000) + 60,
    });
    await this.jobs.boss.work<AnalysisJob>(
      ANALYSIS_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 0.5 },
      async ([job]) => {
        if (job !== undefined) await this.run(job.data);
      },
    );
  }

  /** Aborts the run of `analysisId` if it is running in this process. */
  abort(analysisId: string): void {
    this.running.get(analysisId)?.abort();
  }

  async run({ organizationId, analysisId }: AnalysisJob): Promise<void> {
    const analysis = await this.store.find(organizationId, analysisId);
    if (analysis === null || !['queued', 'running'].includes(analysis.status)) return;
    await this.store.transition(organizationId, analysisId, ['queued', 'running'], 'running', {
      startedAt: new Date(),
      // The process that runs it names its model: the api that queued it may be configured
      // differently from this worker.
      modelProvider: this.model.provider,
      modelName: this.model.name,
    });
    await this.events.append(analysisId, 'status', { status: 'running' });
    const controller = new AbortController();
    this.running.set(analysisId, controller);
    // Agent events are appended in the order they happen, one after the other.
    let appended: Promise<void> = Promise.resolve();
    const onEvent = (event: AnalysisEvent) => {
      appended = appended.then(() =>
        event.type === 'agent.started'
          ? this.events.append(analysisId, 'agent.started', { agent: event.agent })
          : this.events.append(analysisId, 'agent.finished', {
              agent: event.run.agent,
              status: event.run.status,
              durationMs: event.run.durationMs,
              ...(event.run.error === undefined ? {} : { error: event.run.error }),
            }),
      );
    };
    try {
      const outcome = await this.execute(analysis, controller.signal, onEvent);
      await appended;
      const failedAll =
        outcome.agents.length > 0 && outcome.agents.every((run) => run.status === 'failed');
      // The result and the metrics it records commit together, replacing what an earlier
      // attempt of this job wrote: a retried analysis leaves exactly one set of metrics.
      const written = await this.dataSource.transaction(async (manager) => {
        const metrics = await this.metrics.replaceForAnalysis(
          manager,
          { organizationId, analysisId, createdBy: analysis.createdBy },
          analysisMetrics(outcome, analysis.datasetId),
        );
        const stored = await this.store.transition(
          organizationId,
          analysisId,
          ['running'],
          failedAll ? 'failed' : 'succeeded',
          {
            agentRuns: outcome.agents,
            result: { ...toAnalysisResult(outcome), metrics: metrics.ids },
            error: failedAll ? 'every agent failed' : null,
            completedAt: new Date(),
          },
          manager,
        );
        // Cancelled meanwhile: keep nothing of this run.
        if (!stored) throw new CancelledMeanwhile();
        await this.events.append(
          analysisId,
          failedAll ? 'failed' : 'completed',
          failedAll ? { status: 'failed', error: 'every agent failed' } : { status: 'succeeded' },
          manager,
        );
        return metrics;
      });
      await this.metrics.afterCommit(organizationId, written.names);
    } catch (error) {
      if (error instanceof CancelledMeanwhile) return;
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Analysis ${analysisId} failed: ${message}`);
      const failed = await this.store.transition(
        organizationId,
        analysisId,
        ['running'],
        'failed',
        {
          error: message,
          completedAt: new Date(),
        },
      );
      if (failed)
        await this.events.append(analysisId, 'failed', { status: 'failed', error: message });
    } finally {
      this.running.delete(analysisId);
    }
  }

  private async execute(
    analysis: AnalysisEntity,
    signal: AbortSignal,
    onEvent: (event: AnalysisEvent) => void,
  ) {
    const input = analysis.input;
    const dataset =
      input.kind === 'text'
        ? null
        : await this.store.dataset(analysis.organizationId, input.datasetId);
    if (input.kind !== 'text' && dataset === null) throw new Error('the dataset no longer exists');
    return runAnalysis({
      runner: this.model.runner,
      model: this.model.name,
      brief: {
        ...(input.kind === 'text' ? { text: input.text } : { datasetId: input.datasetId }),
        ...(analysis.question === null ? {} : { question: analysis.question }),
      },
      context:
        dataset === null
          ? undefined
          : {
              organizationId: analysis.organizationId,
              dataset,
              query: readOnlyQuery(this.dataSource, TOOL_QUERY_TIMEOUT_MS),
            },
      agentTimeoutMs: ANALYSIS_TIMEOUT_MS,
      agents: (analysis.agents ?? undefined) as AgentName[] | undefined,
      signal: AbortSignal.any([signal, AbortSignal.timeout(ANALYSIS_TIMEOUT_MS)]),
      onEvent,
    });
  }
}
