import type { AnalysisContext } from '../analysis-context';

/** Robust z-score (0.6745·|x − median| / MAD, Iglewicz & Hoaglin) from which a value is an anomaly. */
export const ROBUST_Z_LIMIT = 3.5;
/** Tukey's far-out fences: Q1 − k·IQR and Q3 + k·IQR. */
export const IQR_FENCE = 3;
/** Anomalies reported per column, the highest scores first. */
export const MAX_ANOMALIES_PER_COLUMN = 50;
/**
 * Rows from which a column's trend line, median, quartiles and MAD are estimated on a
 * uniform random sample of about this many rows (`TABLESAMPLE BERNOULLI`) instead of on
 * every row; every row is still tested against them. Smaller tables use every row.
 */
export const ANOMALY_SAMPLE_ROWS = 100_000;
/**
 * Consecutive page ranges the test of every row is split into, each its own statement on
 * its own connection: PostgreSQL runs a statement on one core, and the other agents are
 * done before this pass is, so two statements keep both cores of a small server busy.
 */
export const ANOMALY_SCAN_PARTS = 2;
/** Pages (8 kB) a part has at least: a small table is tested in one statement. */
const MIN_PART_PAGES = 1024;
/** The sample's seed (`REPEATABLE`): the same table gives the same sample, so the same result. */
const SAMPLE_SEED = 1729;
/** 0.6745 ≈ Φ⁻¹(0.75): MAD / 0.6745 estimates σ for normal data. */
const MAD_SCALE = 0.6745;

/** Where a column's tested quantity is centred and how far it spreads. */
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

