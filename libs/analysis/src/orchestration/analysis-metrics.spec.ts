import { analysisMetrics } from './analysis-metrics';
import type { AnalysisOutcome } from './orchestrator';

const trend = (column: string) => ({
  column,
  timeColumn: 'day',
  n: 730,
  method: 'seasonal-mann-kendall' as const,
  slopePerDay: 0.5,
  z: 3.1,
  pValue: 0.002,
  direction: 'increasing' as const,
  deseasonalised: true,
  toolCallId: `call_${column}`,
});

describe('analysisMetrics', () => {
  it("records each season's strength and each column's change points, from the trend call", () => {
    const outcome = {
      agents: [],
      injections: [],
      recorded: [],
      summary: undefined,
      results: {
        failed: [],
        trends: {
          trends: [trend('temperature'), trend('level')],
          seasonality: [
            {
              column: 'temperature',
              timeColumn: 'day',
              name: 'yearly' as const,
              period: 365,
              periodMs: 365 * 86_400_000,
              strength: 0.83,
              profile: [],
              description: 'temperature follows a yearly cycle (strength 0.83)',
              toolCallId: 'call_temperature',
            },
          ],
          changePoints: [
            {
              column: 'level',
              timeColumn: 'day',
              kind: 'level_shift' as const,
              time: '2022-08-23T00:00:00.000Z',
              row: 601,
              before: { mean: 50, sd: 1 },
              after: { mean: 80, sd: 1 },
              score: 30,
              reason: 'the level moves from 50 to 80',
              toolCallId: 'call_level',
            },
          ],
        },
      },
    } as unknown as AnalysisOutcome;
    const groups = analysisMetrics(outcome, 'dataset-1');
    const byCall = new Map(
      groups.map((g) => [g.toolCallId, g.metrics.map((m) => [m.name, m.value, m.dimensions])]),
    );
    expect(byCall.get('call_temperature')).toEqual([
      [
        'analysis.trend.slope_per_day',
        0.5,
        { column: 'temperature', time_column: 'day', direction: 'increasing' },
      ],
      ['analysis.season.strength', 0.83, { column: 'temperature', season: 'yearly' }],
      ['analysis.change_points', 0, { column: 'temperature' }],
    ]);
    expect(byCall.get('call_level')).toEqual([
      [
        'analysis.trend.slope_per_day',
        0.5,
        { column: 'level', time_column: 'day', direction: 'increasing' },
      ],
      ['analysis.change_points', 1, { column: 'level' }],
    ]);
    expect(groups.every((g) => g.agent === 'trends')).toBe(true);
  });
});
