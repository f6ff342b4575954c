import { analysisMetrics } from '../orchestration/analysis-metrics';
import type { AnalysisOutcome } from '../orchestration/orchestrator';
import type { Segment } from './segments-agent';
import { segmentInsights, segmentsClause } from './segments-summary';
import { composeSummary } from './summary-agent';

const base = {
  adjustment: 'holm' as const,
  tests: 10,
  sampled: false,
  toolCallId: 'call_1_find_segments',
};
const difference: Segment = {
  ...base,
  kind: 'group_difference',
  column: 'temp_max',
  by: 'weather',
  with: null,
  test: 'kruskal_wallis',
  statistic: 298.53,
  df: 4,
  pValue: 2.2e-63,
  adjustedPValue: 2.2e-62,
  effect: { name: 'epsilon_squared', value: 0.2045 },
  groups: [],
  levels: 5,
  highest: 'sun',
  lowest: 'rain',
  difference: 6.407272815912638,
  medianDifference: 8.3,
  contrast: { n: 1281, z: 15.9, pValue: 1e-50, effect: { name: 'rank_biserial', value: 0.509 } },
  n: 1461,
  description: 'temp_max averages 6.41 higher when weather is sun than when it is rain',
};
const correlation: Segment = {
  ...base,
  kind: 'correlation',
  column: 'temp_max',
  by: null,
  with: 'temp_min',
  test: 'spearman',
  statistic: 73.1,
  df: 1459,
  pValue: 0,
  adjustedPValue: 0,
  effect: { name: 'spearman_rho', value: 0.886 },
  groups: [],
  levels: null,
  highest: null,
  lowest: null,
  difference: null,
  medianDifference: null,
  contrast: null,
  n: 1461,
  description: 'temp_max and temp_min rise together',
};

describe('segment insights', () => {
  it('gives the largest group difference and the strongest correlation, in their words', () => {
    const insights = segmentInsights({
      segments: { segments: [correlation, difference] },
      failed: [],
    });
    expect(insights).toEqual([
      {
        severity: 'info',
        source: 'segments',
        title: 'temp_max differs by weather',
        detail: difference.description,
      },
      {
        severity: 'info',
        source: 'segments',
        title: 'temp_max and temp_min move together',
        detail: correlation.description,
      },
    ]);
    expect(composeSummary({ segments: { segments: [difference] }, failed: [] }).narrative).toBe(
      'Analysed: 1 segment findings. Most notable: temp_max differs by weather.',
    );
  });

  it('answers for the columns a question names, or says nothing was found', () => {
    const results = { segments: { segments: [difference, correlation] }, failed: [] };
    expect(segmentsClause(results, ['weather'])).toBe(
      'temp_max averages 6.41 higher when weather is sun than when it is rain (n = 1,281)',
    );
    expect(segmentsClause(results, ['temp_min'])).toBe(
      'temp_max and temp_min are correlated (Spearman ρ = 0.886, n = 1,461)',
    );
    expect(segmentsClause({ segments: { segments: [] }, failed: [] }, [])).toBe(
      'no clear difference between groups and no strong correlation was found',
    );
    expect(segmentsClause({ failed: [] }, [])).toBeUndefined();
  });

  it('records each effect as analysis.segment.effect, with its tool call', () => {
    const outcome = {
      results: { segments: { segments: [difference, correlation] }, failed: [] },
    } as unknown as AnalysisOutcome;
    expect(analysisMetrics(outcome, null)).toEqual([
      {
        agent: 'segments',
        toolCallId: 'call_1_find_segments',
        metrics: [
          {
            name: 'analysis.segment.effect',
            value: 0.2045,
            dimensions: { column: 'temp_max', by: 'weather', effect: 'epsilon_squared' },
          },
          {
            name: 'analysis.segment.effect',
            value: 0.886,
            dimensions: { column: 'temp_max', by: 'temp_min', effect: 'spearman_rho' },
          },
        ],
      },
    ]);
  });
});
