import { datasetTable, quoteIdentifier } from '@app/datasets';
import type { AnalysisContext } from '../orchestration/analysis-context';
import {
  candidateBounds,
  type ColumnSpread,
  IQR_FENCE,
  ordinaryBand,
  ROBUST_Z_LIMIT,
} from '../statistics/anomaly-band';
import { roundForWords } from '../statistics/season-profile';
import { findColumn } from './series-query';
import { partsOf } from './series-parts';

/**
 * Rows from which a column's median, quartiles and MAD are estimated on a uniform random
 * sample of about this many rows (`TABLESAMPLE BERNOULLI`) instead of on every row; every
 * row is still tested against them. Smaller tables use every row.
 */
export const ANOMALY_SAMPLE_ROWS = 100_000;
/** The sample's seed (`REPEATABLE`): the same table gives the same sample, so the same result. */
const SAMPLE_SEED = 1729;

/** The table, and the select expressions of each column as y<i>. */
export interface ScanShape {
  table: string;
  /** `"<stored column>"::float8 AS y<i>`, one per column. */
  values: string;
  count: number;
  /** Anomalies reported per column at most. */
  max: number;
}

/**
 * Each column's quartiles (`percentile_cont`) and MAD in one statement, over every row of
 * a table up to {@link ANOMALY_SAMPLE_ROWS}, else a Bernoulli sample of that many fixed by
 * its seed, and the table's size in pages.
 */
export async function spreads(
  context: AnalysisContext,
  shape: ScanShape,
): Promise<{ spreads: Array<ColumnSpread | undefined>; pages: number }> {
  const indexes = Array.from({ length: shape.count }, (_, i) => i);
  const rowCount = context.dataset.rowCount;
  const sampled = rowCount > ANOMALY_SAMPLE_ROWS;
  const sample = sampled ? 'TABLESAMPLE BERNOULLI ($2::float4) REPEATABLE ($3::float8)' : '';
  const [row] = await context.query<Record<string, number | string | null>>(
    `WITH r AS (SELECT ${shape.values} FROM ${shape.table} ${sample}),
     q AS (SELECT ${indexes
       .map((i) => `percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY y${i}) AS q${i}`)
       .join(', ')} FROM r)
     SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS pages, ${indexes
       .map(
         (i) =>
           `q.q${i}[1] AS q1_${i}, q.q${i}[2] AS median${i}, q.q${i}[3] AS q3_${i}, ` +
           `(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(r.y${i} - q.q${i}[2])) FROM r) AS mad${i}`,
       )
       .join(',\n            ')}
     FROM q`,
    [shape.table, ...(sampled ? [(100 * ANOMALY_SAMPLE_ROWS) / rowCount, SAMPLE_SEED] : [])],
  );
  const number = (name: string) => Number(row?.[name]);
  return {
    pages: number('pages'),
    spreads: indexes.map((i) => {
      const median = row?.[`median${i}`];
      if (median === null || median === undefined) return undefined;
      return {
        median: Number(median),
        q1: number(`q1_${i}`),
        q3: number(`q3_${i}`),
        mad: number(`mad${i}`),
      };
    }),
  };
}

/** A value reported in one part of the table, where its row is counted from the part's start. */
export interface PartCandidate {
  col: number;
  value: number;
  distance: number;
  robustZ: number | null;
  /** Rows of its part stored before it. */
  before: number;
  /** Anomalies of its column in its part (reported or not). */
  found: number;
}

/**
 * Every column's reported values across the parts: the farthest from the median first (the
 * earlier row first among equals), at most `max` a column, with their 1-based row of the
 * file: the rows of the parts before theirs, then theirs.
 */
export function mergeParts(
  parts: ReadonlyArray<readonly PartCandidate[]>,
  partRows: readonly number[],
  max: number,
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
    return count <= max;
  });
}

/** Each column's anomalies found across the parts (each part counts its own). */
export function foundAcrossParts(
  parts: ReadonlyArray<readonly PartCandidate[]>,
): Map<number, number> {
  const found = new Map<number, number>();
  for (const part of parts) {
    const seen = new Set<number>();
    for (const candidate of part) {
      if (seen.has(candidate.col)) continue;
      seen.add(candidate.col);
      found.set(candidate.col, (found.get(candidate.col) ?? 0) + candidate.found);
    }
  }
  return found;
}

/**
 * The test of every row of one part of the table (rows from `from`, before `to`): each
 * column's values outside {@link candidateBounds} first, the exact test on those and their
 * count, then each column's farthest `max` by a top-N sort, numbered by counting the rows
 * of the part stored before each (TID range scans: a dataset table is written once by COPY
 * in file order, so `ctid` order is file order).
 */
