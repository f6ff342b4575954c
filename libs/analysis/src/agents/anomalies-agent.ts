import { datasetTable, quoteIdentifier } from '@app/datasets';
import { Agent, type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../analysis-context';
import { perRun } from './run-memo';

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

/**
 * Rows from which a column's trend line, median, quartiles and MAD are estimated on a
 * uniform random sample of about this many rows (`TABLESAMPLE BERNOULLI`) instead of on
 * every row; every row is still tested against them. Smaller tables use every row.
 */
export const ANOMALY_SAMPLE_ROWS = 100_000;
/** The sample's seed (`REPEATABLE`): the same table gives the same sample, so the same result. */
const SAMPLE_SEED = 1729;
/** 0.6745 ≈ Φ⁻¹(0.75): MAD / 0.6745 estimates σ for normal data. */
const MAD_SCALE = 0.6745;

/** Where a column's values are centred and how far they spread (of the tested quantity). */
export interface ColumnSpread {
  /** The least-squares line over time the residuals are taken from (0 and 0 without time). */
  intercept: number;
  slope: number;
  median: number;
  q1: number;
  q3: number;
  mad: number;
  /**
   * Distance from the median of the {@link MAX_ANOMALIES_PER_COLUMN}th farthest estimating
   * row that is itself an anomaly, or null with fewer: those rows are rows of the table, so
   * the table has at least as many anomalies that far out, and only they can be reported.
   */
  reach: number | null;
}

/**
 * Bounds outside which a tested value may be reported: the far-out fences, and where
 * MAD > 0 the robust-z limit, whichever is nearer the median, and then no nearer than the
 * column's {@link ColumnSpread.reach}. The exact test and the ranking run in SQL on the
 * values outside them; here the robust-z limit and the reach are only widened by far more
 * than float8 rounding could move them (the fences are the very expression the test uses),
 * so no reported value is left out.
 */
export function candidateBounds(spread: ColumnSpread): { lower: number; upper: number } {
  let lower = spread.q1 - IQR_FENCE * (spread.q3 - spread.q1);
  let upper = spread.q3 + IQR_FENCE * (spread.q3 - spread.q1);
  if (spread.mad > 0) {
    const limit = ((ROBUST_Z_LIMIT * spread.mad) / MAD_SCALE) * (1 - 1e-9);
    lower = Math.max(lower, spread.median - limit);
    upper = Math.min(upper, spread.median + limit);
  }
  if (spread.reach !== null) {
    const slack = 1e-9 * (Math.abs(spread.median) + spread.reach + 1);
    lower = Math.min(lower, spread.median - spread.reach + slack);
    upper = Math.max(upper, spread.median + spread.reach - slack);
  }
  return { lower, upper };
}

interface Shape {
  table: string;
  /** `date_part('epoch', …)` of the time column, or undefined without one. */
  x: string | undefined;
  /** `"<stored column>"::float8 AS y<i>`, one per column. */
  values: string;
}

/**
 * The spread of each column's tested quantity, in one statement: the trend line
 * (`regr_intercept`, `regr_slope`), then the residuals' (or values') quartiles
 * (`percentile_cont`), MAD and reach, all over the same rows — every row of a table up to
 * {@link ANOMALY_SAMPLE_ROWS}, else a Bernoulli sample of that many, fixed by its seed.
 */
async function spreads(
  context: AnalysisContext,
  shape: Shape,
  count: number,
): Promise<Array<ColumnSpread | undefined>> {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const rowCount = context.dataset.rowCount;
  const sampled = rowCount > ANOMALY_SAMPLE_ROWS;
  const sample = sampled ? 'TABLESAMPLE BERNOULLI ($4::float4) REPEATABLE ($5::float8)' : '';
  const fit =
    shape.x === undefined
      ? ''
      : `f AS (SELECT ${indexes
          .map(
            (i) =>
              `coalesce(regr_intercept(y${i}, x), 0) AS a${i}, coalesce(regr_slope(y${i}, x), 0) AS b${i}`,
          )
          .join(', ')} FROM p),`;
  const residuals =
    shape.x === undefined
      ? `SELECT ${indexes.map((i) => `y${i} AS r${i}`).join(', ')} FROM p`
      : `SELECT ${indexes.map((i) => `y${i} - (f.a${i} + f.b${i} * p.x) AS r${i}`).join(', ')}
         FROM p CROSS JOIN f WHERE p.x IS NOT NULL`;
  // The test of an anomaly, as the second statement runs it (same expressions, same values).
  // `s` is MATERIALIZED so that each MAD is computed once, not again in each reach.
  const anomalous = (i: number) =>
    `(s.mad${i} > 0 AND 0.6745 * abs(r.r${i} - s.q${i}[2]) / s.mad${i} > $1::float8)
     OR r.r${i} < s.q${i}[1] - $2::float8 * (s.q${i}[3] - s.q${i}[1])
     OR r.r${i} > s.q${i}[3] + $2::float8 * (s.q${i}[3] - s.q${i}[1])`;
  const [row] = await context.query<Record<string, number | null>>(
    `WITH p AS (SELECT ${shape.x ?? 'NULL::float8'} AS x, ${shape.values} FROM ${shape.table} ${sample}),
     ${fit}
     r AS (${residuals}),
     q AS (SELECT ${indexes
       .map((i) => `percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY r${i}) AS q${i}`)
       .join(', ')} FROM r),
     s AS MATERIALIZED (SELECT q.*, ${indexes
       .map(
         (i) =>
           `(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(r.r${i} - q.q${i}[2])) FROM r) AS mad${i}`,
       )
       .join(', ')} FROM q)
     SELECT ${indexes
       .map(
         (i) =>
           `${shape.x === undefined ? '0::float8' : `f.a${i}`} AS intercept${i}, ` +
           `${shape.x === undefined ? '0::float8' : `f.b${i}`} AS slope${i}, ` +
           `s.q${i}[1] AS q1_${i}, s.q${i}[2] AS median${i}, s.q${i}[3] AS q3_${i}, s.mad${i} AS mad${i}, ` +
           `(SELECT abs(r.r${i} - s.q${i}[2]) FROM r WHERE ${anomalous(i)}
             ORDER BY 1 DESC OFFSET $3::int - 1 LIMIT 1) AS reach${i}`,
       )
       .join(',\n            ')}
     FROM s ${shape.x === undefined ? '' : 'CROSS JOIN f'}`,
    [
      ROBUST_Z_LIMIT,
      IQR_FENCE,
      MAX_ANOMALIES_PER_COLUMN,
      ...(sampled ? [(100 * ANOMALY_SAMPLE_ROWS) / rowCount, SAMPLE_SEED] : []),
    ],
  );
  return indexes.map((i) => {
    const median = row?.[`median${i}`];
    if (row === undefined || median === null || median === undefined) return undefined;
    return {
      intercept: Number(row[`intercept${i}`]),
      slope: Number(row[`slope${i}`]),
      median,
      q1: Number(row[`q1_${i}`]),
      q3: Number(row[`q3_${i}`]),
      mad: Number(row[`mad${i}`]),
      reach: row[`reach${i}`] ?? null,
    };
  });
}

