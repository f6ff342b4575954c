/**
 * Seattle's daily weather 2012–2015 (vega-datasets, node_modules/vega-datasets/data/
 * seattle-weather.csv): what analyseSeries finds for the temperatures and precipitation —
 * season, strength, monthly profile, trend, change points, anomalies — and whether any
 * precipitation anomaly reported is an ordinary wet day (below the column's 99th
 * percentile), for analyseSeries and for valueAnomalies. The sun-vs-rain segment target
 * is the segments section's (segments.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { valueAnomalies } from '../../../libs/analysis/src/statistics/series-analysis';
import { analysisOf } from './sightline';
import { heading, printTable, verdict } from './table';

export const SEATTLE_WEATHER = join(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  'vega-datasets',
  'data',
  'seattle-weather.csv',
);

export interface WeatherDay {
  t: number;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

export function loadSeattleWeather(path = SEATTLE_WEATHER): WeatherDay[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = new Map(line.split(',').map((cell, k) => [names[k] ?? '', cell]));
    const number = (name: string) => Number(cells.get(name));
    return {
      t: Date.parse(`${cells.get('date')}T00:00:00Z`),
      precipitation: number('precipitation'),
      temp_max: number('temp_max'),
      temp_min: number('temp_min'),
      wind: number('wind'),
      weather: cells.get('weather') ?? '',
    };
  });
}

/** The p-quantile with linear interpolation between order statistics (R's type 7). */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const a = sorted[lower] ?? NaN;
  return a + (position - lower) * ((sorted[Math.min(lower + 1, sorted.length - 1)] ?? a) - a);
}

const COLUMNS = ['temp_max', 'temp_min', 'precipitation'] as const;

export function runWeatherQuality(): void {
  const days = loadSeattleWeather();
  heading(`Seattle weather: ${days.length} days (vega-datasets seattle-weather.csv)`);
  const analyses = new Map(
    COLUMNS.map((column) => [
      column,
      analysisOf({ t: days.map((d) => d.t), y: days.map((d) => d[column]) }),
    ]),
  );
  printTable(
    [
      'column',
      'seasons (period, strength)',
      'trend',
      'slope/day',
      'change points',
      'anomalies (found)',
    ],
    COLUMNS.map((column) => {
      const a = analyses.get(column);
      if (a === undefined) return [column];
      return [
        column,
        a.seasonality.map((s) => `${s.name} (${s.period}, ${s.strength.toFixed(2)})`).join(', ') ||
          'none',
        `${a.trend.direction} (p ${a.trend.pValue.toPrecision(2)})`,
        a.trend.slopePerDay === null ? '—' : a.trend.slopePerDay.toPrecision(2),
        `${a.changePoints.filter((c) => c.kind === 'level_shift').length} level, ` +
          `${a.changePoints.filter((c) => c.kind === 'variance_change').length} variance`,
        `${a.anomalies.length} (${a.anomaliesFound}${a.truncated ? ', truncated' : ''})`,
      ];
    }),
  );
  for (const column of COLUMNS) {
    const profile = analyses.get(column)?.seasonality[0]?.profile ?? [];
    if (profile.length === 0) continue;
    console.log(
      `${column} profile: ${profile.map((p) => `${p.label} ${p.mean.toFixed(1)}`).join(', ')}`,
    );
  }

  const precipitation = days.map((d) => d.precipitation);
  const p99 = quantile(precipitation, 0.99);
  const fromSeries = (analyses.get('precipitation')?.anomalies ?? []).map((a) => a.value);
  const byValue = valueAnomalies(precipitation);
  const below = (values: number[]) => values.filter((v) => v < p99);
  console.log(
    `\nprecipitation: ${precipitation.filter((v) => v === 0).length} of ${precipitation.length} days are 0; ` +
      `99th percentile ${p99.toFixed(1)}; valueAnomalies calls it ${byValue.distribution}`,
  );
  const yearly = (column: (typeof COLUMNS)[number]) =>
    (analyses.get(column)?.seasonality ?? []).some((s) => s.name === 'yearly');
  console.log('\nTargets (weather):');
  for (const column of ['temp_max', 'temp_min'] as const)
    console.log(`  ${verdict(yearly(column))}  ${column}: yearly season found`);
  for (const [label, values] of [
    ['analyseSeries', fromSeries],
    ['valueAnomalies', byValue.anomalies.map((a) => a.value)],
  ] as const) {
    const ordinary = below(values);
    console.log(
      `  ${verdict(ordinary.length === 0)}  precipitation (${label}): ${ordinary.length} of ${values.length} ` +
        `anomalies below the 99th percentile${ordinary.length > 0 ? ` (${ordinary.slice(0, 5).join(', ')}…)` : ''}`,
    );
  }
  console.log('  (sun vs rain temp_max segment: the segments section)');
}
