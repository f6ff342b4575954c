import { previousPeriod, type ReportPeriod, reportPeriod } from './report-period';
import { parseReportSchedule } from './report-schedule';
import { formatInZone } from './zoned-time';

const HOUR_MS = 3_600_000;
const at = (iso: string) => new Date(iso);
const daily = (timezone: string) => parseReportSchedule('0 6 * * *', timezone);

/** A period written in its zone, with its length in hours. */
function described(period: ReportPeriod): [string, string, number] {
  const { start, end, timezone } = period;
  const hours = (end.getTime() - start.getTime()) / HOUR_MS;
  return [formatInZone(start, timezone), formatInZone(end, timezone), hours];
}

describe('reportPeriod', () => {
  const berlin = 'Europe/Berlin';

  it.each([
    // The spring-forward day has 23 hours, the fall-back day 25.
    ['2027-03-29T06:00:00+02:00', ['2027-03-28T00:00:00+01:00', '2027-03-29T00:00:00+02:00', 23]],
    ['2027-11-01T06:00:00+01:00', ['2027-10-31T00:00:00+02:00', '2027-11-01T00:00:00+01:00', 25]],
    ['2027-06-15T00:00:00+02:00', ['2027-06-14T00:00:00+02:00', '2027-06-15T00:00:00+02:00', 24]],
    // 23:30 UTC on 1 June is already 2 June in Berlin.
    ['2027-06-01T23:30:00Z', ['2027-06-01T00:00:00+02:00', '2027-06-02T00:00:00+02:00', 24]],
  ])('covers the local day before %s', (dueAt, expected) => {
    expect(described(reportPeriod(at(dueAt), 'day', berlin, daily(berlin)))).toEqual(expected);
  });

  it('starts a day at the jump where the zone skips midnight', () => {
    // Beirut goes from 23:59:59 on 27 March 2027 to 01:00 on the 28th.
    const period = reportPeriod(
      at('2027-03-29T06:00:00+03:00'),
      'day',
      'Asia/Beirut',
      daily('Asia/Beirut'),
    );
    expect(described(period)).toEqual([
      '2027-03-28T01:00:00+03:00',
      '2027-03-29T00:00:00+03:00',
      23,
    ]);
  });

  it.each([
    // Due on a Monday: the week that ended the night before.
    ['2027-03-29T09:00:00+02:00', ['2027-03-22T00:00:00+01:00', '2027-03-29T00:00:00+02:00', 167]],
    // Due on a Sunday: its own week is not complete, so the one before.
    ['2027-03-28T12:00:00+02:00', ['2027-03-15T00:00:00+01:00', '2027-03-22T00:00:00+01:00', 168]],
    // Friday 1 January 2027 is in the ISO week that began on Monday 28 December 2026.
    ['2027-01-01T12:00:00+01:00', ['2026-12-21T00:00:00+01:00', '2026-12-28T00:00:00+01:00', 168]],
  ])('covers the ISO week before the one holding %s', (dueAt, expected) => {
    expect(described(reportPeriod(at(dueAt), 'week', berlin, daily(berlin)))).toEqual(expected);
  });

  it.each([
    [
      '2028-03-01T06:00:00+01:00',
      ['2028-02-01T00:00:00+01:00', '2028-03-01T00:00:00+01:00', 29 * 24],
    ],
    [
      '2027-04-01T06:00:00+02:00',
      ['2027-03-01T00:00:00+01:00', '2027-04-01T00:00:00+02:00', 31 * 24 - 1],
    ],
    [
      '2027-01-15T06:00:00+01:00',
      ['2026-12-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', 31 * 24],
    ],
  ])('covers the calendar month before the one holding %s', (dueAt, expected) => {
    expect(described(reportPeriod(at(dueAt), 'month', berlin, daily(berlin)))).toEqual(expected);
  });

  it('covers the span since the previous due time for a schedule period', () => {
    const weekdays = parseReportSchedule('0 9 * * 1-5', 'UTC');
    const monday = at('2027-03-29T09:00:00Z');
    expect(reportPeriod(monday, 'schedule', 'UTC', weekdays)).toEqual({
      start: at('2027-03-26T09:00:00Z'),
      end: monday,
      kind: 'schedule',
      timezone: 'UTC',
    });
  });

  it('spans the moved spring-forward run for a schedule period', () => {
    // 02:30 on 28 March ran at 03:00+02:00; the next day's run covers from then.
    const schedule = parseReportSchedule('30 2 * * *', berlin);
    const period = reportPeriod(at('2027-03-29T02:30:00+02:00'), 'schedule', berlin, schedule);
    expect(described(period)).toEqual([
      '2027-03-28T03:00:00+02:00',
      '2027-03-29T02:30:00+02:00',
      23.5,
    ]);
  });
});

describe('previousPeriod', () => {
  const berlin = 'Europe/Berlin';

  it('steps back a calendar day, whatever its length', () => {
    const monday = reportPeriod(at('2027-03-30T06:00:00+02:00'), 'day', berlin, daily(berlin));
    const sunday = previousPeriod(monday);
    const saturday = previousPeriod(sunday);
    expect(described(monday)).toEqual([
      '2027-03-29T00:00:00+02:00',
      '2027-03-30T00:00:00+02:00',
      24,
    ]);
    expect(described(sunday)).toEqual([
      '2027-03-28T00:00:00+01:00',
      '2027-03-29T00:00:00+02:00',
      23,
    ]);
    expect(described(saturday)).toEqual([
      '2027-03-27T00:00:00+01:00',
      '2027-03-28T00:00:00+01:00',
      24,
    ]);
  });

  it('steps back an ISO week and a calendar month', () => {
    const week = reportPeriod(at('2027-04-05T09:00:00+02:00'), 'week', berlin, daily(berlin));
    expect(described(previousPeriod(week))).toEqual([
      '2027-03-22T00:00:00+01:00',
      '2027-03-29T00:00:00+02:00',
      167,
    ]);
    const february = reportPeriod(at('2028-03-01T06:00:00+01:00'), 'month', berlin, daily(berlin));
    expect(described(previousPeriod(february))).toEqual([
      '2028-01-01T00:00:00+01:00',
      '2028-02-01T00:00:00+01:00',
      31 * 24,
    ]);
  });

  it('steps back the same duration for a schedule period', () => {
    const weekdays = parseReportSchedule('0 9 * * 1-5', 'UTC');
    const period = reportPeriod(at('2027-03-29T09:00:00Z'), 'schedule', 'UTC', weekdays);
    expect(previousPeriod(period)).toEqual({
      start: at('2027-03-23T09:00:00Z'),
      end: at('2027-03-26T09:00:00Z'),
      kind: 'schedule',
      timezone: 'UTC',
    });
  });

  it.each([
    ['day', 400],
    ['week', 110],
    ['month', 26],
  ] as const)(
    'chains %s periods back without gaps, each the period due at its own end',
    (kind, steps) => {
      for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Beirut', 'America/Havana']) {
        const schedule = daily(zone);
        let period = reportPeriod(at('2029-01-01T12:00:00Z'), kind, zone, schedule);
        for (let i = 0; i < steps; i++) {
          const before = previousPeriod(period);
          expect(before.end).toEqual(period.start);
          expect(before.start.getTime()).toBeLessThan(before.end.getTime());
          expect(reportPeriod(period.start, kind, zone, schedule)).toEqual(before);
          period = before;
        }
      }
    },
  );
});
