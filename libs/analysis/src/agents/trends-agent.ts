import { Agent, type RunContext } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../orchestration/analysis-context';
import { findingsOf, numericColumnsOf, timeColumnOf } from './series-findings';
import { failingTool } from '../tools/failing-tool';

export { TREND_ALPHA } from '../statistics/seasonal-trend';

export const Trend = z.object({
  column: z.string(),
  timeColumn: z.string(),
  /** Rows with both a value and a time. */
  n: z.number(),
  /** Seasonal Mann-Kendall when a season was found (and taken out), else Mann-Kendall. */
  method: z.enum(['seasonal-mann-kendall', 'mann-kendall']),
  /** Theil-Sen slope of the deseasonalised series, in units of the column per day. */
  slopePerDay: z.number().nullable(),
  z: z.number(),
  pValue: z.number(),
  direction: z.enum(['increasing', 'decreasing', 'none']),
  /** True when a season was found and taken out before the test. */
  deseasonalised: z.boolean(),
  /** The tool call that computed it (provenance of the metrics written from it). */
  toolCallId: z.string().nullable(),
});
export type Trend = z.infer<typeof Trend>;

const Level = z.object({ mean: z.number(), sd: z.number() });

export const Season = z.object({
  column: z.string(),
  timeColumn: z.string(),
  name: z.enum(['hourly', 'daily', 'weekly', 'monthly', 'yearly', 'other']),
  /** In points of the series (a point a time, or a time bucket). */
  period: z.number(),
  periodMs: z.number(),
  /** 0..1: how much of the variation the season explains beside the remainder. */
  strength: z.number(),
  /** Mean per phase: months, weekdays or hours where the season is a calendar one. */
  profile: z.array(z.object({ label: z.string(), mean: z.number() })),
  description: z.string(),
  toolCallId: z.string().nullable(),
});
export type Season = z.infer<typeof Season>;

export const ChangePoint = z.object({
  column: z.string(),
  timeColumn: z.string(),
  kind: z.enum(['level_shift', 'variance_change']),
  /** ISO time of the first point of the new segment. */
  time: z.string(),
  /** Its first file row; null on a bucketed series. */
  row: z.number().nullable(),
  /** Level (deseasonalised mean) and noise SD of the segment before and after. */
  before: Level,
  after: Level,
  /** Step in noise SDs (level shift) or ratio of SDs (variance change). */
  score: z.number(),
  reason: z.string(),
  toolCallId: z.string().nullable(),
});
export type ChangePoint = z.infer<typeof ChangePoint>;

export const TrendsOutput = z.object({
  trends: z.array(Trend),
  seasonality: z.array(Season),
  changePoints: z.array(ChangePoint),
});
export type TrendsOutput = z.infer<typeof TrendsOutput>;

/**
 * One numeric column against the time column, as the `trend` tool returns it: the trend
 * after seasonality, the column's seasons (strongest first) and its change points, all
 * from the one analysis of its series (series-findings.ts, shared with `anomalies`).
 */
export async function trendOf(
  context: AnalysisContext,
  column: string,
  toolCallId: string | null = null,
): Promise<TrendsOutput> {
  const findings = (await findingsOf(context)).get(column);
  if (findings?.trend === null || findings === undefined) throw new Error(`no trend for ${column}`);
  return {
    trends: [{ ...findings.trend, toolCallId }],
    seasonality: findings.seasonality.map((season) => ({ ...season, toolCallId })),
    changePoints: findings.changePoints.map((change) => ({ ...change, toolCallId })),
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
  const time = timeColumnOf(dataset);
  const numeric = numericColumnsOf(dataset);
  const tools =
    time === undefined || numeric.length === 0
      ? []
      : [
          failingTool({
            name: 'trend',
            description:
              'Trend of a numeric column over time after its seasons are taken out (seasonal ' +
              'Mann-Kendall, Theil-Sen slope per day), with its seasons and change points',
            parameters: z.object({
              column: z.enum(numeric as [string, ...string[]]),
              timeColumn: z.enum([time.name]),
            }),
            execute: async ({ column }, runContext?: RunContext<AnalysisContext>, details?) => {
              if (runContext === undefined) throw new Error('trend needs the analysis context');
              const toolCallId = details?.toolCall?.callId ?? null;
              return JSON.stringify(await trendOf(runContext.context, column, toolCallId));
            },
          }),
        ];
  return new Agent<AnalysisContext, typeof TrendsOutput>({
    name: 'trends',
    model,
    instructions:
      'You find trends: for every numeric column, call the trend tool against the time ' +
      'column and report its results (trends, seasons, change points) as they are.',
    tools,
    outputType: TrendsOutput,
  });
}
