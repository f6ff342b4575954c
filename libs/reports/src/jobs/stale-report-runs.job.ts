import { AppConfig } from '@app/config';
import { JobQueue } from '@app/database';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ReportRunsRepository } from '../repositories/report-runs.repository';
import { REPORT_RUN_QUEUE, type ReportRunJobPayload } from '../services/report-runs.service';

/**
 * Every third of REPORT_STALE_SECONDS, each consumer looks for generating runs whose
 * heartbeat went stale (their process died mid-run) and sends each a new job: whichever
 * process takes it claims the run (the claim admits a stale run once) and generates it
 * from the start; the dead process's job, retried by the queue later, finds it taken.
 */
@Injectable()
export class StaleReportRunsJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(StaleReportRunsJob.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly runs: ReportRunsRepository,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => {
      this.resume().catch((error: unknown) =>
        this.logger.warn(`Looking for stale report runs failed: ${String(error)}`),
      );
    }, this.config.reports.staleAfterMs / 3);
    timer.unref();
    this.scheduler.addInterval('stale-report-runs', timer);
  }

  /** One round: a new job for each stale run; answers how many it sent. */
  async resume(): Promise<number> {
    const stale = await this.runs.stale(this.config.reports.staleAfterMs);
    for (const { organizationId, id } of stale) {
      this.logger.warn(`Report run ${id}: its process stopped; another will generate it`);
      const payload: ReportRunJobPayload = { organizationId, runId: id };
      // One job per run and staleness: a second process sending it too is a no-op.
      await this.jobs.boss.send(REPORT_RUN_QUEUE, payload, {
        singletonKey: `stale:${id}`,
        singletonSeconds: Math.ceil(this.config.reports.staleAfterMs / 1000),
      });
    }
    return stale.length;
  }
}
