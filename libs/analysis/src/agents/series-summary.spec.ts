import { numbersIn, numbersNotFromTools } from '../guardrails/tool-numbers';
import { seriesInsights } from './series-summary';
import type { SpecialistResults } from './summary-inputs';

const season = (column: string, strength: number) => ({
  column,
  timeColumn: 'date',
  name: 'yearly' as const,
  period: 365,
  periodMs: 365 * 86_400_000,
  strength,
  profile: [],
  description: `${column} follows a yearly cycle (strength ${strength}): monthly means from 4.51 in Dec to 24.6 in Aug`,
  toolCallId: null,
});

const RESULTS: SpecialistResults = {
  failed: [],
  trends: {
    trends: [
      {
        column: 'temp_min',
        timeColumn: 'date',
        n: 1461,
        method: 'seasonal-mann-kendall',
        slopePerDay: 0.001374,
        z: 3.3,
        pValue: 0.000833,
        direction: 'increasing',
        deseasonalised: true,
        toolCallId: null,
      },
    ],
    seasonality: [season('temp_min', 0.77), season('temp_max', 0.81)],
    changePoints: [
      {
        column: 'visitors',
        timeColumn: 'date',
        kind: 'level_shift',
        time: '2014-01-01T00:00:00.000Z',
        row: 732,
        before: { mean: 200.1, sd: 3.2 },
        after: { mean: 280.3, sd: 3.1 },
        score: 25.1,
        reason: 'the level moves from 200 to 280 (up 80.2, a step of 25.1 noise SDs)',
        toolCallId: null,
      },
    ],
  },
  anomalies: {
    anomalies: [
      {
        column: 'wind',
        row: 41,
        value: 9.5,
        basis: 'remainder',
        kind: 'spike',
        time: '2012-02-10T00:00:00.000Z',
        expected: 3.1,
        band: { low: 0.5, high: 5.7 },
        score: 9.8,
        reason: 'value 9.5 is 9.8 robust SDs above the expected 3.1 in February',
        toolCallId: null,
      },
    ],
    anomalyColumns: [
      {
        column: 'wind',
        found: 7,
        reported: 1,
        truncated: true,
        distribution: null,
        toolCallId: null,
      },
    ],
  },
};

describe('seriesInsights', () => {
  it('tells the seasons strongest first, the trend after them, the change points and the anomalies', () => {
    const { insights, recommendations } = seriesInsights(RESULTS);
    expect(insights.map((i) => i.title)).toEqual([
      'temp_max follows a yearly cycle',
      'temp_min follows a yearly cycle',
      'temp_min is increasing',
      'visitors: level shift on 2014-01-01',
      '7 anomalies in wind',
    ]);
    expect(insights[2].detail).toBe(
      'temp_min rises over date by about 0.00137 per day once the yearly season is taken out ' +
        '(seasonal Mann-Kendall p = 0.000833, n = 1461).',
    );
    expect(insights[3].detail).toContain(
      'From 2014-01-01 (row 732), the level moves from 200 to 280',
    );
    expect(insights[4].detail).toContain('(the 1 highest scores listed)');
    expect(recommendations).toHaveLength(2);
    // Every number shown is in the specialists' outputs.
    const shown = insights.flatMap((i) => numbersIn([i.title, i.detail]));
    expect(numbersNotFromTools(shown, [JSON.stringify(RESULTS)])).toEqual([]);
  });
});
