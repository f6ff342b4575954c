import type { ReportCatchUp } from '../entities/report.entity';
import { DEFAULT_DUE_GRACE_MS, dueRunsToClaim } from './due-runs';
import { parseReportSchedule } from './report-schedule';

const at = (iso: string) => new Date(iso);
const times = (dates: Date[]) => dates.map((date) => date.toISOString().slice(11, 19));
const everyMinute = parseReportSchedule('* * * * *', 'Europe/Berlin');

function claim(
  catchUp: ReportCatchUp,
  since: string,
  now: string,
  options: { limit?: number; graceMs?: number } = {},
): string[] {
  const { limit = 100, graceMs } = options;
  return times(
    dueRunsToClaim(everyMinute, { since: at(since), now: at(now), catchUp, limit, graceMs }),
  );
}

describe('dueRunsToClaim', () => {
  describe('every minute, every process down for three minutes, then back up', () => {
    // 12:00 was claimed; the 12:01, 12:02 and 12:03 ticks never ran.
    const since = '2027-01-01T12:00:00Z';

    it.each([
      ['skip', []],
      ['latest', ['12:03:00']],
      ['all', ['12:01:00', '12:02:00', '12:03:00']],
    ] as const)('back between due times, %s claims %j', (policy, expected) => {
      // At 12:03:40 with 30 s of grace, 12:03 is missed too, and 12:04 is not due yet.
      expect(claim(policy, since, '2027-01-01T12:03:40Z', { graceMs: 30_000 })).toEqual(expected);
    });

    it.each([
      ['skip', ['12:04:00']],
      ['latest', ['12:03:00', '12:04:00']],
      ['all', ['12:01:00', '12:02:00', '12:03:00', '12:04:00']],
    ] as const)('back just after 12:04, %s claims the current one too: %j', (policy, expected) => {
      expect(claim(policy, since, '2027-01-01T12:04:00.250Z')).toEqual(expected);
    });
  });

  it.each(['skip', 'latest', 'all'] as const)(
    'claims the one current due time on a normal tick (%s)',
    (policy) => {
      expect(claim(policy, '2027-01-01T12:00:00Z', '2027-01-01T12:01:00.200Z')).toEqual([
        '12:01:00',
      ]);
    },
  );

  it('counts a due time exactly graceMs old as current, and one a millisecond older as missed', () => {
    expect(DEFAULT_DUE_GRACE_MS).toBe(60_000);
    const since = '2027-01-01T12:00:30Z';
    expect(claim('skip', since, '2027-01-01T12:02:00.000Z')).toEqual(['12:01:00', '12:02:00']);
    expect(claim('skip', since, '2027-01-01T12:02:00.001Z')).toEqual(['12:02:00']);
    expect(claim('skip', since, '2027-01-01T12:02:00.001Z', { graceMs: 0 })).toEqual([]);
    expect(claim('skip', since, '2027-01-01T12:02:00.000Z', { graceMs: 0 })).toEqual(['12:02:00']);
  });

  it('never claims `since` itself or anything after `now`', () => {
    expect(claim('all', '2027-01-01T12:01:00Z', '2027-01-01T12:01:30Z')).toEqual([]);
    expect(claim('all', '2027-01-01T12:01:00Z', '2027-01-01T12:01:59.999Z')).toEqual([]);
    expect(claim('all', '2027-01-01T12:05:00Z', '2027-01-01T12:01:30Z')).toEqual([]);
  });

  it('keeps the most recent `limit` due times when more are missed', () => {
    const claimed = dueRunsToClaim(everyMinute, {
      since: at('2026-12-31T12:00:00Z'),
      now: at('2027-01-01T12:00:10Z'),
      catchUp: 'all',
      limit: 100,
    });
    expect(claimed).toHaveLength(100);
    expect(claimed[0]).toEqual(at('2027-01-01T10:21:00Z'));
    expect(claimed[99]).toEqual(at('2027-01-01T12:00:00Z'));
    for (let i = 1; i < claimed.length; i++) {
      expect(claimed[i].getTime() - claimed[i - 1].getTime()).toBe(60_000);
    }
  });

  it('keeps the most recent current due times first when they alone pass the limit', () => {
    const options = { limit: 3, graceMs: 10 * 60_000 };
    const since = '2027-01-01T11:00:00Z';
    for (const policy of ['skip', 'latest', 'all'] as const) {
      expect(claim(policy, since, '2027-01-01T12:00:00Z', options)).toEqual([
        '11:58:00',
        '11:59:00',
        '12:00:00',
      ]);
    }
    expect(claim('latest', since, '2027-01-01T12:00:00Z', { ...options, limit: 12 })).toEqual([
      '11:49:00',
      '11:50:00',
      '11:51:00',
      '11:52:00',
      '11:53:00',
      '11:54:00',
      '11:55:00',
      '11:56:00',
      '11:57:00',
      '11:58:00',
      '11:59:00',
      '12:00:00',
    ]);
    expect(claim('all', since, '2027-01-01T12:00:00Z', { limit: 0 })).toEqual([]);
  });

  it('catches up a daily report missed for three days with one run under latest', () => {
    const daily = parseReportSchedule('30 2 * * *', 'Europe/Berlin');
    const request = {
      since: at('2027-03-26T01:30:00Z'),
      now: at('2027-03-29T12:00:00Z'),
      limit: 100,
    };
    expect(dueRunsToClaim(daily, { ...request, catchUp: 'latest' })).toEqual([
      at('2027-03-29T00:30:00Z'),
    ]);
    expect(dueRunsToClaim(daily, { ...request, catchUp: 'all' })).toEqual([
      at('2027-03-27T01:30:00Z'),
      at('2027-03-28T01:00:00Z'), // 02:30 was skipped by the clock: ran at 03:00+02:00
      at('2027-03-29T00:30:00Z'),
    ]);
    expect(dueRunsToClaim(daily, { ...request, catchUp: 'skip' })).toEqual([]);
  });

  it('refuses invalid input', () => {
    const request = {
      since: at('2027-01-01T12:00:00Z'),
      now: at('2027-01-01T12:05:00Z'),
      catchUp: 'all' as const,
    };
    expect(() => dueRunsToClaim(everyMinute, { ...request, limit: -1 })).toThrow(RangeError);
    expect(() => dueRunsToClaim(everyMinute, { ...request, limit: 10, graceMs: -1 })).toThrow(
      'graceMs must be ≥ 0, got -1',
    );
    expect(() =>
      dueRunsToClaim(everyMinute, { ...request, now: new Date(Number.NaN), limit: 10 }),
    ).toThrow('since and now must be valid dates');
  });
});
