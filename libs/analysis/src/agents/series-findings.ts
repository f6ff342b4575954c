import { DEFAULT_MAX_ANOMALIES, type AnalysisContext } from '../orchestration/analysis-context';
import {
  analyseSeries,
  type SeriesAnalysis,
  type SeriesAnomaly,
  type SeasonName,
  valueAnomalies,
  type ValueDistribution,
} from '../statistics/series-analysis';
import { scanAnomalies } from './anomalies-scan';
import { describeSeason } from './season-words';
import {
  type ExtractedSeries,
  MAX_SERIES_POINTS,
  rowsOfBucketValues,
  type SeriesCell,
  seriesOf,
  valuesOf,
} from './series-query';

type Dataset = AnalysisContext['dataset'];

/** An anomaly of one column, as the `anomalies` tool reports it (its call id added there). */
export interface FoundAnomaly {
  column: string;
  /** 1-based row of the file (header excluded). */
  row: number;
  value: number;
  /** What was scored: the seasonal-trend remainder over time, or the value itself. */
  basis: 'remainder' | 'value';
  kind: 'spike' | 'dip' | 'contextual' | 'value';
  /** ISO time of the point (the start of its bucket on a bucketed series); null without time. */
  time: string | null;
  expected: number | null;
  band: { low: number; high: number } | null;
  score: number;
  reason: string;
}

/** How a column's anomalies were counted and cut. */
export interface AnomalyColumn {
  column: string;
  found: number;
  reported: number;
  truncated: boolean;
  /** The shape the values were scored for; null for a large table without time (scanned in SQL). */
  distribution: ValueDistribution | null;
}

export interface FoundSeason {
  column: string;
  timeColumn: string;
  name: SeasonName;
  period: number;
  periodMs: number;
  strength: number;
  profile: Array<{ label: string; mean: number }>;
  description: string;
}

export interface FoundChangePoint {
  column: string;
  timeColumn: string;
  kind: 'level_shift' | 'variance_change';
  time: string;
  /** First row of the new segment; null on a bucketed series (the time says where). */
  row: number | null;
  before: { mean: number; sd: number };
  after: { mean: number; sd: number };
  score: number;
  reason: string;
}

export interface FoundTrend {
  column: string;
  timeColumn: string;
  /** Rows with both a value and a time. */
  n: number;
  method: 'seasonal-mann-kendall' | 'mann-kendall';
  /** Theil-Sen slope of the deseasonalised series, per day. */
  slopePerDay: number | null;
  z: number;
  pValue: number;
  direction: 'increasing' | 'decreasing' | 'none';
  /** True when a season was found and taken out before the test. */
  deseasonalised: boolean;
}

/** Everything the trends and anomalies specialists report of one numeric column. */
export interface ColumnFindings {
  anomalies: FoundAnomaly[];
  anomalyColumn: AnomalyColumn;
  /** Null without a time column. */
  trend: FoundTrend | null;
  seasonality: FoundSeason[];
  changePoints: FoundChangePoint[];
}

/** The dataset's time column: its first date or datetime column. */
export function timeColumnOf(dataset: Dataset): Dataset['columns'][number] | undefined {
  return dataset.columns.find((c) => c.type === 'date' || c.type === 'datetime');
}

export function numericColumnsOf(dataset: Dataset): string[] {
  return dataset.columns
    .filter((c) => c.type === 'integer' || c.type === 'number')
    .map((c) => c.name);
}

const shared = new WeakMap<AnalysisContext, Promise<Map<string, ColumnFindings>>>();

/**
 * Every numeric column's findings, computed once for the analysis context and shared by the
 * trends and anomalies specialists (and every tool call of theirs): the orchestrator hands
 * both the same context object, fresh for each analysis. A failure is handed to the calls
 * waiting on it and then forgotten, so it does not outlive the run that met it.
 */
export function findingsOf(context: AnalysisContext): Promise<Map<string, ColumnFindings>> {
  let found = shared.get(context);
  if (found === undefined) {
    found = computeFindings(context);
    shared.set(context, found);
    found.catch(() => shared.delete(context));
  }
  return found;
}

