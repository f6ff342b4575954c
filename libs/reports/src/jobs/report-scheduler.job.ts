import type { OrganizationId } from '@app/tenancy';
import { AppConfig } from '@app/config';
import type { UnitOfWork } from '@app/database';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { ReportEntity } from '../entities/report.entity';
import type { NewReportRun } from '../repositories/report-runs.repository';
import { ReportsRepository } from '../repositories/reports.repository';
import { dueRunsToClaim } from '../schedule/due-runs';
import { parseReportSchedule } from '../schedule/report-schedule';
import { ReportScheduleError } from '../schedule/report-schedule-error';
import { ReportRunsService } from '../services/report-runs.service';

/** Reports one transaction of a tick schedules; a tick goes on while batches come back full. */
const BATCH = 50;

/**
 * Every process that hosts background work ticks every REPORT_TICK_SECONDS: it locks the
 * enabled reports that have a due time (skipping those another process holds), inserts a
 * run per due time to claim — unique per (report, due time), so a due time runs once
 * however many processes tick — and sends their jobs in the same transaction, then moves
 * each report's cursor past now.
 */
@Injectable()
export class ReportSchedulerJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportSchedulerJob.name);
  private ticking = false;

  constructor(
    private readonly reports: ReportsRepository,
    private readonly runs: ReportRunsService,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tickSafely(), this.config.reports.tickMs);
    timer.unref();
    this.scheduler.addInterval('report-scheduler', timer);
    // The first tick at start-up: a process back from downtime catches up at once.
    setImmediate(() => void this.tickSafely());
  }

  private async tickSafely(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.tick();
    } catch (error) {
      this.logger.warn(`Scheduling reports failed: ${String(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  /** One tick: schedules every report due at `now`; answers how many runs it created. */
  async tick(now = new Date()): Promise<number> {
    let created = 0;
    for (;;) {
      const { reports, runs } = await this.reports.inTransaction(async (work) => {
        const due = await this.reports.lockDue(now, BATCH, work);
        let inserted = 0;
        for (const report of due) {
          try {
            inserted += await this.schedule(report, now, work);
          } catch (error) {
            if (!(error instanceof ReportScheduleError)) throw error;
            // A schedule this build can no longer read (a zone gone from the time zone
            // database) stops being scheduled rather than blocking every other report.
            this.logger.warn(
              `Report ${report.id}: not scheduled: ${error.field}: ${error.message}`,
            );
            await this.reports.update(report.organizationId, report.id, { nextDueAt: null }, work);
          }
        }
        return { reports: due.length, runs: inserted };
      });
      created += runs;
      if (reports < BATCH) return created;
    }
  }

  private async schedule(report: ReportEntity, now: Date, work: UnitOfWork): Promise<number> {
    const organizationId: OrganizationId = report.organizationId;
    const schedule = parseReportSchedule(report.schedule, report.timezone);
    const dueTimes = dueRunsToClaim(schedule, {
      since: report.scheduledThrough,
      now,
      catchUp: report.catchUp,
      limit: this.config.reports.catchUpLimit,
      // A due time counts as on time for two ticks (one may be slow), not as missed.
      graceMs: 2 * this.config.reports.tickMs,
    });
    let budget = dueTimes.length === 0 ? 0 : await this.runs.budgetLeft(organizationId, now, work);
    const runs: NewReportRun[] = dueTimes.map((dueAt) => {
      const run = this.runs.newRun(report, dueAt, 'schedule');
      if (budget > 0) {
        budget--;
        return run;
      }
      // Over the hourly budget: the due time is kept, as a failed run that says why.
      return {
        ...run,
        status: 'failed',
        finishedAt: now,
        errorCode: 'run-limit',
        error: `the organization's budget of ${this.config.reports.runsPerHour} runs an hour (REPORT_RUNS_PER_HOUR) was spent`,
      };
    });
    const inserted = await this.runs.enqueue(organizationId, runs, work);
    await this.reports.update(
      organizationId,
      report.id,
      { scheduledThrough: now, nextDueAt: schedule.nextRuns(now, 1)[0] ?? null },
      work,
    );
    return inserted.length;
  }
}
