/**
 * Seasons and trends on the generated set: for every series, the seasons planted against
 * the seasons analyseSeries reports (name and period within 2 %), and the trend's
 * direction where the series has one unambiguous trend.
 */
import type { GeneratedSeries } from './generated-series';
import type { SeriesAnalysis } from '../../../libs/analysis/src/statistics/series-analysis';
import { analysisOf } from './sightline';
import { heading, printTable, ratio, verdict } from './table';

/** A season is found when one of that name has a period within this share of the planted one. */
const PERIOD_TOLERANCE = 0.02;

function describe(seasons: ReadonlyArray<{ name: string; period: number }>): string {
  return seasons.length === 0 ? 'none' : seasons.map((s) => `${s.name} ${s.period}`).join(', ');
}

function seasonFound(analysis: SeriesAnalysis, planted: { name: string; period: number }): boolean {
  return analysis.seasonality.some(
    (s) =>
      s.name === planted.name &&
      Math.abs(s.period - planted.period) <= Math.max(1, PERIOD_TOLERANCE * planted.period),
  );
}

export function runSeasonQuality(set: readonly GeneratedSeries[]): void {
  heading(`Generated set: seasons and trends (${set.length} series, seeded)`);
  let planted = 0;
  let found = 0;
  let extra = 0;
  let seriesRight = 0;
  let trendScored = 0;
  let trendRight = 0;
  const rows = set.map((series) => {
    const analysis = analysisOf(series);
    const hits = series.truth.seasons.filter((s) => seasonFound(analysis, s)).length;
    const spurious = analysis.seasonality.filter(
      (s) => !series.truth.seasons.some((p) => p.name === s.name),
    ).length;
    planted += series.truth.seasons.length;
    found += hits;
    extra += spurious;
    const right = hits === series.truth.seasons.length && spurious === 0;
    if (right) seriesRight += 1;
    const trend = series.truth.trend;
    if (trend !== null) {
      trendScored += 1;
      if (analysis.trend.direction === trend) trendRight += 1;
    }
    return [
      series.name,
      describe(series.truth.seasons),
      describe(analysis.seasonality),
      analysis.seasonality.map((s) => s.strength.toFixed(2)).join(', ') || '—',
      right ? 'ok' : 'WRONG',
      trend ?? '(n/a)',
      analysis.trend.direction,
      trend === null ? '' : analysis.trend.direction === trend ? 'ok' : 'WRONG',
    ];
  });
  printTable(
    [
      'series',
      'seasons planted',
      'seasons found',
      'strength',
      'seasons',
      'trend planted',
      'trend found',
      'trend',
    ],
    rows,
  );
  console.log(
    `\nseasons: ${found}/${planted} planted found (${ratio(found / planted)}), ${extra} spurious; ` +
      `series with exactly the planted seasons: ${seriesRight}/${set.length} (${ratio(seriesRight / set.length)})`,
  );
  console.log(
    `trend direction right: ${trendRight}/${trendScored} (${ratio(trendRight / trendScored)})`,
  );
  console.log('\nTargets (generated):');
  console.log(
    `  ${verdict(found === planted)}  every planted season's period found: ${found}/${planted}`,
  );
}
