import { phaseWords, roundForWords, seasonProfile } from './season-profile';
import { DAY_MS, HOUR_MS, MONDAY } from './testing/random';

describe('seasonProfile', () => {
  it('labels a yearly profile with months and averages each one', () => {
    // Two years of days whose value is the month number (Jan = 1).
    const times = Float64Array.from({ length: 731 }, (_v, i) => MONDAY + i * DAY_MS);
    const values = times.map((t) => new Date(t).getUTCMonth() + 1);
    const profile = seasonProfile('yearly', 365, times, values);
    expect(profile.map((p) => p.label)).toEqual([
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ]);
    expect(profile.map((p) => p.mean)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('labels weekdays from Monday and hours as 00..23 in UTC', () => {
    const times = Float64Array.from({ length: 14 * 24 }, (_v, i) => MONDAY + i * HOUR_MS);
    const weekly = seasonProfile(
      'weekly',
      168,
      times,
      times.map((t) => new Date(t).getUTCDay()),
    );
    expect(weekly.map((p) => `${p.label}=${p.mean}`)).toEqual([
      'Mon=1',
      'Tue=2',
      'Wed=3',
      'Thu=4',
      'Fri=5',
      'Sat=6',
      'Sun=0',
    ]);
    const daily = seasonProfile(
      'daily',
      24,
      times,
      times.map((t) => new Date(t).getUTCHours()),
    );
    expect(daily[0]).toEqual({ label: '00', mean: 0 });
    expect(daily[23]).toEqual({ label: '23', mean: 23 });
  });

  it('numbers the phases of other cycles from the first point', () => {
    const times = Float64Array.from({ length: 10 }, (_v, i) => i);
    const values = Float64Array.from({ length: 10 }, (_v, i) => i % 5);
    expect(seasonProfile('other', 5, times, values).map((p) => p.mean)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('phaseWords', () => {
  const tuesday2pm = MONDAY + DAY_MS + 14 * HOUR_MS;

  it('says the weekday and the time of day for hourly data with a weekly season', () => {
    expect(phaseWords(['daily', 'weekly'], tuesday2pm, HOUR_MS)).toBe('for a Tuesday at 14:00');
    expect(phaseWords(['daily'], tuesday2pm, HOUR_MS)).toBe('at 14:00');
    expect(phaseWords(['weekly', 'yearly'], tuesday2pm, DAY_MS)).toBe('for a Tuesday in January');
    expect(phaseWords([], tuesday2pm, DAY_MS)).toBe('');
  });
});

describe('roundForWords', () => {
  it('keeps three significant digits, whole numbers from 1,000', () => {
    expect(roundForWords(4.2167)).toBe('4.22');
    expect(roundForWords(56.04)).toBe('56');
    expect(roundForWords(0.012345)).toBe('0.0123');
    expect(roundForWords(15014.4)).toBe('15014');
  });
});