/** The table, and the select expressions of the time (seconds) and of each column as y<i>. */
export interface ScanShape {
  table: string;
  /** `date_part('epoch', …)` of the time column, or undefined without one. */
  x: string | undefined;
  /** `"<stored column>"::float8 AS y<i>`, one per column. */
  values: string;
  count: number;
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

/**
 * The spread of each column's tested quantity, in one statement: the trend line
 * (`regr_intercept`, `regr_slope`), then the residuals' (or values') quartiles
 * (`percentile_cont`), MAD and reach, all over the same rows — every row of a table up to
 * {@link ANOMALY_SAMPLE_ROWS}, else a Bernoulli sample of that many, fixed by its seed —
 * and the table's size in pages.
 */
export async function spreads(
  context: AnalysisContext,
  shape: ScanShape,
): Promise<{ spreads: Array<ColumnSpread | undefined>; pages: number }> {
  const indexes = Array.from({ length: shape.count }, (_, i) => i);
  const rowCount = context.dataset.rowCount;
  const sampled = rowCount > ANOMALY_SAMPLE_ROWS;
  const sample = sampled ? 'TABLESAMPLE BERNOULLI ($5::float4) REPEATABLE ($6::float8)' : '';
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
  // The test of an anomaly, as the test of every row runs it (same expressions, same values).
  // `s` is MATERIALIZED so that each MAD is computed once, not again in each reach.
  const anomalous = (i: number) =>
    `(s.mad${i} > 0 AND 0.6745 * abs(r.r${i} - s.q${i}[2]) / s.mad${i} > $1::float8)
     OR r.r${i} < s.q${i}[1] - $2::float8 * (s.q${i}[3] - s.q${i}[1])
     OR r.r${i} > s.q${i}[3] + $2::float8 * (s.q${i}[3] - s.q${i}[1])`;
  const [row] = await context.query<Record<string, number | string | null>>(
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
     SELECT pg_relation_size($4::regclass) / current_setting('block_size')::int AS pages, ${indexes
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
      shape.table,
      ...(sampled ? [(100 * ANOMALY_SAMPLE_ROWS) / rowCount, SAMPLE_SEED] : []),
    ],
  );
  const number = (name: string) => Number(row?.[name]);
  return {
    pages: number('pages'),
    spreads: indexes.map((i) => {
      const median = row?.[`median${i}`];
      if (median === null || median === undefined) return undefined;
      const reach = row?.[`reach${i}`];
      return {
        intercept: number(`intercept${i}`),
        slope: number(`slope${i}`),
        median: Number(median),
        q1: number(`q1_${i}`),
        q3: number(`q3_${i}`),
        mad: number(`mad${i}`),
        reach: reach === null || reach === undefined ? null : Number(reach),
      };
    }),
  };
}

/** A value reported in one part of the table, where its row is counted from the part's start. */
export interface PartCandidate {
  col: number;
  value: number;
  tested: number;
  distance: number;
  robustZ: number | null;
  /** Rows of its part stored before it. */
  before: number;
}

/** Consecutive page ranges covering a table of `pages` pages, as TID bounds (`to` open). */
export function partsOf(
  pages: number,
  parts = ANOMALY_SCAN_PARTS,
): Array<{ from: string; to: string | null }> {
  const whole = Number.isFinite(pages) ? Math.floor(pages / MIN_PART_PAGES) : 1;
  const count = Math.max(1, Math.min(parts, whole));
  const page = (k: number) => `(${Math.floor((pages * k) / count)},0)`;
  return Array.from({ length: count }, (_, k) => ({
    from: k === 0 ? '(0,0)' : page(k),
    // The last part is open-ended: it takes whatever is stored past the size read.
    to: k === count - 1 ? null : page(k + 1),
  }));
}

/**
 * Every column's reported values across the parts: the farthest from the median first (the
 * earlier row first among equals), at most {@link MAX_ANOMALIES_PER_COLUMN} a column, with
 * their 1-based row of the file: the rows of the parts before theirs, then theirs.
 */
export function mergeParts(
  parts: ReadonlyArray<readonly PartCandidate[]>,
  partRows: readonly number[],
): Array<PartCandidate & { row: number }> {
  let offset = 0;
  const all = parts.flatMap((part, k) => {
    const start = offset;
    offset += partRows[k] ?? 0;
    return part.map((candidate) => ({ ...candidate, row: start + candidate.before + 1 }));
  });
  all.sort((a, b) => a.col - b.col || b.distance - a.distance || a.row - b.row);
  const kept = new Map<number, number>();
  return all.filter((candidate) => {
    const count = (kept.get(candidate.col) ?? 0) + 1;
    kept.set(candidate.col, count);
    return count <= MAX_ANOMALIES_PER_COLUMN;
  });
}

/**
 * The test of every row of one part of the table (rows from `from`, before `to`): each
 * column's tested quantity against its spread, the values outside {@link candidateBounds}
 * first, the exact test on those, then each column's farthest
 * {@link MAX_ANOMALIES_PER_COLUMN} by a top-N sort, numbered by counting the rows of the
 * part stored before each (TID range scans: a dataset table is written once by COPY in file
 * order, so `ctid` order is file order).
 */
export async function candidatesIn(
  context: AnalysisContext,
  shape: ScanShape,
  columns: ReadonlyArray<{ i: number; spread: ColumnSpread }>,
  part: { from: string; to: string | null },
): Promise<PartCandidate[]> {
  const values: unknown[] = [ROBUST_Z_LIMIT, IQR_FENCE, MAX_ANOMALIES_PER_COLUMN, part.from];
  const parameter = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
  const range = `ctid >= $4::tid${part.to === null ? '' : ` AND ctid < ${parameter(part.to, 'tid')}`}`;
  const tested = columns.map(({ i, spread }) => {
    const { lower, upper } = candidateBounds(spread);
    const [median, mad, q1, q3] = [spread.median, spread.mad, spread.q1, spread.q3].map((v) =>
      parameter(v, 'float8'),
    );
    return {
      i,
      residual:
        shape.x === undefined
          ? `y${i}`
          : `y${i} - (${parameter(spread.intercept, 'float8')} + ${parameter(spread.slope, 'float8')} * x)`,
      outside: `r${i} < ${parameter(lower, 'float8')} OR r${i} > ${parameter(upper, 'float8')}`,
      select: `SELECT ${i} AS col, tid, y${i} AS value, r${i} AS tested, abs(r${i} - ${median}) AS distance,
                 CASE WHEN ${mad} > 0 THEN 0.6745 * abs(r${i} - ${median}) / ${mad} END AS robust_z
          FROM p
          WHERE (${mad} > 0 AND 0.6745 * abs(r${i} - ${median}) / ${mad} > $1::float8)
             OR r${i} < ${q1} - $2::float8 * (${q3} - ${q1})
             OR r${i} > ${q3} + $2::float8 * (${q3} - ${q1})
          ORDER BY distance DESC, tid LIMIT $3::int`,
    };
  });
  // Each OFFSET 0 keeps a select a subquery of its own, so x and then each residual are
  // computed once a row rather than once for each expression that reads them.
  const rows = await context.query<{
    col: number;
    before: string;
    value: number;
    tested: number;
    distance: number;
    robust_z: number | null;
  }>(
    `WITH p AS (
       SELECT * FROM (
         SELECT tid, ${tested.map((c) => `y${c.i}, ${c.residual} AS r${c.i}`).join(', ')}
         FROM (SELECT ctid AS tid, ${shape.x ?? 'NULL::float8'} AS x, ${shape.values}
               FROM ${shape.table} WHERE ${range} OFFSET 0) AS s
         ${shape.x === undefined ? '' : 'WHERE x IS NOT NULL'}
         OFFSET 0
       ) AS residuals
       WHERE ${tested.map((c) => c.outside).join(' OR ')}
     ),
     reported AS MATERIALIZED (${tested.map((c) => `(${c.select})`).join(' UNION ALL ')}),
     at AS (
       SELECT tid, lag(tid) OVER (ORDER BY tid) AS previous FROM (SELECT DISTINCT tid FROM reported) AS d
     ),
     numbered AS (
       SELECT tid, sum((SELECT count(*) FROM ${shape.table}
                        WHERE ctid >= coalesce(at.previous, $4::tid) AND ctid < at.tid))
                   OVER (ORDER BY tid) AS before
       FROM at
     )
     SELECT reported.col, numbered.before, reported.value, reported.tested, reported.distance,
            reported.robust_z
     FROM reported JOIN numbered USING (tid)`,
    values,
  );
  return rows.map((row) => ({
    col: row.col,
    value: row.value,
    tested: row.tested,
    distance: row.distance,
    robustZ: row.robust_z,
    before: Number(row.before),
  }));
}

/** Rows stored in a part of the table (one that has an end). */
export async function rowsIn(
  context: AnalysisContext,
  table: string,
  part: { from: string; to: string | null },
): Promise<number> {
  const [row] = await context.query<{ rows: string }>(
    `SELECT count(*) AS rows FROM ${table} WHERE ctid >= $1::tid AND ctid < $2::tid`,
    [part.from, part.to],
  );
  return Number(row?.rows ?? 0);
}
