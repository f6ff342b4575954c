import type { ReportCatchUp } from '../entities/report.entity';
import type { ReportSchedule } from './report-schedule';

/** How old a due time may be and still count as current rather than missed. */
export const DEFAULT_DUE_GRACE_MS = 60_000;

export interface DueRunsRequest {
  /** The last claimed due time, or the report's creation time; exclusive. */
  since: Date;
  /** The scheduler tick's time; inclusive. */
  now: Date;
  /** What to do with due times missed (every process down, or a late tick). */
  catchUp: ReportCatchUp;
  /** The most due times to return (e.g. 100); the most recent are kept. */
  limit: number;
  /**
   * A due time at or after `now - graceMs` is current, an earlier one missed. Keep it above
   * the tick interval plus its jitter, or a late tick turns a due time into a missed one
   * (dropped under `skip`). Default {@link DEFAULT_DUE_GRACE_MS}.
   */
  graceMs?: number;
}

/**
 * The due times in (`since`, `now`] a scheduler tick should claim, ascending:
 * - every current one (due within `graceMs` before `now`), whatever the policy;
 * - of the missed ones (older than that): none for `skip`, the most recent for `latest`,
 *   all for `all`.
 * At most `limit` are returned, the most recent: current ones before missed ones, and of the
 * missed the latest. Older ones beyond the limit are dropped for good once the caller moves
 * `since` to the last one claimed.
 */
export function dueRunsToClaim(schedule: ReportSchedule, request: DueRunsRequest): Date[] {
  const { since, now, catchUp, limit, graceMs = DEFAULT_DUE_GRACE_MS } = request;
  if (Number.isNaN(since.getTime()) || Number.isNaN(now.getTime())) {
    throw new RangeError('since and now must be valid dates');
  }
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  }
  if (!Number.isFinite(graceMs) || graceMs < 0) {
    throw new RangeError(`graceMs must be ≥ 0, got ${graceMs}`);
  }
  // Instants are whole milliseconds, so "at or after X" is "after X − 1 ms".
  const lastMissed = now.getTime() - graceMs - 1;
  const current = latestDueTimes(schedule, Math.max(since.getTime(), lastMissed), now, limit);
  const room = limit - current.length;
  if (catchUp === 'skip' || room === 0 || lastMissed <= since.getTime()) return current;
  const wanted = catchUp === 'latest' ? 1 : room;
  return [...latestDueTimes(schedule, since.getTime(), new Date(lastMissed), wanted), ...current];
}

/** The last `limit` due times in (afterExclusive, untilInclusive], ascending. */
function latestDueTimes(
  schedule: ReportSchedule,
  afterExclusive: number,
  untilInclusive: Date,
  limit: number,
): Date[] {
  const due: Date[] = [];
  let before = new Date(untilInclusive.getTime() + 1);
  while (due.length < limit) {
    const previous = schedule.previousRun(before);
    if (previous === null || previous.getTime() <= afterExclusive) break;
    due.push(previous);
    before = previous;
  }
  return due.reverse();
}
