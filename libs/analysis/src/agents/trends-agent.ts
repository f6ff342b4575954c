import { datasetTable, quoteIdentifier } from '@app/datasets';
import { Agent, type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../analysis-context';
import { mannKendall } from '../statistics/normal';
import { perRun } from './run-memo';
import { timeRange } from './series-query';

/** Time buckets whose means the Mann-Kendall test compares (pairs grow as k²/2). */
export const TREND_BUCKETS = 100;
/** Significance level for calling a trend. */
export const TREND_ALPHA = 0.05;

export const Trend = z.object({
  column: z.string(),
  timeColumn: z.string(),
  /** Points with both a value and a time. */
  n: z.number(),
  /** Least-squares slope, in units of the column per day. */
  slopePerDay: z.number().nullable(),
  r2: z.number().nullable(),
  mannKendallS: z.number(),
  mannKendallZ: z.number(),
  pValue: z.number(),
  direction: z.enum(['increasing', 'decreasing', 'none']),
  /** The tool call that computed it (provenance of the metrics written from it). */
  toolCallId: z.string().nullable(),
});
export type Trend = z.infer<typeof Trend>;

export const TrendsOutput = z.object({ trends: z.array(Trend) });
export type TrendsOutput = z.infer<typeof TrendsOutput>;

/** Least-squares sums of one column over one time bucket (PostgreSQL's `regr_*` of its points). */
export interface BucketFit {
  n: number;
  avgX: number;
  avgY: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/**
 * The least-squares fit over all points from the fits of disjoint buckets of them, merged
 * pairwise in bucket order as PostgreSQL merges partial `regr_*` states
 * (`float8_regr_combine`, after Chan, Golub & LeVeque), with its edge rules: no slope or r²
 * without points or with no spread in x; r² = 1 when y has no spread.
 */
export function mergeBucketFits(buckets: readonly BucketFit[]): {
  n: number;
  slope: number | null;
  r2: number | null;
} {
  let n = 0;
  let meanX = 0;
  let meanY = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const bucket of buckets) {
    if (bucket.n === 0) continue;
    const total = n + bucket.n;
    const dx = bucket.avgX - meanX;
    const dy = bucket.avgY - meanY;
    const weight = (n * bucket.n) / total;
    sxx += bucket.sxx + weight * dx * dx;
    syy += bucket.syy + weight * dy * dy;
    sxy += bucket.sxy + weight * dx * dy;
    meanX += (dx * bucket.n) / total;
    meanY += (dy * bucket.n) / total;
    n = total;
  }
  if (n < 1 || sxx === 0) return { n, slope: null, r2: null };
  return { n, slope: sxy / sxx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/** Mann-Kendall's S: Σ sign(xⱼ − xᵢ) over every pair i < j, in order. */
export function mannKendallS(values: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const first = values[i];
    for (let j = i + 1; j < values.length; j++) s += Math.sign(values[j] - first);
  }
  return s;
}

/** Seconds since the epoch of a date or datetime column, as a float8 expression. */
function epochOf(time: AnalysisContext['dataset']['columns'][number]): string {
  return `date_part('epoch', ${quoteIdentifier(time.column)})`;
}

/**
 * Numeric columns against a time column, computed in PostgreSQL over the stored rows in
 * one pass for all of them: the points (rows with both a time and a value) fall in
 * {@link TREND_BUCKETS} equal buckets over the time column's range, each bucket gives its
 * `regr_*` sums per column, and those merge into the least-squares fit over all points
 * ({@link mergeBucketFits}: slope and r² as `regr_slope` and `regr_r2` give them) while the
 * buckets' means feed Mann-Kendall's S (robust to outliers and to uneven sampling); then z
 * and a two-sided p-value, and a trend is called when p < {@link TREND_ALPHA}.
 */
export async function trendsOf(
  context: AnalysisContext,
  columns: readonly string[],
  timeColumn: string,
): Promise<Map<string, Omit<Trend, 'toolCallId'>>> {
  const find = (name: string) => {
    const found = context.dataset.columns.find((c) => c.name === name);
    if (found === undefined) throw new Error(`no column ${name}`);
    return found;
  };
  const time = find(timeColumn);
  const ys = columns.map(find);
  const [x0, x1] = await timeRange(context, time);
  const sums = ys
    .map((_, i) =>
      ['count', 'avgx', 'avgy', 'sxx', 'syy', 'sxy']
        .map((sum) => `regr_${sum}(y${i}, x) AS ${sum}${i}`)
        .join(', '),
    )
    .join(',\n            ');
  const values = ys.map((y, i) => `${quoteIdentifier(y.column)}::float8 AS y${i}`).join(', ');
  // OFFSET 0 keeps the inner select a subquery of its own: x is computed once a row, rather
  // than once for each aggregate that reads it (date_part is most of the pass's cost). A time
  // outside the profiled range (there should be none) is counted in the nearest edge bucket.
  const rows = await context.query<Record<string, string | number | null>>(
    `SELECT b, ${sums}
     FROM (
       SELECT least(greatest(width_bucket(x, $1::float8, $2::float8 + 1, $3::int), 1), $3::int) AS b, *
       FROM (SELECT ${epochOf(time)} AS x, ${values} FROM ${datasetTable(context.dataset)} OFFSET 0) AS p
       WHERE x IS NOT NULL
     ) AS points
     GROUP BY b ORDER BY b`,
    [x0, x1, TREND_BUCKETS],
  );
  const trends = new Map<string, Omit<Trend, 'toolCallId'>>();
  ys.forEach((y, i) => {
    const buckets = rows
      .map((row) => ({
        n: Number(row[`count${i}`] ?? 0),
        avgX: Number(row[`avgx${i}`]),
        avgY: Number(row[`avgy${i}`]),
        sxx: Number(row[`sxx${i}`]),
        syy: Number(row[`syy${i}`]),
        sxy: Number(row[`sxy${i}`]),
      }))
      .filter((bucket) => bucket.n > 0);
    const fit = mergeBucketFits(buckets);
    const s = mannKendallS(buckets.map((bucket) => bucket.avgY));
    const { z: mkZ, pValue } = mannKendall(s, buckets.length);
    trends.set(y.name, {
      column: y.name,
      timeColumn,
      n: fit.n,
      slopePerDay: fit.slope === null ? null : fit.slope * 86_400,
      r2: fit.r2,
      mannKendallS: s,
      mannKendallZ: mkZ,
      pValue,
      direction: pValue < TREND_ALPHA ? (s > 0 ? 'increasing' : 'decreasing') : 'none',
    });
  });
  return trends;
}

/** One numeric column against a time column: {@link trendsOf} for that column alone. */
export async function trendOf(
  context: AnalysisContext,
  column: string,
  timeColumn: string,
  toolCallId: string | null = null,
): Promise<Trend> {
  const trend = (await trendsOf(context, [column], timeColumn)).get(column);
  if (trend === undefined) throw new Error(`no trend for ${column}`);
  return { ...trend, toolCallId };
}

/**
 * The `trends` specialist: each numeric column against the dataset's time column (the
 * first date or datetime column). The columns are the tool's enums, so a planner calls
 * it once per column; without a time column it has no tool and finds no trend.
 */
export function trendsAgent(
  model: string,
  dataset: AnalysisContext['dataset'],
): Agent<AnalysisContext, typeof TrendsOutput> {
  const time = dataset.columns.find((c) => c.type === 'date' || c.type === 'datetime');
  const numeric = dataset.columns
    .filter((c) => c.type === 'integer' || c.type === 'number')
    .map((c) => c.name);
  const allColumns = perRun<Map<string, Omit<Trend, 'toolCallId'>>>();
  const tools =
    time === undefined || numeric.length === 0
      ? []
      : [
          tool({
            // A failing tool (a query error, a timeout) fails the agent: the model must not improvise past it.
            errorFunction: null,
            name: 'trend',
            description: 'Least-squares slope and Mann-Kendall test of a numeric column over time',
            parameters: z.object({
              column: z.enum(numeric as [string, ...string[]]),
              timeColumn: z.enum([time.name]),
            }),
            execute: async (
              { column, timeColumn },
              runContext?: RunContext<AnalysisContext>,
              details?,
            ) => {
              if (runContext === undefined) throw new Error('trend needs the analysis context');
              // Every numeric column in one pass, shared by this run's calls (one per column).
              const trends = await allColumns(runContext, () =>
                trendsOf(runContext.context, numeric, timeColumn),
              );
              const trend = trends.get(column);
              if (trend === undefined) throw new Error(`no trend for ${column}`);
              return JSON.stringify({
                trends: [{ ...trend, toolCallId: details?.toolCall?.callId ?? null }],
              });
            },
          }),
        ];
  return new Agent<AnalysisContext, typeof TrendsOutput>({
    name: 'trends',
    model,
    instructions:
      'You find trends: for every numeric column, call the trend tool against the time ' +
      'column and report its results as they are.',
    tools,
    outputType: TrendsOutput,
  });
}
