import type { AnalysisContext } from '../orchestration/analysis-context';
import { mergeBucketRows } from '../statistics/bucket-merge';

/**
 * Tables up to this many rows are read point by point (one point per distinct time, with
 * the file rows of its extremes); larger ones are read as time buckets. 50,000 points keep
 * the series analysis in memory and well under a second, and cover most uploaded files.
 */
export const MAX_SERIES_POINTS = 50_000;
/** Most time buckets a large table's series is read as (the width is a round duration). */
export const MAX_SERIES_BUCKETS = 10_000;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Bucket widths a series is read at: round durations that divide an hour, a day or a week,
 * so that daily and weekly cycles span a whole number of buckets.
 */
const BUCKET_WIDTHS_MS = [
  ...[1, 2, 5, 10, 15, 30].map((s) => s * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
  ...[1, 2, 3, 4, 6, 8, 12].map((h) => h * HOUR),
  ...[1, 7].map((d) => d * DAY),
];

/** One point of a column's series: the rows at one time, or in one time bucket. */
export interface SeriesCell {
  /** Epoch ms: the rows' time, or the bucket's start. */
  t: number;
  /** Mean of the column over those rows. */
  y: number;
  /** Rows with a value. */
  count: number;
  min: number;
  max: number;
  /** 1-based file rows of the smallest and largest value (points only; null for buckets). */
  minRow: number | null;
  maxRow: number | null;
  /** Sample standard deviation within the bucket (buckets with 2 rows or more), else null. */
  sd: number | null;
}

/** Numeric columns against the time column, as series. */
export interface ExtractedSeries {
  timeColumn: string;
  /** Null: one point per distinct time; else the width of the buckets, in ms. */
  bucketMs: number | null;
  /** Start of bucket 0 (epoch ms, a multiple of the width); null for points. */
  originMs: number | null;
  /** Each column's cells, in time order (times with no value of the column left out). */
  columns: Map<string, SeriesCell[]>;
}

type DatasetColumn = AnalysisContext['dataset']['columns'][number];

export function findColumn(context: AnalysisContext, name: string): DatasetColumn {
  const found = context.dataset.columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no column ${name}`);
  return found;
}

/**
 * The time column's first and last instant in seconds: from the stored profile (its exact
 * minimum and maximum, measured at upload, so no pass over the rows for them), else
 * measured now.
 */
export async function timeRange(
  context: AnalysisContext,
  time: DatasetColumn,
): Promise<[number | null, number | null]> {
  const profile = context.dataset.profile.find((p) => p.name === time.name);
  if (typeof profile?.min === 'string' && typeof profile.max === 'string') {
    const range = [Date.parse(profile.min) / 1000, Date.parse(profile.max) / 1000];
    if (range.every(Number.isFinite)) return range as [number, number];
  }
  return context.series.timeRange(context.organizationId, context.dataset, time.column);
}

/**
 * The narrowest round width (BUCKET_WIDTHS_MS, then whole weeks) that splits `spanMs` into
 * at most `maxBuckets` buckets aligned on multiples of the width.
 */
export function bucketWidthMs(spanMs: number, maxBuckets = MAX_SERIES_BUCKETS): number {
  // A bucket may straddle either end of the span when it is aligned: hence the 1 spare.
  const fits = (width: number) => Math.floor(spanMs / width) + 2 <= maxBuckets;
  const round = BUCKET_WIDTHS_MS.find(fits);
  if (round !== undefined) return round;
  return 7 * DAY * Math.ceil(spanMs / (7 * DAY) / (maxBuckets - 2));
}

const number = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** A column's cells from the rows of the statement, where its aggregates end in `i`. */
function cellsOf(
  rows: ReadonlyArray<Record<string, unknown>>,
  i: number,
  t: (row: Record<string, unknown>) => number,
): SeriesCell[] {
  const cells: SeriesCell[] = [];
  for (const row of rows) {
    const count = Number(row[`n${i}`] ?? 0);
    if (count === 0) continue;
    cells.push({
      t: t(row),
      y: Number(row[`m${i}`]),
      count,
      min: Number(row[`lo${i}`]),
      max: Number(row[`hi${i}`]),
      minRow: number(row[`lorow${i}`]),
      maxRow: number(row[`hirow${i}`]),
      sd: number(row[`sd${i}`]),
    });
  }
  return cells;
}

/**
 * Each numeric column against the time column, in one statement over the stored rows for
 * all of them (`SeriesScansRepository`). A table of at most {@link MAX_SERIES_POINTS} rows gives one point per
 * distinct time: the mean of the rows at that time, with the file rows of its smallest and
 * largest value (`row_number() OVER (ORDER BY ctid)`: a dataset table is written once by
 * COPY in file order). A larger one gives time buckets of a round width
 * ({@link bucketWidthMs}): mean, count, minimum, maximum and standard deviation, so a single
 * extreme row is still visible in its bucket's maximum.
 */
export async function seriesOf(
  context: AnalysisContext,
  columns: readonly string[],
  timeColumn: string,
  {
    maxPoints = MAX_SERIES_POINTS,
    maxBuckets = MAX_SERIES_BUCKETS,
    minPartPages,
  }: { maxPoints?: number; maxBuckets?: number; minPartPages?: number } = {},
): Promise<ExtractedSeries> {
  const { organizationId, dataset, series, scans } = context;
  const time = findColumn(context, timeColumn);
  const ys = columns.map((name) => findColumn(context, name));
  const stored = ys.map((y) => y.column);

  if (dataset.rowCount <= maxPoints) {
    const rows = await series.seriesPoints(organizationId, dataset, time.column, stored);
    return {
      timeColumn,
      bucketMs: null,
      originMs: null,
      columns: new Map(ys.map((y, i) => [y.name, cellsOf(rows, i, (row) => Number(row.t))])),
    };
  }

  const [x0, x1] = await timeRange(context, time);
  if (x0 === null || x1 === null) {
    return {
      timeColumn,
      bucketMs: null,
      originMs: null,
      columns: new Map(ys.map((y) => [y.name, []])),
    };
  }
  const width = bucketWidthMs((x1 - x0) * 1000, maxBuckets);
  const origin = Math.floor((x0 * 1000) / width) * width;
  // The parts run at once, one a core.
  const parts = await scans.tableParts(organizationId, dataset, minPartPages);
  const partRows = await Promise.all(
    parts.map((part) =>
      series.seriesBuckets(
        organizationId,
        dataset,
        time.column,
        stored,
        { originMs: origin, widthMs: width },
        part,
      ),
    ),
  );
  const rows = mergeBucketRows(partRows, ys.length);
  return {
    timeColumn,
    bucketMs: width,
    originMs: origin,
    columns: new Map(
      ys.map((y, i) => [y.name, cellsOf(rows, i, (row) => origin + Number(row.b) * width)]),
    ),
  };
}

/** A value of a column to find the file row of: the first row in its bucket holding it. */
export interface BucketValue {
  column: string;
  /** The bucket's start (epoch ms), as in {@link SeriesCell.t}. */
  t: number;
  value: number;
}

/**
 * The 1-based file rows of values seen in a bucketed series (a bucket's minimum or
 * maximum), in one pass over the table split in parts read at once: the first row of each
 * bucket holding the value (the same float8 the aggregate returned), numbered by counting
 * the rows stored before it (TID range scans, as the anomaly scan numbers its rows).
 * Null for a value not found.
 */
export async function rowsOfBucketValues(
  context: AnalysisContext,
  series: ExtractedSeries,
  wanted: readonly BucketValue[],
  { minPartPages }: { minPartPages?: number } = {},
): Promise<Array<number | null>> {
  if (wanted.length === 0 || series.bucketMs === null || series.originMs === null) {
    return wanted.map(() => null);
  }
  const { organizationId, dataset } = context;
  const [originMs, bucketMs] = [series.originMs, series.bucketMs];
  const time = findColumn(context, series.timeColumn);
  const names = [...new Set(wanted.map((w) => w.column))];
  const stored = names.map((name) => findColumn(context, name).column);
  const values = {
    columns: wanted.map((w) => names.indexOf(w.column)),
    buckets: wanted.map((w) => Math.round((w.t - originMs) / bucketMs)),
    values: wanted.map((w) => w.value),
  };
  // Each part finds the first row holding each value in its pages, all parts at once; the
  // earliest part with a row wins (parts are in file order).
  const parts = await context.scans.tableParts(organizationId, dataset, minPartPages);
  const partFound = await Promise.all(
    parts.map((part) =>
      context.series.bucketValueTids(
        organizationId,
        dataset,
        time.column,
        stored,
        { originMs, widthMs: bucketMs },
        values,
        part,
      ),
    ),
  );
  const tids = new Map<number, string>();
  for (const found of partFound) {
    for (const { i, tid } of found) if (!tids.has(i)) tids.set(i, tid);
  }
  if (tids.size === 0) return wanted.map(() => null);
  // File rows by counting the rows stored before each found one (TID range scans).
  const rowOfTid = await context.series.rowsAt(organizationId, dataset, [
    ...new Set(tids.values()),
  ]);
  const result: Array<number | null> = wanted.map(() => null);
  for (const [i, tid] of tids) result[i - 1] = rowOfTid.get(tid) ?? null;
  return result;
}

/**
 * Each numeric column's values with their 1-based file rows, for a table without a time
 * column of at most {@link MAX_SERIES_POINTS} rows (one statement for all columns).
 */
export async function valuesOf(
  context: AnalysisContext,
  columns: readonly string[],
): Promise<Map<string, { values: number[]; rows: number[] }>> {
  const ys = columns.map((name) => findColumn(context, name));
  const rows = await context.series.columnValues(
    context.organizationId,
    context.dataset,
    ys.map((y) => y.column),
  );
  return new Map(
    ys.map((y, i) => {
      const column = { values: [] as number[], rows: [] as number[] };
      for (const row of rows) {
        const value = row[`y${i}`];
        if (value === null || value === undefined) continue;
        column.values.push(Number(value));
        column.rows.push(Number(row.rn));
      }
      return [y.name, column];
    }),
  );
}
