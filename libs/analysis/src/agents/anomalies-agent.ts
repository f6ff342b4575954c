import { datasetTable, quoteIdentifier } from '@app/datasets';
import { Agent, type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../analysis-context';

/** Robust z-score (0.6745·|x − median| / MAD, Iglewicz & Hoaglin) from which a value is an anomaly. */
export const ROBUST_Z_LIMIT = 3.5;
/** Tukey's far-out fences: Q1 − k·IQR and Q3 + k·IQR. */
export const IQR_FENCE = 3;
/** Anomalies reported per column, the highest scores first. */
export const MAX_ANOMALIES_PER_COLUMN = 50;

export const Anomaly = z.object({
  column: z.string(),
  /** 1-based row of the file (header excluded). */
  row: z.number(),
  value: z.number(),
  /** What was tested: the value itself, or its residual from the column's linear trend over time. */
  basis: z.enum(['value', 'trend_residual']),
  /** |robust z| of the tested quantity. */
  score: z.number(),
  reason: z.string(),
  /** The tool call that found it (provenance of the metrics written from it). */
  toolCallId: z.string().nullable(),
});
export type Anomaly = z.infer<typeof Anomaly>;

export const AnomaliesOutput = z.object({ anomalies: z.array(Anomaly) });
export type AnomaliesOutput = z.infer<typeof AnomaliesOutput>;

interface AnomalyRow {
  row: string;
  value: number;
  tested: number;
  median: number;
  mad: number;
  q1: number;
  q3: number;
  robust_z: number | null;
}

/**
 * Anomalies of one numeric column, in PostgreSQL: where the dataset has a time column,
 * the residuals from the column's least-squares line over time are tested (a trending
 * series is not full of "outliers"), else the values. A value is reported when its
 * robust z-score exceeds {@link ROBUST_Z_LIMIT} or it lies beyond the far-out IQR fences;
 * with MAD = 0 (over half the values equal) only the fences apply.
 */
export async function anomaliesOf(
  context: AnalysisContext,
  column: string,
  toolCallId: string | null = null,
): Promise<Anomaly[]> {
  const y = context.dataset.columns.find((c) => c.name === column);
  if (y === undefined) throw new Error(`no column ${column}`);
  const time = context.dataset.columns.find((c) => c.type === 'date' || c.type === 'datetime');
  const value = `${quoteIdentifier(y.column)}::float8`;
  const x =
    time === undefined ? null : `extract(epoch FROM ${quoteIdentifier(time.column)})::float8`;
  const residual = x === null ? 'r.value' : `r.value - (f.intercept + f.slope * r.x)`;
  const rows = await context.query<AnomalyRow>(
    `WITH r AS (
       SELECT row_number() OVER (ORDER BY ctid) AS row, ${value} AS value, ${x ?? 'NULL::float8'} AS x
       FROM ${datasetTable(context.dataset)}
     ),
     f AS (
       SELECT coalesce(regr_intercept(value, x), 0) AS intercept, coalesce(regr_slope(value, x), 0) AS slope
       FROM r WHERE value IS NOT NULL AND x IS NOT NULL
     ),
     t AS (
       SELECT r.row, r.value, ${residual} AS tested
       FROM r CROSS JOIN f WHERE r.value IS NOT NULL ${x === null ? '' : 'AND r.x IS NOT NULL'}
     ),
     stats AS (
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY tested) AS median,
              percentile_cont(0.25) WITHIN GROUP (ORDER BY tested) AS q1,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY tested) AS q3
       FROM t
     ),
     spread AS (
       SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(t.tested - s.median)) AS mad
       FROM t CROSS JOIN stats s
     )
     SELECT t.row, t.value, t.tested, s.median, d.mad, s.q1, s.q3,
            CASE WHEN d.mad > 0 THEN 0.6745 * abs(t.tested - s.median) / d.mad END AS robust_z
     FROM t CROSS JOIN stats s CROSS JOIN spread d
     WHERE (d.mad > 0 AND 0.6745 * abs(t.tested - s.median) / d.mad > $1)
        OR t.tested < s.q1 - $2 * (s.q3 - s.q1)
        OR t.tested > s.q3 + $2 * (s.q3 - s.q1)
     ORDER BY abs(t.tested - s.median) DESC, t.row
     LIMIT $3`,
    [ROBUST_Z_LIMIT, IQR_FENCE, MAX_ANOMALIES_PER_COLUMN],
  );
  const basis = x === null ? 'value' : 'trend_residual';
  return rows.map((row) => {
    const score = row.robust_z ?? Infinity;
    const fence =
      row.tested < row.q1 - IQR_FENCE * (row.q3 - row.q1)
        ? 'below'
        : row.tested > row.q3 + IQR_FENCE * (row.q3 - row.q1)
          ? 'above'
          : null;
    const what = basis === 'value' ? 'value' : 'distance from the trend';
    const reasons = [
      ...(row.robust_z !== null && row.robust_z > ROBUST_Z_LIMIT
        ? [`robust z-score ${row.robust_z.toFixed(1)} > ${ROBUST_Z_LIMIT}`]
        : []),
      ...(fence === null ? [] : [`${what} ${fence} the IQR fence (k = ${IQR_FENCE})`]),
    ];
    return {
      column,
      row: Number(row.row),
      value: row.value,
      basis,
      score: Number.isFinite(score) ? score : Number.MAX_VALUE,
      reason: reasons.join('; '),
      toolCallId,
    };
  });
}

/** The `anomalies` specialist: one tool call per numeric column (the tool's enum). */
export function anomaliesAgent(
  model: string,
  dataset: AnalysisContext['dataset'],
): Agent<AnalysisContext, typeof AnomaliesOutput> {
  const numeric = dataset.columns
    .filter((c) => c.type === 'integer' || c.type === 'number')
    .map((c) => c.name);
  const tools =
    numeric.length === 0
      ? []
      : [
          tool({
            // A failing tool (a query error, a timeout) fails the agent: the model must not improvise past it.
            errorFunction: null,
            name: 'find_anomalies',
            description:
              'Values of a numeric column far from the rest (robust z-score on median/MAD, IQR fences), on trend residuals when there is a time column',
            parameters: z.object({ column: z.enum(numeric as [string, ...string[]]) }),
            execute: async ({ column }, runContext?: RunContext<AnalysisContext>, details?) => {
              if (runContext === undefined)
                throw new Error('find_anomalies needs the analysis context');
              return JSON.stringify({
                anomalies: await anomaliesOf(
                  runContext.context,
                  column,
                  details?.toolCall?.callId ?? null,
                ),
              });
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
