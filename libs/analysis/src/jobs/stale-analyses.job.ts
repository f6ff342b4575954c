import { AppConfig } from '@app/config';
import { JobQueue } from '@app/database';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AnalysesRepository } from '../repositories/analyses.repository';
import { ANALYSIS_QUEUE, AnalysesService } from '../services/analyses.service';
import { RunningAnalysesService } from '../services/running-analyses.service';

/**
 * Every consumer looks, every third of `ANALYSIS_STALE_AFTER_MS`, for running analyses
 * whose heartbeat went stale (their process died): it fails their job, which the queue
 * retries (at once, on any consumer); with no retry left, the analysis fails.
 */
@Injectable()
export class StaleAnalysesJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(StaleAnalysesJob.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly analyses: AnalysesRepository,
    private readonly analysesService: AnalysesService,
    private readonly running: RunningAnalysesService,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    // A period from the configuration, so registered here rather than with @Interval; the
    // registry clears it when the app closes.
    const timer = setInterval(() => {
      this.reapStale().catch((error: unknown) =>
        this.logger.warn(`Looking for stale analyses failed: ${String(error)}`),
      );
    }, this.config.analyses.staleAfterMs / 3);
    timer.unref();
    this.scheduler.addInterval('stale-analyses', timer);
  }

  /** One round: fails the job (or, with no retry left, the analysis) of each stale run. */
  async reapStale(): Promise<void> {
    const staleAfterMs = this.config.analyses.staleAfterMs;
    for (const { organizationId, id } of await this.analyses.stale(staleAfterMs)) {
      // Claimed by one consumer only (the claim renews the heartbeat).
      if (
        this.running.has(id) ||
        !(await this.analyses.claimStale(organizationId, id, staleAfterMs))
      )
        continue;
      const jobs = await this.jobs.jobsWith(ANALYSIS_QUEUE, 'analysisId', id);
      const active = jobs.filter((job) => job.state === 'active');
      for (const job of active) {
        await this.jobs.boss.fail(ANALYSIS_QUEUE, job.id, { error: 'its worker stopped' });
      }
      if (active.length > 0) {
        this.logger.warn(`Analysis ${id}: its worker stopped; the job is retried`);
        continue;
      }
      if (jobs.some((job) => job.state === 'created' || job.state === 'retry')) continue;
      await this.analysesService.fail(organizationId, id, {
        code: 'worker-lost',
        message: 'its worker stopped and no retry is left',
      });
    }
  }
}
