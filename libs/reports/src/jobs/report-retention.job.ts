import { AppConfig } from '@app/config';
import { runHousekeeping } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ReportRunsRepository } from '../repositories/report-runs.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Hourly, deletes finished runs older than REPORT_RETENTION_DAYS with their documents. */
@Injectable()
export class ReportRetentionJob {
  private readonly logger = new Logger(ReportRetentionJob.name);

  constructor(
    private readonly runs: ReportRunsRepository,
    private readonly config: AppConfig,
  ) {}

  @Interval('report-retention', 60 * 60 * 1000)
  async prune(now = new Date()): Promise<void> {
    const before = new Date(now.getTime() - this.config.reports.retentionDays * DAY_MS);
    await runHousekeeping(this.logger, 'expired report runs', () =>
      this.runs.deleteFinishedBefore(before),
    );
  }
}
