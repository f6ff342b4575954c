import { datasetTable, quoteIdentifier } from '@app/datasets';
import { Agent, type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../analysis-context';
import {
  candidatesIn,
  IQR_FENCE,
  mergeParts,
  partsOf,
  ROBUST_Z_LIMIT,
  rowsIn,
  type ScanShape,
  spreads,
} from './anomalies-scan';
import { perRun } from './run-memo';

export { IQR_FENCE, MAX_ANOMALIES_PER_COLUMN, ROBUST_Z_LIMIT } from './anomalies-scan';

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

/**
 * Anomalies of numeric columns, in PostgreSQL: where the dataset has a time column, the
 * residuals from each column's least-squares line over time are tested (a trending series
 * is not full of "outliers"), else the values. A value is reported when its robust z-score
 * exceeds {@link ROBUST_Z_LIMIT} or it lies beyond the far-out IQR fences; with MAD = 0
 * (over half the values equal) only the fences apply. At most
 * {@link MAX_ANOMALIES_PER_COLUMN} a column, the farthest from the median first.
 *
 * A few statements, whatever the number of columns: {@link spreads} (from a sample of a
 * large table), then the test of every row against them, split over consecutive parts of
 * the table run at once ({@link candidatesIn}, {@link rowsIn}), merged by {@link mergeParts}.
 */
export async function anomaliesByColumn(
  context: AnalysisContext,
  columns: readonly string[],
): Promise<Map<string, Array<Omit<Anomaly, 'toolCallId'>>>> {
  const ys = columns.map((name) => {
    const found = context.dataset.columns.find((c) => c.name === name);
    if (found === undefined) throw new Error(`no column ${name}`);
    return found;
  });
  const time = context.dataset.columns.find((c) => c.type === 'date' || c.type === 'datetime');
  const shape: ScanShape = {
    table: datasetTable(context.dataset),
    x: time === undefined ? undefined : `date_part('epoch', ${quoteIdentifier(time.column)})`,
    values: ys.map((y, i) => `${quoteIdentifier(y.column)}::float8 AS y${i}`).join(', '),
    count: ys.length,
  };
  const found = new Map<string, Array<Omit<Anomaly, 'toolCallId'>>>(ys.map((y) => [y.name, []]));
  const measured = await spreads(context, shape);
  const tested = measured.spreads.flatMap((spread, i) =>
    spread === undefined ? [] : [{ i, spread }],
  );
  if (tested.length === 0) return found;

  // The parts run at once, each on its own connection; so do the counts of their rows.
  const parts = partsOf(measured.pages);
  const [candidates, partRows] = await Promise.all([
    Promise.all(parts.map((part) => candidatesIn(context, shape, tested, part))),
    Promise.all(parts.slice(0, -1).map((part) => rowsIn(context, shape.table, part))),
  ]);

  const basis = time === undefined ? 'value' : 'trend_residual';
  const what = basis === 'value' ? 'value' : 'distance from the trend';
  for (const row of mergeParts(candidates, partRows)) {
    const column = tested.find((c) => c.i === row.col);
    const name = ys[row.col]?.name;
    if (column === undefined || name === undefined) continue;
    const { q1, q3 } = column.spread;
    const fence =
      row.tested < q1 - IQR_FENCE * (q3 - q1)
        ? 'below'
        : row.tested > q3 + IQR_FENCE * (q3 - q1)
          ? 'above'
          : null;
    const score = row.robustZ ?? Infinity;
    const reasons = [
      ...(row.robustZ !== null && row.robustZ > ROBUST_Z_LIMIT
        ? [`robust z-score ${row.robustZ.toFixed(1)} > ${ROBUST_Z_LIMIT}`]
        : []),
      ...(fence === null ? [] : [`${what} ${fence} the IQR fence (k = ${IQR_FENCE})`]),
    ];
    found.get(name)?.push({
      column: name,
      row: row.row,
      value: row.value,
      basis,
      score: Number.isFinite(score) ? score : Number.MAX_VALUE,
      reason: reasons.join('; '),
    });
  }
  return found;
}

/** Anomalies of one numeric column: {@link anomaliesByColumn} for that column alone. */
export async function anomaliesOf(
  context: AnalysisContext,
  column: string,
  toolCallId: string | null = null,
): Promise<Anomaly[]> {
  const found = (await anomaliesByColumn(context, [column])).get(column) ?? [];
  return found.map((anomaly) => ({ ...anomaly, toolCallId }));
}

/** The `anomalies` specialist: one tool call per numeric column (the tool's enum). */
export function anomaliesAgent(
  model: string,
  dataset: AnalysisContext['dataset'],
): Agent<AnalysisContext, typeof AnomaliesOutput> {
  const numeric = dataset.columns
    .filter((c) => c.type === 'integer' || c.type === 'number')
    .map((c) => c.name);
  const allColumns = perRun<Map<string, Array<Omit<Anomaly, 'toolCallId'>>>>();
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
              // Every numeric column in the same two statements, shared by this run's calls.
              const found = await allColumns(runContext, () =>
                anomaliesByColumn(runContext.context, numeric),
              );
              const toolCallId = details?.toolCall?.callId ?? null;
              return JSON.stringify({
                anomalies: (found.get(column) ?? []).map((anomaly) => ({ ...anomaly, toolCallId })),
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
