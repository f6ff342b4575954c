import {
  addLocalDays,
  firstOfMonth,
  formatInZone,
  isoWeekday,
  localDateTime,
  startOfLocalDay,
  timeZoneProblem,
} from './zoned-time';

const at = (iso: string) => new Date(iso);

describe('timeZoneProblem', () => {
  it.each(['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/New_York', 'Etc/GMT+5', 'US/Eastern'])(
    'accepts %s',
    (zone) => {
      expect(timeZoneProblem(zone)).toBeUndefined();
    },
  );

  it.each([
    ['Mars/Olympus', "'Mars/Olympus' is not an IANA time zone"],
    ['', "'' is not an IANA time zone (use a name such as 'Europe/Berlin')"],
    ['+02:00', "'+02:00' is not an IANA time zone (use a name such as 'Europe/Berlin')"],
    ['-0500', "'-0500' is not an IANA time zone (use a name such as 'Europe/Berlin')"],
    ['GMT+2', "'GMT+2' is not an IANA time zone"],
    ['europe/berlin', "'europe/berlin' is not an IANA time zone; did you mean 'Europe/Berlin'?"],
    [
      ' Europe/Berlin',
      "' Europe/Berlin' is not an IANA time zone (use a name such as 'Europe/Berlin')",
    ],
  ])('refuses %j: %s', (zone, problem) => {
    expect(timeZoneProblem(zone)).toBe(problem);
  });
});

describe('localDateTime', () => {
  it('reads the wall clock on either side of a fall-back transition', () => {
    // 02:30 happens twice in Berlin on 31 October 2027: first in summer time, then in winter.
    const first = localDateTime(at('2027-10-31T00:30:00Z'), 'Europe/Berlin');
    const second = localDateTime(at('2027-10-31T01:30:00Z'), 'Europe/Berlin');
    expect(first).toEqual({ year: 2027, month: 10, day: 31, hour: 2, minute: 30, second: 0 });
    expect(second).toEqual(first);
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(localDateTime(at('2027-01-01T23:00:00.999Z'), 'Europe/Berlin')).toEqual({
      year: 2027,
      month: 1,
      day: 2,
      hour: 0,
      minute: 0,
      second: 0,
    });
  });
});