interface CandidateRow {
  col: number;
  row: string;
  value: number;
  tested: number;
  robust_z: number | null;
}

/**
 * Anomalies of numeric columns, in PostgreSQL: where the dataset has a time column, the
 * residuals from each column's least-squares line over time are tested (a trending series
 * is not full of "outliers"), else the values. A value is reported when its robust z-score
 * exceeds {@link ROBUST_Z_LIMIT} or it lies beyond the far-out IQR fences; with MAD = 0
 * (over half the values equal) only the fences apply. At most
 * {@link MAX_ANOMALIES_PER_COLUMN} a column, the farthest from the median first.
 *
 * Two statements, whatever the number of columns: {@link spreads}, then one pass over every
 * row testing each column against its spread (the values outside {@link candidateBounds}
 * first, the exact test on those), and the rows of the reported values numbered by counting
 * the rows stored before each (TID range scans: a dataset table is written once by COPY in
 * file order, so `ctid` order is file order).
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
  const shape: Shape = {
    table: datasetTable(context.dataset),
    x: time === undefined ? undefined : `date_part('epoch', ${quoteIdentifier(time.column)})`,
    values: ys.map((y, i) => `${quoteIdentifier(y.column)}::float8 AS y${i}`).join(', '),
  };
  const found = new Map<string, Array<Omit<Anomaly, 'toolCallId'>>>(ys.map((y) => [y.name, []]));
  const tested = (await spreads(context, shape, ys.length)).flatMap((spread, i) =>
    spread === undefined ? [] : [{ i, spread, ...candidateBounds(spread) }],
  );
  if (tested.length === 0) return found;

  const values: unknown[] = [ROBUST_Z_LIMIT, IQR_FENCE, MAX_ANOMALIES_PER_COLUMN];
  const parameter = (value: number) => `$${values.push(value)}::float8`;
  const columnsTested = tested.map(({ i, spread, lower, upper }) => ({
    i,
    residual:
      shape.x === undefined
        ? `y${i}`
        : `y${i} - (${parameter(spread.intercept)} + ${parameter(spread.slope)} * x)`,
    lower: parameter(lower),
    upper: parameter(upper),
    median: parameter(spread.median),
    mad: parameter(spread.mad),
    q1: parameter(spread.q1),
    q3: parameter(spread.q3),
  }));
  // Each OFFSET 0 keeps a select a subquery of its own, so x and then each residual are
  // computed once a row rather than once for each expression that reads them. The values
  // outside the bounds are few (a heavy tail may give a few percent of the rows); each
  // column keeps its farthest by a top-N sort of those, not a sort of them all.
  const rows = await context.query<CandidateRow>(
    `WITH p AS (
       SELECT * FROM (
         SELECT tid, ${columnsTested.map((c) => `y${c.i}, ${c.residual} AS r${c.i}`).join(', ')}
         FROM (SELECT ctid AS tid, ${shape.x ?? 'NULL::float8'} AS x, ${shape.values} FROM ${shape.table} OFFSET 0) AS s
         ${shape.x === undefined ? '' : 'WHERE x IS NOT NULL'}
         OFFSET 0
       ) AS residuals
       WHERE ${columnsTested.map((c) => `r${c.i} < ${c.lower} OR r${c.i} > ${c.upper}`).join(' OR ')}
     ),
     reported AS MATERIALIZED (${columnsTested
       .map(
         (c) => `(
       SELECT ${c.i} AS col, tid, y${c.i} AS value, r${c.i} AS tested, abs(r${c.i} - ${c.median}) AS distance,
              CASE WHEN ${c.mad} > 0 THEN 0.6745 * abs(r${c.i} - ${c.median}) / ${c.mad} END AS robust_z
       FROM p
       WHERE (${c.mad} > 0 AND 0.6745 * abs(r${c.i} - ${c.median}) / ${c.mad} > $1::float8)
          OR r${c.i} < ${c.q1} - $2::float8 * (${c.q3} - ${c.q1})
          OR r${c.i} > ${c.q3} + $2::float8 * (${c.q3} - ${c.q1})
       ORDER BY distance DESC, tid LIMIT $3::int)`,
       )
       .join(' UNION ALL ')}
     ),
     at AS (
       SELECT tid, lag(tid) OVER (ORDER BY tid) AS previous FROM (SELECT DISTINCT tid FROM reported) AS d
     ),
     numbered AS (
       SELECT tid, sum((SELECT count(*) FROM ${shape.table}
                        WHERE ctid >= coalesce(at.previous, '(0,0)'::tid) AND ctid < at.tid))
                   OVER (ORDER BY tid) + 1 AS row
       FROM at
     )
     SELECT reported.col, numbered.row, reported.value, reported.tested, reported.robust_z
     FROM reported JOIN numbered USING (tid)
     ORDER BY reported.col, reported.distance DESC, reported.tid`,
    values,
  );

  const basis = time === undefined ? 'value' : 'trend_residual';
  const what = basis === 'value' ? 'value' : 'distance from the trend';
  for (const row of rows) {
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
    const score = row.robust_z ?? Infinity;
    const reasons = [
      ...(row.robust_z !== null && row.robust_z > ROBUST_Z_LIMIT
        ? [`robust z-score ${row.robust_z.toFixed(1)} > ${ROBUST_Z_LIMIT}`]
        : []),
      ...(fence === null ? [] : [`${what} ${fence} the IQR fence (k = ${IQR_FENCE})`]),
    ];
    found.get(name)?.push({
      column: name,
      row: Number(row.row),
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
