import type { MetricGroup } from '../tools/metric-group';
import type { AnalysisOutcome } from './orchestrator';

const dimension = (text: string) => text.slice(0, 200);

/**
 * The numbers an analysis records as metrics, each from the tool call that computed it:
 * a trend's slope per day, a season's strength, the change points per column, the
 * anomalies reported per column, the data-quality issues, a text's sentiment. Queryable at `GET /v1/metrics?analysisId=`.
 */
export function analysisMetrics(outcome: AnalysisOutcome, datasetId: string | null): MetricGroup[] {
  const groups = new Map<string, MetricGroup>();
  const add = (
    agent: string,
    toolCallId: string | null,
    metric: MetricGroup['metrics'][number],
  ) => {
    const key = `${agent}\u0000${toolCallId ?? ''}`;
    const group = groups.get(key) ?? { agent, toolCallId, metrics: [] };
    group.metrics.push(datasetId === null ? metric : { ...metric, datasetId });
    groups.set(key, group);
  };
  const { profile, trends, anomalies, text, segments } = outcome.results;
  if (profile !== undefined) {
    add('profile', profile.issuesToolCallId, {
      name: 'analysis.quality_issues',
      value: profile.issues.length,
      dimensions: {},
    });
  }
  for (const trend of trends?.trends ?? []) {
    if (trend.slopePerDay === null) continue;
    add('trends', trend.toolCallId, {
      name: 'analysis.trend.slope_per_day',
      value: trend.slopePerDay,
      dimensions: {
        column: dimension(trend.column),
        time_column: dimension(trend.timeColumn),
        direction: trend.direction,
      },
    });
  }
  for (const season of trends?.seasonality ?? []) {
    add('trends', season.toolCallId, {
      name: 'analysis.season.strength',
      value: season.strength,
      dimensions: { column: dimension(season.column), season: season.name },
    });
  }
  // Every column the trend tool looked at, 0 included: its call returned the change points.
  for (const trend of trends?.trends ?? []) {
    add('trends', trend.toolCallId, {
      name: 'analysis.change_points',
      value: (trends?.changePoints ?? []).filter((c) => c.column === trend.column).length,
      dimensions: { column: dimension(trend.column) },
    });
  }
  const perColumn = new Map<string, { count: number; toolCallId: string | null }>();
  for (const anomaly of anomalies?.anomalies ?? []) {
    const entry = perColumn.get(anomaly.column) ?? { count: 0, toolCallId: anomaly.toolCallId };
    entry.count++;
    perColumn.set(anomaly.column, entry);
  }
  for (const [column, { count, toolCallId }] of perColumn) {
    add('anomalies', toolCallId, {
      name: 'analysis.anomalies',
      value: count,
      dimensions: { column: dimension(column) },
    });
  }
  for (const document of text?.documents ?? []) {
    add('text', document.toolCallId, {
      name: 'analysis.text.sentiment',
      value: document.sentiment,
      dimensions: { source: dimension(document.source), label: document.label },
    });
  }
  for (const segment of segments?.segments ?? []) {
    add('segments', segment.toolCallId, {
      name: 'analysis.segment.effect',
      value: segment.effect.value,
      dimensions: {
        column: dimension(segment.column),
        by: dimension(segment.by ?? segment.with ?? ''),
        effect: segment.effect.name,
      },
    });
  }
  return [...groups.values()];
}
