import { formatDateTime, formatPeriod, localIsoDate, wallClockAsUtc } from './report-time';

describe('report time', () => {
  const march = { start: new Date('2027-02-28T23:00:00Z'), end: new Date('2027-03-31T22:00:00Z') };

  it('shows a period by the days it includes, its end being exclusive', () => {
    expect(formatPeriod(march, 'Europe/Berlin')).toBe('1 Mar 2027 – 31 Mar 2027 (Europe/Berlin)');
  });

  it('shows a one-day period as that day', () => {
    const day = { start: new Date('2027-03-01T00:00:00Z'), end: new Date('2027-03-02T00:00:00Z') };

    expect(formatPeriod(day, 'UTC')).toBe('1 Mar 2027 (UTC)');
  });

  it('shows the same instants in another zone as other days', () => {
    expect(formatPeriod(march, 'America/New_York')).toBe(
      '28 Feb 2027 – 31 Mar 2027 (America/New_York)',
    );
  });

  it('shows a time of day in the zone, on a 24-hour clock', () => {
    expect(formatDateTime(new Date('2027-04-01T14:05:00Z'), 'Europe/Berlin')).toBe(
      '1 Apr 2027, 16:05 (Europe/Berlin)',
    );
  });

  it('reads wall-clock times across a change to summer time', () => {
    expect(wallClockAsUtc(new Date('2027-03-28T00:59:59.500Z'), 'Europe/Berlin')).toBe(
      Date.UTC(2027, 2, 28, 1, 59, 59, 500),
    );
    expect(wallClockAsUtc(new Date('2027-03-28T01:00:00Z'), 'Europe/Berlin')).toBe(
      Date.UTC(2027, 2, 28, 3, 0, 0),
    );
  });

  it("gives an instant's local date", () => {
    expect(localIsoDate(march.start, 'Europe/Berlin')).toBe('2027-03-01');
    expect(localIsoDate(march.start, 'UTC')).toBe('2027-02-28');
  });

  it('refuses a zone that does not exist', () => {
    expect(() => formatPeriod(march, 'Mars/Olympus')).toThrow(RangeError);
  });
});
