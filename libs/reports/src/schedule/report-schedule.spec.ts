import { SCHEDULE_NICKNAMES } from './cron-expression';
import { parseReportSchedule, type ReportSchedule } from './report-schedule';
import { ReportScheduleError } from './report-schedule-error';

const at = (iso: string) => new Date(iso);
const isoList = (dates: Date[]) => dates.map((date) => date.toISOString());

/** The error parsing throws; fails the test if it parses. */
function refusal(schedule: string, timezone = 'UTC'): ReportScheduleError {
  try {
    parseReportSchedule(schedule, timezone);
  } catch (error) {
    if (error instanceof ReportScheduleError) return error;
    throw error;
  }
  throw new Error(`expected '${schedule}' in '${timezone}' to be refused`);
}

describe('parseReportSchedule', () => {
  it.each([
    ['30 2 * * *', '2027-01-01T02:30:00.000Z'],
    ['  */15   9-17 * * MON-FRI ', '2027-01-01T09:00:00.000Z'],
    ['0 12 L * *', '2027-01-31T12:00:00.000Z'],
    ['0 0 29 2 *', '2028-02-29T00:00:00.000Z'],
    ['0 0 * * 7', '2027-01-03T00:00:00.000Z'],
    ['@hourly', '2027-01-01T01:00:00.000Z'],
    ['@daily', '2027-01-02T00:00:00.000Z'],
    ['@weekly', '2027-01-03T00:00:00.000Z'],
    ['@monthly', '2027-02-01T00:00:00.000Z'],
    ['@yearly', '2028-01-01T00:00:00.000Z'],
  ])('accepts %j, next due after 2027-01-01T00:00Z at %s', (schedule, next) => {
    const parsed = parseReportSchedule(schedule, 'UTC');
    expect(parsed.expression).toBe(schedule);
    expect(parsed.timezone).toBe('UTC');
    expect(isoList(parsed.nextRuns(at('2027-01-01T00:00:00Z'), 1))).toEqual([next]);
  });

  it('combines day-of-month and day-of-week with OR, as Vixie cron does', () => {
    // 1 January 2027 is a Friday: the 1st of the month, then the Mondays.
    const parsed = parseReportSchedule('0 8 1 * 1', 'UTC');
    expect(isoList(parsed.nextRuns(at('2026-12-31T00:00:00Z'), 3))).toEqual([
      '2027-01-01T08:00:00.000Z',
      '2027-01-04T08:00:00.000Z',
      '2027-01-11T08:00:00.000Z',
    ]);
  });

  it('accepts each nickname it lists', () => {
    for (const nickname of SCHEDULE_NICKNAMES) {
      expect(
        parseReportSchedule(nickname, 'UTC').nextRuns(at('2027-01-01T00:00:00Z'), 1),
      ).toHaveLength(1);
    }
  });

  const FIVE = 'expected five fields (minute hour day-of-month month day-of-week)';
  it.each([
    ['61 * * * *', 'minute field 61 is out of range 0–59'],
    ['0-60 * * * *', 'minute field 60 is out of range 0–59'],
    ['0 24 * * *', 'hour field 24 is out of range 0–23'],
    ['0 0 32 * *', 'day-of-month field 32 is out of range 1–31'],
    ['0 0 0 * *', 'day-of-month field 0 is out of range 1–31'],
    ['0 0 32W * *', 'day-of-month field 32 is out of range 1–31'],
    ['0 0 1 13 *', 'month field 13 is out of range 1–12'],
    ['0 0 * * 8', 'day-of-week field 8 is out of range 0–7'],
    ['0 0 * * 1,9#2', 'day-of-week field 9 is out of range 0–7'],
    ['*/0 * * * *', "minute field '*/0' is invalid: Syntax error, illegal stepping: 0"],
    ['5-1 * * * *', "minute field '5-1' is invalid: From value is larger than to value: '5-1'"],
    [
      'x 0 * * *',
      "minute field 'x' is invalid: configuration entry 1 (x) contains illegal characters.",
    ],
    [
      '0 0 * * 1#6',
      "day-of-week field '1#6' is invalid: nth weekday out of range, should be 1-5 or L. Value: 6, Type: string",
    ],
    ['0 0 * * * *', `${FIVE}, got 6: a seconds field is not supported`],
    ['0 0 0 * * * 2030', `${FIVE}, got 7: seconds and year fields are not supported`],
    ['* * * *', `${FIVE}, got 4`],
    ['', `${FIVE}, got none`],
    ['   ', `${FIVE}, got none`],
    ['@reboot', '@reboot is not supported: a report runs at times, not at start-up'],
    [
      '@fortnightly',
      "unknown nickname '@fortnightly'; use five fields or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly",
    ],
    ['0 0 31 2 *', "'0 0 31 2 *' never fires"],
    ['0 0 30 2 *', "'0 0 30 2 *' never fires"],
  ])('refuses schedule %j: %s', (schedule, message) => {
    const error = refusal(schedule);
    expect(error.field).toBe('schedule');
    expect(error.message).toBe(message);
  });

  it('refuses a schedule that never fires in its zone only', () => {
    // In Berlin the last Sunday of March is the spring-forward day: 02:15 and 02:45 are skipped.
    const schedule = '15,45 2 * 3 0#L';
    expect(refusal(schedule, 'Europe/Berlin').message).toBe(`'${schedule}' never fires`);
    expect(parseReportSchedule(schedule, 'UTC').nextRuns(at('2027-01-01T00:00:00Z'), 1)).toEqual([
      at('2027-03-28T02:15:00Z'),
    ]);
  });

  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Etc/GMT+5'])(
    'accepts the zone %s',
    (zone) => {
      expect(parseReportSchedule('0 9 * * *', zone).timezone).toBe(zone);
    },
  );

  it.each([
    ['Mars/Olympus', "'Mars/Olympus' is not an IANA time zone"],
    ['', "'' is not an IANA time zone (use a name such as 'Europe/Berlin')"],
    ['+02:00', "'+02:00' is not an IANA time zone (use a name such as 'Europe/Berlin')"],
  ])('refuses the zone %j: %s', (zone, message) => {
    const error = refusal('0 9 * * *', zone);
    expect(error).toBeInstanceOf(Error);
    expect(error.field).toBe('timezone');
    expect(error.message).toBe(message);
  });

  it('reports the schedule before the zone when both are wrong', () => {
    expect(refusal('61 * * * *', 'Mars/Olympus').field).toBe('schedule');
  });
});

