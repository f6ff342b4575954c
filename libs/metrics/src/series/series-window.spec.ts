import { ProblemException } from '@app/common';
import type { SeriesInterval } from '../repositories/metric-queries';
import {
  addBuckets,
  bucketCount,
  bucketStart,
  DEFAULT_SERIES_BUCKETS,
  resolveSeriesWindow,
} from './series-window';

const INTERVALS: SeriesInterval[] = ['minute', 'hour', 'day', 'week', 'month'];

const at = (iso: string) => new Date(iso);

/** A small seeded generator (mulberry32), so a failing range can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Buckets counted one by one: starts from the one holding `from`, while before `to`. */
function countByStepping(from: Date, to: Date, interval: SeriesInterval): number {
  let count = 0;
  for (let t = bucketStart(from, interval); t < to; t = addBuckets(t, interval, 1)) count++;
  return count;
}

/** The exception resolving the window throws; fails the test if it resolves. */
function rejectionOf(
  query: { from?: string; to?: string; interval: SeriesInterval },
  maxPoints = 10_000,
): ProblemException {
  try {
    resolveSeriesWindow(query, at('2026-01-31T12:34:56Z'), maxPoints);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('expected the window to be refused');
}

describe('bucketStart', () => {
  it.each([
    ['minute', '2026-01-31T12:34:56.789Z', '2026-01-31T12:34:00.000Z'],
    ['hour', '2026-01-31T12:34:56.789Z', '2026-01-31T12:00:00.000Z'],
    ['day', '2026-01-31T12:34:56.789Z', '2026-01-31T00:00:00.000Z'],
    ['month', '2026-01-31T12:34:56.789Z', '2026-01-01T00:00:00.000Z'],
    ['month', '2024-02-29T23:59:59.999Z', '2024-02-01T00:00:00.000Z'],
    ['day', '1969-12-31T23:59:59.999Z', '1969-12-31T00:00:00.000Z'],
    ['minute', '1900-01-01T00:00:59.999Z', '1900-01-01T00:00:00.000Z'],
  ] as const)('starts the %s holding %s at %s (UTC)', (interval, time, start) => {
    expect(bucketStart(at(time), interval).toISOString()).toBe(start);
  });

  it.each([
    ['a Monday at midnight', '2026-01-26T00:00:00.000Z', '2026-01-26T00:00:00.000Z'],
    ['a Wednesday', '2026-01-28T09:00:00.000Z', '2026-01-26T00:00:00.000Z'],
    ['a Saturday', '2026-01-31T12:34:56.789Z', '2026-01-26T00:00:00.000Z'],
    ['a Sunday just before midnight', '2026-02-01T23:59:59.999Z', '2026-01-26T00:00:00.000Z'],
    ['the next Monday', '2026-02-02T00:00:00.000Z', '2026-02-02T00:00:00.000Z'],
    [
      'a new year’s Thursday (previous year)',
      '2026-01-01T08:00:00.000Z',
      '2025-12-29T00:00:00.000Z',
    ],
    ['the epoch, a Thursday', '1970-01-01T00:00:00.000Z', '1969-12-29T00:00:00.000Z'],
  ])('starts weeks on Monday: %s', (_, time, monday) => {
    expect(bucketStart(at(time), 'week').toISOString()).toBe(monday);
  });

  it('leaves the time it is given alone', () => {
    const time = at('2026-01-31T12:34:56.789Z');

    bucketStart(time, 'month');

    expect(time.toISOString()).toBe('2026-01-31T12:34:56.789Z');
  });

  it.each(INTERVALS)(
    'returns, for any time, a %s start at or before it whose bucket holds it',
    (interval) => {
      const next = random(7);
      for (let i = 0; i < 500; i++) {
        const time = new Date(
          Date.UTC(1900, 0, 1) + Math.floor(next() * 300 * 365.25 * 86_400_000),
        );
        const start = bucketStart(time, interval);

        expect(start.getTime()).toBeLessThanOrEqual(time.getTime());
        expect(addBuckets(start, interval, 1).getTime()).toBeGreaterThan(time.getTime());
        expect(bucketStart(start, interval)).toEqual(start);
      }
    },
  );
});

describe('addBuckets', () => {
  it.each([
    ['minute', '2026-01-31T12:00:00Z', 90, '2026-01-31T13:30:00.000Z'],
    ['hour', '2026-01-31T12:00:00Z', -12, '2026-01-31T00:00:00.000Z'],
    ['day', '2026-01-31T12:00:00Z', 1, '2026-02-01T12:00:00.000Z'],
    ['week', '2026-01-31T12:00:00Z', -2, '2026-01-17T12:00:00.000Z'],
    ['month', '2026-01-28T12:00:00Z', 1, '2026-02-28T12:00:00.000Z'],
  ] as const)('moves by %s: %s + %i', (interval, start, count, moved) => {
    expect(addBuckets(at(start), interval, count).toISOString()).toBe(moved);
  });

  it.each([
    ['2026-01-01T00:00:00Z', 1, '2026-02-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00Z', 12, '2027-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00Z', -1, '2025-12-01T00:00:00.000Z'],
    ['2026-02-01T00:00:00Z', -DEFAULT_SERIES_BUCKETS, '2017-10-01T00:00:00.000Z'],
    ['2024-02-01T00:00:00Z', 1, '2024-03-01T00:00:00.000Z'],
  ])('moves month starts by calendar months: %s + %i', (start, count, moved) => {
    expect(addBuckets(at(start), 'month', count).toISOString()).toBe(moved);
  });

  // Months are added like Date#setUTCMonth: a day the target month lacks rolls over into the
  // next. Series only move month starts (day 1), where this never happens.
  it.each([
    ['2026-01-31T00:00:00Z', 1, '2026-03-03T00:00:00.000Z'],
    ['2024-01-31T00:00:00Z', 1, '2024-03-02T00:00:00.000Z'],
    ['2026-03-31T00:00:00Z', -1, '2026-03-03T00:00:00.000Z'],
    ['2026-05-31T10:00:00Z', 1, '2026-07-01T10:00:00.000Z'],
  ])('rolls a day past the end of the target month over: %s + %i month', (start, count, moved) => {
    expect(addBuckets(at(start), 'month', count).toISOString()).toBe(moved);
  });

  it('leaves the time it is given alone', () => {
    const time = at('2026-01-31T00:00:00Z');

    addBuckets(time, 'month', 3);

    expect(time.toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });
});

describe('bucketCount', () => {
  it.each([
    ['hour', '2026-01-31T12:00:00Z', '2026-01-31T13:00:00Z', 1],
    ['hour', '2026-01-31T12:30:00Z', '2026-01-31T13:00:00Z', 1],
    ['hour', '2026-01-31T12:30:00Z', '2026-01-31T13:00:00.001Z', 2],
    ['day', '2026-01-31T23:59:59.999Z', '2026-02-01T00:00:00.001Z', 2],
    ['week', '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z', 1],
    ['month', '2026-01-15T00:00:00Z', '2026-03-01T00:00:00Z', 2],
    ['month', '2026-01-15T00:00:00Z', '2026-03-01T00:00:00.001Z', 3],
    ['month', '2025-12-31T23:59:59Z', '2026-01-01T00:00:01Z', 2],
  ] as const)('counts %s buckets from %s to %s: %i', (interval, from, to, count) => {
    expect(bucketCount(at(from), at(to), interval)).toBe(count);
  });

  it.each(INTERVALS)(
    'agrees with counting %s buckets one by one, over random ranges',
    (interval) => {
      const next = random(INTERVALS.indexOf(interval) + 1);
      // Long enough for hundreds of buckets, short enough to step through quickly.
      const bucket = { minute: 6e4, hour: 3.6e6, day: 8.64e7, week: 6.048e8, month: 2.63e9 };
      const longest = 400 * bucket[interval];
      for (let i = 0; i < 300; i++) {
        const from = new Date(Date.UTC(1900, 0, 1) + Math.floor(next() * 299 * 365 * 86_400_000));
        let to = new Date(from.getTime() + 1 + Math.floor(next() * longest));
        // A third of the ranges end exactly on a bucket boundary.
        if (i % 3 === 0 && bucketStart(to, interval) > from) to = bucketStart(to, interval);

        const counted = countByStepping(from, to, interval);

        expect({ from, to, count: bucketCount(from, to, interval) }).toEqual({
          from,
          to,
          count: counted,
        });
      }
    },
  );
});

describe('resolveSeriesWindow', () => {
  const now = at('2026-01-31T12:34:56Z');

  it.each([
    ['minute', '2026-01-31T12:35:00.000Z', '2026-01-31T10:55:00.000Z'],
    ['hour', '2026-01-31T13:00:00.000Z', '2026-01-27T09:00:00.000Z'],
    ['day', '2026-02-01T00:00:00.000Z', '2025-10-24T00:00:00.000Z'],
    ['week', '2026-02-02T00:00:00.000Z', '2024-03-04T00:00:00.000Z'],
    ['month', '2026-02-01T00:00:00.000Z', '2017-10-01T00:00:00.000Z'],
  ] as const)(
    'ends a %s series with the current bucket and starts it 100 buckets earlier',
    (interval, to, from) => {
      const window = resolveSeriesWindow({ interval }, now, 10_000);

      expect({ from: window.from.toISOString(), to: window.to.toISOString() }).toEqual({
        from,
        to,
      });
      expect(bucketCount(window.from, window.to, interval)).toBe(DEFAULT_SERIES_BUCKETS);
    },
  );

  it('keeps the default window while the current bucket lasts', () => {
    const first = resolveSeriesWindow({ interval: 'hour' }, at('2026-01-31T12:00:00Z'), 10_000);
    const last = resolveSeriesWindow({ interval: 'hour' }, at('2026-01-31T12:59:59.999Z'), 10_000);
    const next = resolveSeriesWindow({ interval: 'hour' }, at('2026-01-31T13:00:00Z'), 10_000);

    expect(last).toEqual(first);
    expect(next.to.toISOString()).toBe('2026-01-31T14:00:00.000Z');
  });

  it('takes from and to as given', () => {
    const window = resolveSeriesWindow(
      { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00+01:00', interval: 'hour' },
      now,
      10_000,
    );

    expect(window).toEqual({ from: at('2026-01-01T00:00:00Z'), to: at('2026-01-01T23:00:00Z') });
  });

  it('defaults to to the end of the current bucket when only from is given', () => {
    const window = resolveSeriesWindow({ from: '2026-01-01T00:00:00Z', interval: 'day' }, now, 100);

    expect(window).toEqual({ from: at('2026-01-01T00:00:00Z'), to: at('2026-02-01T00:00:00Z') });
  });

  it('starts 100 buckets before the bucket holding a given to', () => {
    const aligned = resolveSeriesWindow(
      { to: '2026-01-10T00:00:00Z', interval: 'day' },
      now,
      10_000,
    );
    // A to inside a bucket keeps that bucket too: 100 whole buckets and the partial one.
    const inside = resolveSeriesWindow(
      { to: '2026-01-10T06:00:00Z', interval: 'day' },
      now,
      10_000,
    );

    expect(aligned.from.toISOString()).toBe('2025-10-02T00:00:00.000Z');
    expect(bucketCount(aligned.from, aligned.to, 'day')).toBe(100);
    expect(inside.from.toISOString()).toBe('2025-10-02T00:00:00.000Z');
    expect(bucketCount(inside.from, inside.to, 'day')).toBe(101);
  });

  it.each([
    ['from equals to', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z'],
    ['from is after to', '2026-01-03T00:00:00Z', '2026-01-02T00:00:00Z'],
    ['the same instant written in two zones', '2026-01-02T01:00:00+01:00', '2026-01-02T00:00:00Z'],
  ])('refuses a window where %s', (_, from, to) => {
    const error = rejectionOf({ from, to, interval: 'hour' });

    expect(error.getStatus()).toBe(400);
    expect(error.slug).toBe('invalid-time-range');
    expect(error.fieldErrors).toEqual([{ field: 'from', message: 'from must be before to' }]);
  });

  it('refuses a from after the default to', () => {
    expect(rejectionOf({ from: '2026-02-01T00:00:00Z', interval: 'day' }).slug).toBe(
      'invalid-time-range',
    );
  });

  it('accepts exactly the most buckets a series may have', () => {
    const window = resolveSeriesWindow(
      { from: '2026-01-01T00:00:00Z', to: '2026-01-01T02:00:00Z', interval: 'minute' },
      now,
      120,
    );

    expect(bucketCount(window.from, window.to, 'minute')).toBe(120);
  });

  it('refuses a window of more buckets than a series may have', () => {
    const error = rejectionOf(
      { from: '2026-01-01T00:00:00Z', to: '2026-01-01T02:00:00.001Z', interval: 'minute' },
      120,
    );

    expect(error.getStatus()).toBe(400);
    expect(error.slug).toBe('series-too-large');
    expect(error.message).toContain('is 121 minute buckets');
    expect(error.fieldErrors).toEqual([{ field: 'interval', message: 'at most 120 buckets' }]);
  });

  it('refuses the default window when a series may have fewer than 100 points', () => {
    expect(rejectionOf({ interval: 'day' }, 99).slug).toBe('series-too-large');
  });

  it('refuses a year of minutes when a series may have 500,000 points', () => {
    const error = rejectionOf(
      { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', interval: 'minute' },
      500_000,
    );

    expect(error.message).toContain('is 525600 minute buckets');
  });

  // The DTO's IsISO8601 passes ISO forms that Date cannot read.
  it.each([
    ['from', { from: '2026-W05', to: '2026-02-01T00:00:00Z' }],
    ['from', { from: '2026-031' }],
    ['to', { to: '2026-01-31T12:00:00,5Z' }],
    ['to', { from: '2026-01-01T00:00:00Z', to: 'not a time' }],
  ] as const)('refuses a %s that is not a time Date reads: %j', (field, times) => {
    const error = rejectionOf({ ...times, interval: 'day' });

    expect(error.getStatus()).toBe(400);
    expect(error.slug).toBe('validation-error');
    expect(error.fieldErrors).toEqual([
      {
        field,
        message: `${field} must be a date (2026-01-31) or an ISO 8601 time with a zone (2026-01-31T12:00:00Z)`,
      },
    ]);
  });
});
