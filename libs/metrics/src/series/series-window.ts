import { ProblemException, RequestValidationException } from '@app/common';
import { instantMillis } from '../input/metric-input';
import type { SeriesInterval } from '../repositories/metric-queries';

/** Buckets before `to` that a series covers when `from` is not given. */
export const DEFAULT_SERIES_BUCKETS = 100;

/** With `groupBy`: the most frequent values that keep their own run, unless `groups` says. */
export const SERIES_DEFAULT_GROUPS = 10;
/** The largest `groups` a series request may ask for. */
export const SERIES_MAX_GROUPS = 100;

const FIXED_MS: Record<Exclude<SeriesInterval, 'month'>, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/** Start of the UTC bucket holding `time`, as PostgreSQL's date_trunc (weeks start on Monday). */
export function bucketStart(time: Date, interval: SeriesInterval): Date {
  const t = new Date(time.getTime());
  switch (interval) {
    case 'minute':
      t.setUTCSeconds(0, 0);
      return t;
    case 'hour':
      t.setUTCMinutes(0, 0, 0);
      return t;
    case 'day':
      t.setUTCHours(0, 0, 0, 0);
      return t;
    case 'week': {
      t.setUTCHours(0, 0, 0, 0);
      const sinceMonday = (t.getUTCDay() + 6) % 7;
      return new Date(t.getTime() - sinceMonday * FIXED_MS.day);
    }
    case 'month':
      return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
  }
}

/** `time` moved by `count` buckets (calendar months for `month`). */
export function addBuckets(time: Date, interval: SeriesInterval, count: number): Date {
  if (interval !== 'month') return new Date(time.getTime() + count * FIXED_MS[interval]);
  const t = new Date(time.getTime());
  t.setUTCMonth(t.getUTCMonth() + count);
  return t;
}

/** Buckets from the one holding `from` up to `to` (exclusive). */
export function bucketCount(from: Date, to: Date, interval: SeriesInterval): number {
  const first = bucketStart(from, interval);
  if (interval === 'month') {
    const months =
      (to.getUTCFullYear() - first.getUTCFullYear()) * 12 + to.getUTCMonth() - first.getUTCMonth();
    return addBuckets(first, 'month', months).getTime() < to.getTime() ? months + 1 : months;
  }
  return Math.ceil((to.getTime() - first.getTime()) / FIXED_MS[interval]);
}

/**
 * The time window of a series request. `to` defaults to the end of the bucket holding
 * `now` (so the current, partial bucket is the last and the window, and its cache key,
 * stay put until it ends); `from` to {@link DEFAULT_SERIES_BUCKETS} buckets earlier.
 */
export function resolveSeriesWindow(
  query: { from?: string; to?: string; interval: SeriesInterval },
  now: Date,
  maxPoints: number,
): { from: Date; to: Date } {
  const to =
    query.to === undefined
      ? addBuckets(bucketStart(now, query.interval), query.interval, 1)
      : parseQueryTime(query.to, 'to');
  const from =
    query.from === undefined
      ? addBuckets(bucketStart(to, query.interval), query.interval, -DEFAULT_SERIES_BUCKETS)
      : parseQueryTime(query.from, 'from');
  if (from.getTime() >= to.getTime()) {
    throw new ProblemException(400, 'invalid-time-range', 'from must be before to', [
      { field: 'from', message: 'from must be before to' },
    ]);
  }
  const buckets = bucketCount(from, to, query.interval);
  if (buckets > maxPoints) {
    throw new ProblemException(
      400,
      'series-too-large',
      `From ${from.toISOString()} to ${to.toISOString()} is ${buckets} ${query.interval} buckets; ` +
        `a series has at most ${maxPoints} points (METRICS_SERIES_MAX_POINTS). ` +
        'Narrow the range or use a longer interval.',
      [{ field: 'interval', message: `at most ${maxPoints} buckets` }],
    );
  }
  return { from, to };
}

/**
 * A grouped series is `runs` runs of buckets (the kept groups, and `other` when values were
 * folded): refuses it before it is queried when buckets × runs is over `maxPoints`.
 */
export function checkGroupedSeriesSize(
  window: { from: Date; to: Date; interval: SeriesInterval },
  runs: number,
  maxPoints: number,
): void {
  const buckets = bucketCount(window.from, window.to, window.interval);
  if (buckets * runs <= maxPoints) return;
  throw new ProblemException(
    400,
    'series-too-large',
    `From ${window.from.toISOString()} to ${window.to.toISOString()} is ${buckets} ` +
      `${window.interval} buckets × ${runs} groups = ${buckets * runs} points; a series has at ` +
      `most ${maxPoints} points (METRICS_SERIES_MAX_POINTS). Narrow the range, use a longer ` +
      'interval or ask for fewer groups.',
    [{ field: 'groups', message: `at most ${maxPoints} points (buckets × groups)` }],
  );
}

/**
 * A `from`/`to` query value as a Date: ISO 8601 with a zone, or a bare date (midnight UTC).
 * Anything else is a 400 naming the field, never an Invalid Date that would slip past the
 * window checks (comparisons with NaN are false) and fail later as a 500.
 */
export function parseQueryTime(text: string, field: string): Date {
  const ms = instantMillis(text, true);
  if (Number.isNaN(ms)) {
    throw new RequestValidationException([
      {
        field,
        message: `${field} must be a date (2026-01-31) or an ISO 8601 time with a zone (2026-01-31T12:00:00Z)`,
      },
    ]);
  }
  return new Date(ms);
}
