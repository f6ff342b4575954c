import { describeSeason, seasonRange } from './season-words';

describe('describeSeason', () => {
  it('names the cycle and the phases at either end of its profile, rounded for words', () => {
    const season = {
      name: 'yearly' as const,
      period: 365,
      strength: 0.81234,
      profile: [
        { label: 'Jan', mean: 8.2012 },
        { label: 'Feb', mean: 10.5 },
        { label: 'Aug', mean: 26.0987 },
        { label: 'Dec', mean: 8.1999 },
      ],
    };
    expect(describeSeason('temp_max', season)).toBe(
      'temp_max follows a yearly cycle (strength 0.812): monthly means from 8.2 in Jan and Dec to 26.1 in Aug',
    );
  });

  it('says hours and weekdays as people do, and names another cycle by its length', () => {
    expect(
      seasonRange({
        name: 'daily',
        profile: [
          { label: '03', mean: 1 },
          { label: '15', mean: 9 },
        ],
      }),
    ).toBe('hourly means from 1 at 03:00 to 9 at 15:00');
    expect(
      seasonRange({
        name: 'weekly',
        profile: [
          { label: 'Mon', mean: 120 },
          { label: 'Sun', mean: 40 },
        ],
      }),
    ).toBe('means by weekday from 40 on Sun to 120 on Mon');
    expect(describeSeason('load', { name: 'other', period: 11, strength: 0.5, profile: [] })).toBe(
      'load follows a cycle of 11 points (strength 0.5)',
    );
  });
});