describe('formatInZone', () => {
  it.each([
    ['2027-03-28T01:30:00Z', 'Europe/Berlin', '2027-03-28T03:30:00+02:00'],
    ['2027-03-28T00:30:00Z', 'Europe/Berlin', '2027-03-28T01:30:00+01:00'],
    ['2027-10-31T00:30:00Z', 'Europe/Berlin', '2027-10-31T02:30:00+02:00'],
    ['2027-10-31T01:30:00Z', 'Europe/Berlin', '2027-10-31T02:30:00+01:00'],
    ['2027-11-07T06:30:00.999Z', 'America/New_York', '2027-11-07T01:30:00-05:00'],
    ['2027-06-01T12:00:00Z', 'UTC', '2027-06-01T12:00:00+00:00'],
    ['2027-06-01T12:00:00Z', 'Asia/Kolkata', '2027-06-01T17:30:00+05:30'],
    ['2027-06-01T12:00:00Z', 'America/St_Johns', '2027-06-01T09:30:00-02:30'],
    ['1850-01-01T00:00:00Z', 'Europe/Berlin', '1850-01-01T00:53:28+00:53:28'],
  ])('writes %s in %s as %s', (instant, zone, text) => {
    expect(formatInZone(at(instant), zone)).toBe(text);
  });

  it('names the same instant it was given', () => {
    for (let hour = 0; hour < 72; hour++) {
      const instant = new Date(Date.UTC(2027, 9, 30, hour, 17, 5));
      for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
        expect(new Date(formatInZone(instant, zone)).getTime()).toBe(instant.getTime());
      }
    }
  });

  it('refuses an invalid date', () => {
    expect(() => formatInZone(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    [{ year: 2027, month: 3, day: 28 }, 'Europe/Berlin', '2027-03-27T23:00:00.000Z'],
    [{ year: 2027, month: 3, day: 29 }, 'Europe/Berlin', '2027-03-28T22:00:00.000Z'],
    [{ year: 2027, month: 10, day: 31 }, 'Europe/Berlin', '2027-10-30T22:00:00.000Z'],
    [{ year: 2027, month: 11, day: 1 }, 'Europe/Berlin', '2027-10-31T23:00:00.000Z'],
    [{ year: 2027, month: 3, day: 14 }, 'America/New_York', '2027-03-14T05:00:00.000Z'],
    [{ year: 2028, month: 2, day: 29 }, 'UTC', '2028-02-29T00:00:00.000Z'],
    // Beirut's clock goes from 23:59:59 on the 27th to 01:00 on the 28th: no midnight.
    [{ year: 2027, month: 3, day: 28 }, 'Asia/Beirut', '2027-03-27T22:00:00.000Z'],
    // Santiago's clock goes back from 24:00 to 23:00 on 3 April: the 4th starts once.
    [{ year: 2027, month: 4, day: 4 }, 'America/Santiago', '2027-04-04T04:00:00.000Z'],
    // Havana's clock goes back from 01:00 to 00:00 on 7 November: the first midnight counts.
    [{ year: 2027, month: 11, day: 7 }, 'America/Havana', '2027-11-07T04:00:00.000Z'],
  ])('starts %j in %s at %s', (date, zone, instant) => {
    expect(startOfLocalDay(date, zone).toISOString()).toBe(instant);
  });

  it('starts each day of 2027 at an instant that reads as that day and follows the last second of the day before', () => {
    const zones = ['Europe/Berlin', 'America/Santiago', 'America/Havana', 'Asia/Beirut'];
    for (const zone of [...zones, 'Australia/Lord_Howe']) {
      let date = { year: 2027, month: 1, day: 1 };
      for (let i = 0; i < 365; i++) {
        const start = startOfLocalDay(date, zone);
        expect(localDateTime(start, zone)).toMatchObject(date);
        const justBefore = localDateTime(new Date(start.getTime() - 1000), zone);
        expect(justBefore).toMatchObject(addLocalDays(date, -1));
        date = addLocalDays(date, 1);
      }
    }
  });
});

describe('calendar arithmetic', () => {
  it.each([
    [{ year: 2028, month: 2, day: 28 }, 1, { year: 2028, month: 2, day: 29 }],
    [{ year: 2027, month: 2, day: 28 }, 1, { year: 2027, month: 3, day: 1 }],
    [{ year: 2027, month: 1, day: 1 }, -1, { year: 2026, month: 12, day: 31 }],
    [{ year: 2027, month: 3, day: 29 }, -7, { year: 2027, month: 3, day: 22 }],
  ])('%j plus %i days is %j', (date, days, expected) => {
    expect(addLocalDays(date, days)).toEqual(expected);
  });

  it.each([
    [{ year: 2028, month: 3, day: 15 }, -1, { year: 2028, month: 2, day: 1 }],
    [{ year: 2027, month: 1, day: 31 }, -1, { year: 2026, month: 12, day: 1 }],
    [{ year: 2027, month: 12, day: 31 }, 1, { year: 2028, month: 1, day: 1 }],
    [{ year: 2027, month: 5, day: 2 }, -25, { year: 2025, month: 4, day: 1 }],
  ])('the month %j moved by %i starts on %j', (date, months, expected) => {
    expect(firstOfMonth(date, months)).toEqual(expected);
  });

  it.each([
    [{ year: 2027, month: 3, day: 29 }, 1],
    [{ year: 2027, month: 3, day: 28 }, 7],
    [{ year: 2028, month: 2, day: 29 }, 2],
  ])('%j is ISO weekday %i', (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });
});