async function computeFindings(context: AnalysisContext): Promise<Map<string, ColumnFindings>> {
  const numeric = numericColumnsOf(context.dataset);
  const max = context.maxAnomalies ?? DEFAULT_MAX_ANOMALIES;
  if (numeric.length === 0) return new Map();
  const time = timeColumnOf(context.dataset);
  if (time !== undefined) {
    return seriesFindings(context, await seriesOf(context, numeric, time.name), max);
  }
  if (context.dataset.rowCount <= MAX_SERIES_POINTS) {
    const columns = await valuesOf(context, numeric);
    return new Map(
      numeric.map((name) => {
        const { values, rows } = columns.get(name) ?? { values: [], rows: [] };
        return [name, valueFindings(name, values, rows, max)];
      }),
    );
  }
  // A large table without time: every row is tested in SQL (robust z and IQR fences from a
  // sample); reading two million values into memory to classify their shape is not worth it.
  const scanned = await scanAnomalies(context, numeric, max);
  return new Map(
    numeric.map((name) => {
      const { anomalies, found } = scanned.get(name) ?? { anomalies: [], found: 0 };
      return [
        name,
        {
          anomalies: anomalies.map((a) => ({
            column: name,
            row: a.row,
            value: a.value,
            basis: 'value' as const,
            kind: 'value' as const,
            time: null,
            expected: a.expected,
            band: a.band,
            score: a.score,
            reason: a.reason,
          })),
          anomalyColumn: column(name, found, anomalies.length, null),
          trend: null,
          seasonality: [],
          changePoints: [],
        },
      ];
    }),
  );
}

function column(
  name: string,
  found: number,
  reported: number,
  distribution: ValueDistribution | null,
): AnomalyColumn {
  return { column: name, found, reported, truncated: found > reported, distribution };
}

/** A column without a time axis: its values scored for their shape ({@link valueAnomalies}). */
export function valueFindings(
  name: string,
  values: readonly number[],
  rows: readonly number[],
  max: number,
): ColumnFindings {
  const scored = valueAnomalies(values, { maxAnomalies: max });
  return {
    anomalies: scored.anomalies.map((a) => ({
      column: name,
      row: rows[a.index],
      value: a.value,
      basis: 'value',
      kind: 'value',
      time: null,
      expected: a.expected,
      band: { low: a.lower, high: a.upper },
      score: a.score,
      reason: a.reason,
    })),
    anomalyColumn: column(
      name,
      scored.anomaliesFound,
      scored.anomalies.length,
      scored.distribution,
    ),
    trend: null,
    seasonality: [],
    changePoints: [],
  };
}

/** An anomaly on the series, before its file row is known. */
interface Located {
  cell: SeriesCell;
  anomaly: SeriesAnomaly;
  /** The row's value: the point's, or its bucket's extreme. */
  value: number;
  row: number | null;
}

/**
 * Each column's series analysed once ({@link analyseSeries}). Points carry the rows of
 * their extremes; on a bucketed series a single odd row barely moves its bucket's mean, so
 * anomalies are sought on the series of bucket maxima (spikes) and minima (dips), and their
 * rows found afterwards in one pass ({@link rowsOfBucketValues}).
 */