describe('ReportSchedule', () => {
  const everyQuarter = parseReportSchedule('*/15 * * * *', 'Europe/Berlin');

  it('lists next runs strictly after the given instant', () => {
    expect(isoList(everyQuarter.nextRuns(at('2027-01-01T12:15:00Z'), 3))).toEqual([
      '2027-01-01T12:30:00.000Z',
      '2027-01-01T12:45:00.000Z',
      '2027-01-01T13:00:00.000Z',
    ]);
    expect(isoList(everyQuarter.nextRuns(at('2027-01-01T12:14:59.999Z'), 1))).toEqual([
      '2027-01-01T12:15:00.000Z',
    ]);
    expect(everyQuarter.nextRuns(at('2027-01-01T12:15:00Z'), 0)).toEqual([]);
  });

  it('lists due times in (after, until], earliest first, at most limit', () => {
    const from = at('2027-01-01T12:00:00Z');
    const until = at('2027-01-01T13:00:00Z');
    expect(isoList(everyQuarter.dueTimesBetween(from, until, 100))).toEqual([
      '2027-01-01T12:15:00.000Z',
      '2027-01-01T12:30:00.000Z',
      '2027-01-01T12:45:00.000Z',
      '2027-01-01T13:00:00.000Z',
    ]);
    expect(isoList(everyQuarter.dueTimesBetween(from, until, 2))).toEqual([
      '2027-01-01T12:15:00.000Z',
      '2027-01-01T12:30:00.000Z',
    ]);
    expect(everyQuarter.dueTimesBetween(from, at('2027-01-01T12:14:59.999Z'), 100)).toEqual([]);
    expect(everyQuarter.dueTimesBetween(until, from, 100)).toEqual([]);
    expect(everyQuarter.dueTimesBetween(from, until, 0)).toEqual([]);
  });

  it('finds the previous run strictly before the given instant, to the millisecond', () => {
    expect(everyQuarter.previousRun(at('2027-01-01T12:15:00.000Z'))).toEqual(
      at('2027-01-01T12:00:00Z'),
    );
    // Croner alone answers 12:00 for these two (it drops the milliseconds first).
    expect(everyQuarter.previousRun(at('2027-01-01T12:15:00.001Z'))).toEqual(
      at('2027-01-01T12:15:00Z'),
    );
    expect(everyQuarter.previousRun(at('2027-01-01T12:15:00.500Z'))).toEqual(
      at('2027-01-01T12:15:00Z'),
    );
    expect(everyQuarter.previousRun(at('2027-01-01T12:29:59.999Z'))).toEqual(
      at('2027-01-01T12:15:00Z'),
    );
  });

  it.each([
    ['30 2 * * *', 'Europe/Berlin'],
    ['0 * * * *', 'Europe/Berlin'],
    ['*/20 1-3 * * *', 'America/New_York'],
    ['15 2 * * *', 'Australia/Lord_Howe'], // a 30-minute daylight saving shift
    ['0 0 * * *', 'Asia/Beirut'], // midnight skipped in spring
    ['30 2 * * *', 'Pacific/Auckland'],
    ['30 1 * * 0', 'America/New_York'],
  ])(
    'steps back over the due times it steps forward through, around 2027 transitions (%s in %s)',
    (expression, zone) => {
      const schedule: ReportSchedule = parseReportSchedule(expression, zone);
      // Every zone here changes its clock in March–April and in September–November 2027.
      for (const [from, until] of [
        ['2027-03-01T00:00:00Z', '2027-04-10T00:00:00Z'],
        ['2027-09-25T00:00:00Z', '2027-11-10T00:00:00Z'],
      ]) {
        const forward = schedule.dueTimesBetween(at(from), at(until), 5_000);
        expect(forward.length).toBeGreaterThan(1);
        for (let i = 1; i < forward.length; i++) {
          expect(forward[i].getTime()).toBeGreaterThan(forward[i - 1].getTime());
          expect(schedule.previousRun(forward[i])).toEqual(forward[i - 1]);
          expect(schedule.previousRun(new Date(forward[i].getTime() + 1))).toEqual(forward[i]);
        }
      }
    },
  );

  it('refuses invalid dates and counts', () => {
    const bad = new Date(Number.NaN);
    expect(() => everyQuarter.nextRuns(bad, 1)).toThrow('after is an invalid date');
    expect(() => everyQuarter.nextRuns(at('2027-01-01T00:00:00Z'), -1)).toThrow(RangeError);
    expect(() => everyQuarter.dueTimesBetween(at('2027-01-01T00:00:00Z'), bad, 1)).toThrow(
      RangeError,
    );
    expect(() =>
      everyQuarter.dueTimesBetween(at('2027-01-01T00:00:00Z'), at('2027-01-02T00:00:00Z'), 1.5),
    ).toThrow('limit must be a whole number ≥ 0, got 1.5');
    expect(() => everyQuarter.previousRun(bad)).toThrow(RangeError);
  });
});
