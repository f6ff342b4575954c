// The entity's ReportPeriod names the kind; here ReportPeriod is the span it stands for.
import type { ReportPeriod as ReportPeriodKind } from '../entities/report.entity';
import type { ReportSchedule } from './report-schedule';
import {
  addLocalDays,
  firstOfMonth,
  isoWeekday,
  type LocalDate,
  localDateTime,
  startOfLocalDay,
} from './zoned-time';

/** The stretch of time [start, end) a report run covers, and how it was reckoned. */
export interface ReportPeriod {
  start: Date;
  end: Date;
  kind: ReportPeriodKind;
  timezone: string;
}

/**
 * The last complete period before `dueAt`, reckoned in `timezone`'s calendar:
 * - `day`: the local day before dueAt's local date, [yesterday 00:00, today 00:00);
 * - `week`: the ISO week (Monday–Sunday) before the one holding dueAt;
 * - `month`: the calendar month before the one holding dueAt;
 * - `schedule`: [the schedule's previous due time, dueAt).
 * Days are reckoned on the calendar and then turned into instants, so one that holds a
 * daylight saving change lasts 23 or 25 hours. A day starts at its first instant: local
 * midnight, or the instant the clock jumps past it where a zone skips midnight.
 */
export function reportPeriod(
  dueAt: Date,
  period: ReportPeriodKind,
  timezone: string,
  schedule: ReportSchedule,
): ReportPeriod {
  if (period === 'schedule') {
    const start = schedule.previousRun(dueAt);
    if (start === null) throw new RangeError(`no due time precedes ${dueAt.toISOString()}`);
    return { start, end: dueAt, kind: period, timezone };
  }
  const today = localDate(dueAt, timezone);
  const current = periodHolding(today, period);
  return calendarPeriod(stepBack(current, period), current, period, timezone);
}

/**
 * The period of the same calendar meaning just before `period`: the day, ISO week or calendar
 * month before it; for `schedule`, the same duration before it.
 */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const { start, kind, timezone } = period;
  if (kind === 'schedule') {
    const duration = period.end.getTime() - start.getTime();
    return { start: new Date(start.getTime() - duration), end: start, kind, timezone };
  }
  const first = localDate(start, timezone);
  return calendarPeriod(stepBack(first, kind), first, kind, timezone);
}

type CalendarKind = Exclude<ReportPeriodKind, 'schedule'>;

/** The first local date of the day, ISO week or month holding `date`. */
function periodHolding(date: LocalDate, kind: CalendarKind): LocalDate {
  switch (kind) {
    case 'day':
      return date;
    case 'week':
      return addLocalDays(date, 1 - isoWeekday(date));
    case 'month':
      return firstOfMonth(date, 0);
  }
}

/** The first local date of the period before the one starting on `first`. */
function stepBack(first: LocalDate, kind: CalendarKind): LocalDate {
  switch (kind) {
    case 'day':
      return addLocalDays(first, -1);
    case 'week':
      return addLocalDays(first, -7);
    case 'month':
      return firstOfMonth(first, -1);
  }
}

function calendarPeriod(
  first: LocalDate,
  next: LocalDate,
  kind: CalendarKind,
  timezone: string,
): ReportPeriod {
  return {
    start: startOfLocalDay(first, timezone),
    end: startOfLocalDay(next, timezone),
    kind,
    timezone,
  };
}

function localDate(instant: Date, timezone: string): LocalDate {
  const { year, month, day } = localDateTime(instant, timezone);
  return { year, month, day };
}