export async function candidatesIn(
  context: AnalysisContext,
  shape: ScanShape,
  columns: ReadonlyArray<{ i: number; spread: ColumnSpread }>,
  part: { from: string; to: string | null },
): Promise<PartCandidate[]> {
  const values: unknown[] = [ROBUST_Z_LIMIT, IQR_FENCE, shape.max, part.from];
  const parameter = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
  const range = `ctid >= $4::tid${part.to === null ? '' : ` AND ctid < ${parameter(part.to, 'tid')}`}`;
  const tested = columns.map(({ i, spread }) => {
    const { lower, upper } = candidateBounds(spread);
    const [median, mad, q1, q3] = [spread.median, spread.mad, spread.q1, spread.q3].map((v) =>
      parameter(v, 'float8'),
    );
    return {
      outside: `y${i} < ${parameter(lower, 'float8')} OR y${i} > ${parameter(upper, 'float8')}`,
      // The window counts every anomaly of the column before LIMIT keeps the farthest.
      select: `SELECT ${i} AS col, tid, y${i} AS value, abs(y${i} - ${median}) AS distance,
                 CASE WHEN ${mad} > 0 THEN 0.6745 * abs(y${i} - ${median}) / ${mad} END AS robust_z,
                 count(*) OVER () AS found
          FROM p
          WHERE (${mad} > 0 AND 0.6745 * abs(y${i} - ${median}) / ${mad} > $1::float8)
             OR y${i} < ${q1} - $2::float8 * (${q3} - ${q1})
             OR y${i} > ${q3} + $2::float8 * (${q3} - ${q1})
          ORDER BY distance DESC, tid LIMIT $3::int`,
    };
  });
  const rows = await context.query<{
    col: number;
    before: string;
    value: number;
    distance: number;
    robust_z: number | null;
    found: string;
  }>(
    `WITH p AS (
       SELECT * FROM (SELECT ctid AS tid, ${shape.values} FROM ${shape.table} WHERE ${range} OFFSET 0) AS s
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
     SELECT reported.col, numbered.before, reported.value, reported.distance, reported.robust_z,
            reported.found
     FROM reported JOIN numbered USING (tid)`,
    values,
  );
  return rows.map((row) => ({
    col: row.col,
    value: row.value,
    distance: row.distance,
    robustZ: row.robust_z,
    before: Number(row.before),
    found: Number(row.found),
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

/** A value of a large table without time that is far from the rest of its column. */
export interface ScannedAnomaly {
  row: number;
  value: number;
  expected: number;
  band: { low: number; high: number };
  /** |robust z|, or the largest finite number past the fences with MAD = 0. */
  score: number;
  reason: string;
}

/**
 * Anomalies of the numeric columns of a table without a time column, too large to read
 * into memory, in PostgreSQL: a value is reported when its robust z-score exceeds
 * {@link ROBUST_Z_LIMIT} or it lies beyond the far-out IQR fences (only the fences with
 * MAD = 0); at most `max` a column, the farthest from the median first, with the count of
 * all. A few statements whatever the number of columns: {@link spreads} (from a sample of
 * a large table), then the test of every row, split over consecutive parts of the table
 * run at once ({@link candidatesIn}, {@link rowsIn}), merged by {@link mergeParts}.
 */
export async function scanAnomalies(
  context: AnalysisContext,
  columns: readonly string[],
  max: number,
): Promise<Map<string, { anomalies: ScannedAnomaly[]; found: number }>> {
  const ys = columns.map((name) => findColumn(context, name));
  const shape: ScanShape = {
    table: datasetTable(context.dataset),
    values: ys.map((y, i) => `${quoteIdentifier(y.column)}::float8 AS y${i}`).join(', '),
    count: ys.length,
    max,
  };
  const result = new Map(ys.map((y) => [y.name, { anomalies: [] as ScannedAnomaly[], found: 0 }]));
  const measured = await spreads(context, shape);
  const tested = measured.spreads.flatMap((spread, i) =>
    spread === undefined ? [] : [{ i, spread }],
  );
  if (tested.length === 0) return result;

  // The parts run at once, each on its own connection; so do the counts of their rows.
  const parts = partsOf(measured.pages);
  const [candidates, partRows] = await Promise.all([
    Promise.all(parts.map((part) => candidatesIn(context, shape, tested, part))),
    Promise.all(parts.slice(0, -1).map((part) => rowsIn(context, shape.table, part))),
  ]);
  for (const [col, found] of foundAcrossParts(candidates)) {
    const entry = result.get(ys[col]?.name ?? '');
    if (entry !== undefined) entry.found = found;
  }
  for (const row of mergeParts(candidates, partRows, max)) {
    const spread = tested.find((c) => c.i === row.col)?.spread;
    const entry = result.get(ys[row.col]?.name ?? '');
    if (spread === undefined || entry === undefined) continue;
    const band = ordinaryBand(spread);
    const above = row.value > spread.median;
    const reason =
      row.robustZ !== null && row.robustZ > ROBUST_Z_LIMIT
        ? `value ${roundForWords(row.value)} has a robust z-score of ${roundForWords(row.robustZ)} ` +
          `(> ${ROBUST_Z_LIMIT}) ${above ? 'above' : 'below'} the median ${roundForWords(spread.median)}`
        : `value ${roundForWords(row.value)} is ${above ? 'above' : 'below'} the far-out IQR fence ` +
          `(k = ${IQR_FENCE})`;
    const score = row.robustZ ?? Infinity;
    entry.anomalies.push({
      row: row.row,
      value: row.value,
      expected: spread.median,
      band,
      score: Number.isFinite(score) ? score : Number.MAX_VALUE,
      reason,
    });
  }
  return result;
}
