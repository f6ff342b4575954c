import {
  AUTO_INTERVAL_MAX_VALUES,
  chooseInterval,
  OTHER_GROUP,
  seriesColumns,
  seriesRecords,
} from './metric-series';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const start = new Date('2026-01-01T00:00:00Z');
const after = (ms: number) => ({ from: start, to: new Date(start.getTime() + ms) });

describe('chooseInterval', () => {
  it('reads 60 days of hourly points by the hour', () => {
    expect(chooseInterval(after(60 * DAY), 60 * 24, 1)).toBe('hour');
  });

  it('reads daily points by the day, not as hours that are mostly empty', () => {
    expect(chooseInterval(after(60 * DAY), 60, 1)).toBe('day');
  });

  it('reads a day of points every minute by the minute', () => {
    expect(chooseInterval(after(DAY), 24 * 60, 1)).toBe('minute');
  });

  it('steps up when the finest series would pass the cap, even with points to fill it', () => {
    // A year of points every minute: 8,760 hours is past the cap, 365 days is not.
    expect(AUTO_INTERVAL_MAX_VALUES).toBeLessThan(8760);
    expect(chooseInterval(after(365 * DAY), 365 * 24 * 60, 1)).toBe('day');
  });

  it('counts every group run against the cap', () => {
    // 60 days by the hour is 1,440 buckets: 11 runs of them are 15,840 values.
    expect(chooseInterval(after(60 * DAY), 60 * 24 * 11, 11)).toBe('day');
  });

  it('falls back to month when no interval qualifies', () => {
    expect(chooseInterval(after(3 * 365 * DAY), 1, 1)).toBe('month');
  });
});

describe('seriesColumns', () => {
  it('names the value after the metric and the group after groupBy', () => {
    expect(seriesColumns('api.latency_ms', 'region')).toEqual({
      time: 'time',
      value: 'api.latency_ms',
      group: 'region',
    });
    expect(seriesColumns('api.latency_ms', undefined)).toEqual({
      time: 'time',
      value: 'api.latency_ms',
    });
  });

  it('falls back to value and group when a name clashes', () => {
    expect(seriesColumns('time', 'value')).toEqual({
      time: 'time',
      value: 'value',
      group: 'group',
    });
    expect(seriesColumns('load', 'time').group).toBe('group');
    expect(seriesColumns('load', 'load').group).toBe('group');
  });
});

describe('seriesRecords', () => {
  it('keeps buckets with a value, labels the other run and keeps a missing group missing', () => {
    const records = seriesRecords(
      {
        points: [
          { t: '2026-01-01T00:00:00.000Z', value: 1, group: 'eu' },
          { t: '2026-01-01T01:00:00.000Z', value: null, group: 'eu' },
          { t: '2026-01-01T00:00:00.000Z', value: 2, group: null },
          { t: '2026-01-01T00:00:00.000Z', value: 0, other: true },
        ],
      },
      seriesColumns('load', 'region'),
    );
    expect(records).toEqual([
      { time: '2026-01-01T00:00:00.000Z', load: 1, region: 'eu' },
      { time: '2026-01-01T00:00:00.000Z', load: 2, region: null },
      { time: '2026-01-01T00:00:00.000Z', load: 0, region: OTHER_GROUP },
    ]);
  });
});
