import { Cron } from 'croner';
import { CRON_OPTIONS, cronExpressionProblem } from './cron-expression';
import { ReportScheduleError } from './report-schedule-error';
import { timeZoneProblem } from './zoned-time';

// A 5-field schedule repeats within the 400-year Gregorian cycle, so one that croner (which
// searches up to the year 3000) cannot place after this fixed instant never fires.
const NEVER_FIRES_REFERENCE = new Date(Date.UTC(2000, 0, 1));

/**
 * A report's cron schedule in its IANA time zone. Build one with {@link parseReportSchedule}.
 *
 * Daylight saving follows croner, which follows Vixie cron:
 * - A fixed-time schedule (one minute and one hour, as `30 2 * * *`) whose wall time is
 *   skipped runs when the clock jumps past it: Berlin's 02:30 on 28 March 2027 runs at
 *   03:00+02:00, the first instant after the gap, so the day keeps its one run and it comes
 *   no later than it must. A wall time that occurs twice runs once, at the first occurrence
 *   (02:30+02:00 on 31 October 2027, not again at 02:30+01:00).
 * - Any other schedule (a wildcard, step, range or list in the minute or hour, as `0 * * * *`
 *   or `0 2,14 * * *`) runs at each instant the wall clock reads a matching time: skipped
 *   times do not run and repeated times run twice, so an hourly schedule runs 23 times on the
 *   spring-forward day and 25 on the fall-back day.
 *
 * Due times are whole minutes; "after" and "before" are strict, to the millisecond.
 */
export class ReportSchedule {
  private constructor(
    /** The expression as given (5 fields or a nickname). */
    readonly expression: string,
    /** The IANA zone its wall-clock times are read in. */
    readonly timezone: string,
    private readonly cron: Cron,
  ) {}

  /** Validates and builds; see {@link parseReportSchedule}. */
  static parse(schedule: string, timezone: string): ReportSchedule {
    const scheduleProblem = cronExpressionProblem(schedule);
    if (scheduleProblem !== undefined) throw new ReportScheduleError('schedule', scheduleProblem);
    const zoneProblem = timeZoneProblem(timezone);
    if (zoneProblem !== undefined) throw new ReportScheduleError('timezone', zoneProblem);
    const cron = new Cron(schedule, { ...CRON_OPTIONS, timezone });
    if (cron.nextRun(NEVER_FIRES_REFERENCE) === null) {
      throw new ReportScheduleError('schedule', `'${schedule.trim()}' never fires`);
    }
    return new ReportSchedule(schedule, timezone, cron);
  }

  /** The first `count` due times strictly after `after`, ascending. */
  nextRuns(after: Date, count: number): Date[] {
    checkDate(after, 'after');
    checkCount(count, 'count');
    return count === 0 ? [] : this.cron.nextRuns(count, after);
  }

  /**
   * Due times in (`afterExclusive`, `untilInclusive`], ascending; at most `limit`, the
   * earliest ones.
   */
  dueTimesBetween(afterExclusive: Date, untilInclusive: Date, limit: number): Date[] {
    checkDate(afterExclusive, 'afterExclusive');
    checkDate(untilInclusive, 'untilInclusive');
    checkCount(limit, 'limit');
    const due: Date[] = [];
    let cursor = afterExclusive;
    while (due.length < limit) {
      const next = this.cron.nextRun(cursor);
      if (next === null || next.getTime() > untilInclusive.getTime()) break;
      due.push(next);
      cursor = next;
    }
    return due;
  }

  /** The last due time strictly before `before`, or null if there is none. */
  previousRun(before: Date): Date | null {
    checkDate(before, 'before');
    // Croner drops the milliseconds of the reference before looking strictly earlier, so a due
    // time at 12:01:00 is missed for 12:01:00.500; from the next whole second it is found.
    const reference = new Date(Math.ceil(before.getTime() / 1000) * 1000);
    return this.cron.previousRuns(1, reference)[0] ?? null;
  }
}

/**
 * Parses a report's `schedule` — five cron fields (minute hour day-of-month month day-of-week)
 * or one of {@link SCHEDULE_NICKNAMES} — read in the IANA zone `timezone`. Day-of-month and
 * day-of-week combine with OR, as in Vixie cron. Throws {@link ReportScheduleError} naming
 * the field at fault (the schedule's syntax is checked first, then the zone, then that the
 * schedule ever fires in that zone).
 */
export function parseReportSchedule(schedule: string, timezone: string): ReportSchedule {
  return ReportSchedule.parse(schedule, timezone);
}

function checkDate(value: Date, name: string): void {
  if (Number.isNaN(value.getTime())) throw new RangeError(`${name} is an invalid date`);
}

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
}
