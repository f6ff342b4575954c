import { Agent, type RunContext } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../orchestration/analysis-context';
import { findingsOf, numericColumnsOf } from './series-findings';
import { failingTool } from '../tools/failing-tool';

export { IQR_FENCE, ROBUST_Z_LIMIT } from '../statistics/anomaly-band';

export const Anomaly = z.object({
  column: z.string(),
  /** 1-based row of the file (header excluded). */
  row: z.number(),
  value: z.number(),
  /** What was scored: the seasonal-trend remainder over time, or the value itself. */
  basis: z.enum(['remainder', 'value']),
  /** spike/dip: far above/below what its time leads one to expect; contextual: ordinary overall, wrong for its time; value: no time column. */
  kind: z.enum(['spike', 'dip', 'contextual', 'value']),
  /** ISO time of the point (the start of its bucket on a bucketed series); null without a time column. */
  time: z.string().nullable(),
  expected: z.number().nullable(),
  /** The band of ordinary values it fell outside. */
  band: z.object({ low: z.number(), high: z.number() }).nullable(),
  /** Robust SDs from the expected value (or |robust z| where the fences decided). */
  score: z.number(),
  reason: z.string(),
  /** The tool call that found it (provenance of the metrics written from it). */
  toolCallId: z.string().nullable(),
});
export type Anomaly = z.infer<typeof Anomaly>;

export const AnomalyColumn = z.object({
  column: z.string(),
  /** Anomalies found in the column. */
  found: z.number(),
  /** Of which reported: the highest scores, at most the request's `maxAnomalies`. */
  reported: z.number(),
  truncated: z.boolean(),
  /** The shape its values (or its series' values) were scored for; null for a large table without time, scanned in SQL. */
  distribution: z.enum(['symmetric', 'skewed', 'zero_inflated', 'constant']).nullable(),
  toolCallId: z.string().nullable(),
});
export type AnomalyColumn = z.infer<typeof AnomalyColumn>;

export const AnomaliesOutput = z.object({
  anomalies: z.array(Anomaly),
  anomalyColumns: z.array(AnomalyColumn),
});
export type AnomaliesOutput = z.infer<typeof AnomaliesOutput>;

/** One numeric column's anomalies and their count, as the `find_anomalies` tool returns them. */
export async function anomaliesOf(
  context: AnalysisContext,
  column: string,
  toolCallId: string | null = null,
): Promise<AnomaliesOutput> {
  const findings = (await findingsOf(context)).get(column);
  if (findings === undefined) throw new Error(`no numeric column ${column}`);
  return {
    anomalies: findings.anomalies.map((anomaly) => ({ ...anomaly, toolCallId })),
    anomalyColumns: [{ ...findings.anomalyColumn, toolCallId }],
  };
}

/**
 * The `anomalies` specialist: one tool call per numeric column (the tool's enum). Over a
 * time column, anomalies are scored on each column's seasonal-trend remainder against a
 * rolling baseline (series-findings.ts, shared with the trends specialist); without one,
 * on the values, for the shape of their distribution.
 */
export function anomaliesAgent(
  model: string,
  dataset: AnalysisContext['dataset'],
): Agent<AnalysisContext, typeof AnomaliesOutput> {
  const numeric = numericColumnsOf(dataset);
  const tools =
    numeric.length === 0
      ? []
      : [
          failingTool({
            name: 'find_anomalies',
            description:
              'Values of a numeric column far from what is expected: over time, on the remainder after ' +
              'trend and seasons against a rolling baseline (spikes, dips, contextual); without a time ' +
              'column, against the distribution of the values. Top N by score, with the count found',
            parameters: z.object({ column: z.enum(numeric as [string, ...string[]]) }),
            execute: async ({ column }, runContext?: RunContext<AnalysisContext>, details?) => {
              if (runContext === undefined)
                throw new Error('find_anomalies needs the analysis context');
              const toolCallId = details?.toolCall?.callId ?? null;
              return JSON.stringify(await anomaliesOf(runContext.context, column, toolCallId));
            },
          }),
        ];
  return new Agent<AnalysisContext, typeof AnomaliesOutput>({
    name: 'anomalies',
    model,
    instructions:
      'You find anomalies: for every numeric column, call find_anomalies and report what it ' +
      'returns, as it returns it.',
    tools,
    outputType: AnomaliesOutput,
  });
}
