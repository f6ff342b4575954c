import { parseReportSchedule } from './report-schedule';
import { addLocalDays, formatInZone, type LocalDate, startOfLocalDay } from './zoned-time';

/** The due times within one local day, written in the zone. */
function runsOnDay(expression: string, timezone: string, date: LocalDate): string[] {
  const schedule = parseReportSchedule(expression, timezone);
  const start = startOfLocalDay(date, timezone);
  const end = startOfLocalDay(addLocalDays(date, 1), timezone);
  return schedule
    .dueTimesBetween(new Date(start.getTime() - 1), new Date(end.getTime() - 1), 1000)
    .map((instant) => formatInZone(instant, timezone));
}

/** `'2027-03-28T'` + each hour from `hours` + `:00:00` + its offset. */
function hourly(day: string, hours: [number, string][]): string[] {
  return hours.map(([hour, offset]) => `${day}T${String(hour).padStart(2, '0')}:00:00${offset}`);
}

function range(from: number, to: number, offset: string): [number, string][] {
  return Array.from({ length: to - from + 1 }, (_, i) => [from + i, offset]);
}

describe('daylight saving in Europe/Berlin, 2027', () => {
  const zone = 'Europe/Berlin';
  const springForward = { year: 2027, month: 3, day: 28 }; // 02:00 → 03:00
  const fallBack = { year: 2027, month: 10, day: 31 }; // 03:00 → 02:00

  it('runs a skipped 02:30 once, when the clock jumps to 03:00', () => {
    expect(runsOnDay('30 2 * * *', zone, springForward)).toEqual(['2027-03-28T03:00:00+02:00']);
    expect(runsOnDay('30 2 * * *', zone, addLocalDays(springForward, -1))).toEqual([
      '2027-03-27T02:30:00+01:00',
    ]);
    expect(runsOnDay('30 2 * * *', zone, addLocalDays(springForward, 1))).toEqual([
      '2027-03-29T02:30:00+02:00',
    ]);
  });

  it('runs a repeated 02:30 once, at its first occurrence', () => {
    expect(runsOnDay('30 2 * * *', zone, fallBack)).toEqual(['2027-10-31T02:30:00+02:00']);
    const schedule = parseReportSchedule('30 2 * * *', zone);
    // Between the two 02:30s, the next run is the next day's, and the previous the first.
    const between = new Date('2027-10-31T01:00:00Z');
    expect(schedule.nextRuns(between, 1)).toEqual([new Date('2027-11-01T01:30:00Z')]);
    expect(schedule.previousRun(new Date('2027-10-31T01:45:00Z'))).toEqual(
      new Date('2027-10-31T00:30:00Z'),
    );
  });

  it('runs an hourly schedule 23 times on the spring-forward day, skipping 02:00', () => {
    const runs = runsOnDay('0 * * * *', zone, springForward);
    expect(runs).toEqual(
      hourly('2027-03-28', [...range(0, 1, '+01:00'), ...range(3, 23, '+02:00')]),
    );
    expect(new Set(runs).size).toBe(23);
  });

  it('runs an hourly schedule 25 times on the fall-back day, 02:00 in both offsets', () => {
    const runs = runsOnDay('0 * * * *', zone, fallBack);
    expect(runs).toEqual(
      hourly('2027-10-31', [...range(0, 2, '+02:00'), ...range(2, 23, '+01:00')]),
    );
    expect(new Set(runs).size).toBe(25);
  });

  it('skips, rather than moves, a listed hour the clock skips (only one hour and minute move)', () => {
    expect(runsOnDay('30 2,14 * * *', zone, springForward)).toEqual(['2027-03-28T14:30:00+02:00']);
    expect(runsOnDay('30 2,14 * * *', zone, fallBack)).toEqual([
      '2027-10-31T02:30:00+02:00',
      '2027-10-31T02:30:00+01:00',
      '2027-10-31T14:30:00+01:00',
    ]);
  });
});

describe('daylight saving in America/New_York, 2027', () => {
  const zone = 'America/New_York';
  const springForward = { year: 2027, month: 3, day: 14 }; // 02:00 → 03:00
  const fallBack = { year: 2027, month: 11, day: 7 }; // 02:00 → 01:00

  it('runs a skipped 02:30 once, when the clock jumps to 03:00', () => {
    expect(runsOnDay('30 2 * * *', zone, springForward)).toEqual(['2027-03-14T03:00:00-04:00']);
  });

  it('runs a repeated 01:30 once, at its first occurrence', () => {
    expect(runsOnDay('30 1 * * *', zone, fallBack)).toEqual(['2027-11-07T01:30:00-04:00']);
  });

  it('runs a daily 02:30 on the fall-back day as usual: 02:30 happens once', () => {
    expect(runsOnDay('30 2 * * *', zone, fallBack)).toEqual(['2027-11-07T02:30:00-05:00']);
  });

  it('runs an hourly schedule 23 and 25 times on the transition days', () => {
    expect(runsOnDay('0 * * * *', zone, springForward)).toEqual(
      hourly('2027-03-14', [...range(0, 1, '-05:00'), ...range(3, 23, '-04:00')]),
    );
    expect(runsOnDay('0 * * * *', zone, fallBack)).toEqual(
      hourly('2027-11-07', [...range(0, 1, '-04:00'), ...range(1, 23, '-05:00')]),
    );
  });
});
