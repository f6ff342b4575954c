import { datasetTable, quoteIdentifier } from '@app/datasets';
import { Agent, type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../analysis-context';
import { mannKendall } from '../statistics/normal';

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

interface TrendRow {
  n: string;
  slope: number | null;
  r2: number | null;
  s: string | null;
  k: string;
}

/**
 * One numeric column against a time column, computed in PostgreSQL over the stored
 * rows: the least-squares fit (`regr_slope`, `regr_r2`), and Mann-Kendall's S over the
 * means of {@link TREND_BUCKETS} equal time buckets (robust to outliers and to uneven
 * sampling), then z and a two-sided p-value; a trend is called when p < {@link TREND_ALPHA}.
 */
export async function trendOf(
  context: AnalysisContext,
  column: string,
  timeColumn: string,
  toolCallId: string | null = null,
): Promise<Trend> {
  const find = (name: string) => context.dataset.columns.find((c) => c.name === name);
  const y = find(column);
  const t = find(timeColumn);
  if (y === undefined || t === undefined)
    throw new Error(`no column ${y === undefined ? column : timeColumn}`);
  const [row] = await context.query<TrendRow>(
    `WITH points AS (
       SELECT extract(epoch FROM ${quoteIdentifier(t.column)})::float8 AS x, ${quoteIdentifier(y.column)}::float8 AS y
       FROM ${datasetTable(context.dataset)}
       WHERE ${quoteIdentifier(t.column)} IS NOT NULL AND ${quoteIdentifier(y.column)} IS NOT NULL
     ),
     fit AS (
       SELECT count(*) AS n, regr_slope(y, x) AS slope, regr_r2(y, x) AS r2, min(x) AS x0, max(x) AS x1
       FROM points
     ),
     buckets AS (
       SELECT width_bucket(p.x, f.x0, f.x1 + 1, $1) AS b, avg(p.y) AS m
       FROM points p CROSS JOIN fit f GROUP BY 1
     ),
     mk AS (
       SELECT sum(sign(j.m - i.m)) AS s FROM buckets i JOIN buckets j ON j.b > i.b
     )
     SELECT fit.n, fit.slope, fit.r2, mk.s, (SELECT count(*) FROM buckets) AS k FROM fit, mk`,
    [TREND_BUCKETS],
  );
  const s = Number(row?.s ?? 0);
  const { z: mkZ, pValue } = mannKendall(s, Number(row?.k ?? 0));
  return {
    column,
    timeColumn,
    n: Number(row?.n ?? 0),
    slopePerDay: row?.slope === null || row?.slope === undefined ? null : row.slope * 86_400,
    r2: row?.r2 ?? null,
    mannKendallS: s,
    mannKendallZ: mkZ,
    pValue,
    direction: pValue < TREND_ALPHA ? (s > 0 ? 'increasing' : 'decreasing') : 'none',
    toolCallId,
  };
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
              return JSON.stringify({
                trends: [
                  await trendOf(
                    runContext.context,
                    column,
                    timeColumn,
                    details?.toolCall?.callId ?? null,
                  ),
                ],
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