async function seriesFindings(
  context: AnalysisContext,
  series: ExtractedSeries,
  max: number,
): Promise<Map<string, ColumnFindings>> {
  const analysed = [...series.columns].map(([name, cells]) => {
    const analysis = analyseSeries(
      cells.map((cell) => ({ t: cell.t, y: cell.y })),
      { maxAnomalies: max },
    );
    return { name, cells, analysis, located: locate(series, cells, analysis) };
  });
  if (series.bucketMs !== null) {
    const wanted = analysed.flatMap(({ name, located }) =>
      located.map((l) => ({ column: name, t: l.cell.t, value: l.value })),
    );
    const rows = await rowsOfBucketValues(context, series, wanted);
    let k = 0;
    for (const { located } of analysed) for (const l of located) l.row = rows[k++];
  }
  return new Map(
    analysed.map(({ name, cells, analysis, located }) => {
      // A row not found cannot be reported (docs/api.md: an anomaly's row is a file row).
      const ranked = located.filter((l): l is Located & { row: number } => l.row !== null);
      const found = series.bucketMs === null ? analysis.anomaliesFound : located.length;
      const reported = ranked.slice(0, max);
      return [
        name,
        {
          anomalies: reported.map((l) => seriesAnomaly(name, l)),
          anomalyColumn: column(
            name,
            Math.max(found, reported.length),
            reported.length,
            analysis.distribution,
          ),
          trend: trendOf(name, series, cells, analysis),
          seasonality: analysis.seasonality.map((season) => ({
            column: name,
            timeColumn: series.timeColumn,
            name: season.name,
            period: season.period,
            periodMs: season.periodMs,
            strength: season.strength,
            profile: season.profile,
            description: describeSeason(name, season),
          })),
          changePoints: analysis.changePoints.map((change) => {
            const cell = cells[change.index];
            return {
              column: name,
              timeColumn: series.timeColumn,
              kind: change.kind,
              time: new Date(change.t).toISOString(),
              row: firstRow(cell),
              before: change.before,
              after: change.after,
              score: change.score,
              reason: change.reason,
            };
          }),
        },
      ];
    }),
  );
}

/** A column's anomalies in score order, with the rows of points (bucketed: rows still to find). */
function locate(
  series: ExtractedSeries,
  cells: readonly SeriesCell[],
  analysis: SeriesAnalysis,
): Located[] {
  if (series.bucketMs === null) {
    return analysis.anomalies.map((anomaly) => {
      const cell = cells[anomaly.index];
      // Several rows at one time: the point is their mean, the row reported the farthest of them.
      const high = anomaly.value > anomaly.expected;
      return {
        cell,
        anomaly,
        value: high ? cell.max : cell.min,
        row: high ? cell.maxRow : cell.minRow,
      };
    });
  }
  // Every extreme event is kept (not cut at max yet): spikes and dips are ranked together.
  const all = { maxAnomalies: Number.MAX_SAFE_INTEGER };
  const highs = analyseSeries(
    cells.map((cell) => ({ t: cell.t, y: cell.max })),
    all,
  ).anomalies.filter((a) => a.value > a.expected);
  const lows = analyseSeries(
    cells.map((cell) => ({ t: cell.t, y: cell.min })),
    all,
  ).anomalies.filter((a) => a.value < a.expected);
  return [...highs, ...lows]
    .sort((a, b) => b.score - a.score)
    .map((anomaly) => ({
      cell: cells[anomaly.index],
      anomaly,
      value: anomaly.value,
      row: null,
    }));
}

function seriesAnomaly(column: string, located: Located & { row: number }): FoundAnomaly {
  const { anomaly, cell } = located;
  const extreme = anomaly.value > anomaly.expected ? 'highest' : 'lowest';
  const where = cell.minRow === null ? 'in its time bucket' : 'at its time';
  return {
    column,
    row: located.row,
    value: located.value,
    basis: 'remainder',
    kind: anomaly.kind,
    time: new Date(cell.t).toISOString(),
    expected: anomaly.expected,
    band: { low: anomaly.lower, high: anomaly.upper },
    score: anomaly.score,
    reason:
      cell.count > 1
        ? `${anomaly.reason} (the ${extreme} of ${cell.count} rows ${where})`
        : anomaly.reason,
  };
}

function trendOf(
  column: string,
  series: ExtractedSeries,
  cells: readonly SeriesCell[],
  analysis: SeriesAnalysis,
): FoundTrend {
  return {
    column,
    timeColumn: series.timeColumn,
    n: cells.reduce((sum, cell) => sum + cell.count, 0),
    method: analysis.trend.method,
    slopePerDay: analysis.trend.slopePerDay,
    z: analysis.trend.z,
    pValue: analysis.trend.pValue,
    direction: analysis.trend.direction,
    deseasonalised: analysis.seasonality.length > 0,
  };
}

/** The first file row of a point (null for a bucket). */
function firstRow(cell: SeriesCell | undefined): number | null {
  if (cell === undefined || cell.minRow === null || cell.maxRow === null) return null;
  return Math.min(cell.minRow, cell.maxRow);
}
