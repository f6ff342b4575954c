import type { Insight, SpecialistResults } from './summary-inputs';
import type { Season, Trend } from './trends-agent';

/** Shown numbers: 3 significant digits, so the guardrail finds them in the tool outputs. */
const round = (x: number) => Number(x.toPrecision(3));
/** Rows of a column's anomalies an insight names. */
const ROWS_NAMED = 5;

/** "once the yearly season is taken out", or nothing when no season was removed. */
export function seasonRemoved(trend: Trend, seasonality: readonly Season[]): string {
  const names = seasonality.filter((s) => s.column === trend.column).map((s) => s.name);
  if (!trend.deseasonalised || names.length === 0) return '';
  return ` once the ${names.join(' and ')} season${names.length > 1 ? 's are' : ' is'} taken out`;
}

/** The date of an ISO time, as a sentence shows it. */
const day = (time: string) => time.slice(0, 10);

/**
 * Insights from the time-series findings, each number one of the tools': the seasons
 * (strongest first), the trends after seasonality, the change points with the levels
 * either side, and each column's anomalies with the count found.
 */
export function seriesInsights(results: SpecialistResults): {
  insights: Insight[];
  recommendations: string[];
} {
  const insights: Insight[] = [];
  const recommendations: string[] = [];
  const seasonality = results.trends?.seasonality ?? [];
  for (const season of [...seasonality].sort((a, b) => b.strength - a.strength)) {
    insights.push({
      severity: 'info',
      source: 'trends',
      title: `${season.column} follows a ${season.name === 'other' ? 'regular' : season.name} cycle`,
      detail: `${season.description}.`,
    });
  }
  for (const trend of results.trends?.trends ?? []) {
    if (trend.direction === 'none') continue;
    const slope =
      trend.slopePerDay === null ? '' : ` by about ${round(Math.abs(trend.slopePerDay))} per day`;
    const test =
      trend.method === 'seasonal-mann-kendall' ? 'seasonal Mann-Kendall' : 'Mann-Kendall';
    insights.push({
      severity: 'info',
      source: 'trends',
      title: `${trend.column} is ${trend.direction}`,
      detail:
        `${trend.column} ${trend.direction === 'increasing' ? 'rises' : 'falls'} over ${trend.timeColumn}` +
        `${slope}${seasonRemoved(trend, seasonality)} (${test} p = ${round(trend.pValue)}, n = ${trend.n}).`,
    });
  }
  const changes = results.trends?.changePoints ?? [];
  for (const change of changes) {
    const what = change.kind === 'level_shift' ? 'level shift' : 'change in spread';
    insights.push({
      severity: 'warning',
      source: 'trends',
      title: `${change.column}: ${what} on ${day(change.time)}`,
      detail: `From ${day(change.time)}${change.row === null ? '' : ` (row ${change.row})`}, ${change.reason}.`,
    });
  }
  if (changes.length > 0) {
    recommendations.push(
      'Compare the periods either side of each change point apart: an average across a shift describes neither.',
    );
  }
  const anomalies = results.anomalies?.anomalies ?? [];
  for (const column of results.anomalies?.anomalyColumns ?? []) {
    const own = anomalies.filter((a) => a.column === column.column);
    if (own.length === 0) continue;
    const rows = own.slice(0, ROWS_NAMED).map((a) => a.row);
    const listed = column.truncated ? ` (the ${column.reported} highest scores listed)` : '';
    insights.push({
      severity: column.found > 10 ? 'warning' : 'info',
      source: 'anomalies',
      title: `${column.found} anomalies in ${column.column}`,
      detail:
        `Rows ${rows.join(', ')}${own.length > rows.length ? ', …' : ''} lie far from what was ` +
        `expected${listed}; the strongest: ${own[0].reason}.`,
    });
  }
  if (anomalies.length > 0)
    recommendations.push('Check the anomalous rows at their source before relying on totals.');
  return { insights, recommendations };
}
