import type { OrganizationId } from '@app/tenancy';
import { datasetTable, ownedBy, quoteIdentifier } from '@app/datasets';
import { floatColumns, type ScannedDataset, type ToolQuery } from './dataset-scans.repository';
import { partRange, type TablePart } from './table-parts';

/** A statement's row of aggregates, named by the column's index (`n0`, `m0`, …). */
export type AggregateRow = Record<string, unknown>;

/** The values of the bucketed series to find the rows of, as parallel arrays. */
export interface WantedBucketValues {
  /** Each value's column: its index in the `columns` of the statement. */
  columns: readonly number[];
  /** Each value's bucket (0 at the origin). */
  buckets: readonly number[];
  values: readonly number[];
}

/**
 * The statements the series tools run on the rows table of the dataset under analysis: a
 * time column (its stored name) against numeric ones (stored names, `y<i>` in order).
 * Each method takes the organization first and checks the dataset is its own
 * ({@link ownedBy}) before it reads, as {@link DatasetScansRepository} does.
 */
export class SeriesScansRepository {
  constructor(private readonly query: ToolQuery) {}

  /** The time column's first and last instant in seconds (null: no time at all). */
  async timeRange(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    time: string,
  ): Promise<[number | null, number | null]> {
    const [row] = await this.query<{ x0: number | null; x1: number | null }>(
      `SELECT date_part('epoch', min(t)) AS x0, date_part('epoch', max(t)) AS x1
       FROM (SELECT ${quoteIdentifier(time)} AS t FROM ${datasetTable(ownedBy(organizationId, dataset))}) AS p`,
    );
    return [row?.x0 ?? null, row?.x1 ?? null];
  }

  /**
   * One row per distinct time `t` (epoch ms), in time order, with each column's count
   * `n<i>`, mean `m<i>`, minimum `lo<i>`, maximum `hi<i>`, and the file rows of its largest
   * and smallest value `hirow<i>`/`lorow<i>` (`row_number() OVER (ORDER BY ctid)`: a dataset
   * table is written once by COPY in file order).
   */
  async seriesPoints(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    time: string,
    columns: readonly string[],
  ): Promise<AggregateRow[]> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const aggregates = columns.map(
      (_, i) =>
        `${commonAggregates(i)}, ` +
        `(array_agg(rn ORDER BY y${i} DESC, rn) FILTER (WHERE y${i} IS NOT NULL))[1] AS hirow${i}, ` +
        `(array_agg(rn ORDER BY y${i}, rn) FILTER (WHERE y${i} IS NOT NULL))[1] AS lorow${i}`,
    );
    // Rows are numbered before those without a time are left out: numbers are file rows.
    return this.query<AggregateRow>(
      `SELECT t, ${aggregates.join(',\n              ')}
       FROM (SELECT row_number() OVER (ORDER BY ctid) AS rn, ${epochMsOf(time)} AS t, ${floatColumns(columns)}
             FROM ${table}) AS p
       WHERE t IS NOT NULL
       GROUP BY t ORDER BY t`,
    );
  }

  /**
   * The time buckets `b` (`floor((t − originMs) / widthMs)`) of one part of the table, with
   * each column's count `n<i>`, mean `m<i>`, minimum `lo<i>`, maximum `hi<i>` and standard
   * deviation `sd<i>`.
   */
  async seriesBuckets(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    time: string,
    columns: readonly string[],
    { originMs, widthMs }: { originMs: number; widthMs: number },
    part: TablePart,
  ): Promise<AggregateRow[]> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const aggregates = columns.map(
      (_, i) => `${commonAggregates(i)}, stddev_samp(y${i}) AS sd${i}`,
    );
    const range = partRange(part, 3);
    // OFFSET 0 keeps the inner select a subquery of its own: the bucket is computed once a
    // row, not once for each aggregate that reads it.
    return this.query<AggregateRow>(
      `SELECT b, ${aggregates.join(',\n                ')}
       FROM (SELECT floor((${epochMsOf(time)} - $1::float8) / $2::float8) AS b, ${floatColumns(columns)}
             FROM ${table} WHERE ${range.sql} OFFSET 0) AS p
       WHERE b IS NOT NULL
       GROUP BY b`,
      [originMs, widthMs, ...range.values],
    );
  }

  /**
   * Where the first row of one part of the table holding each wanted value in its bucket
   * is stored (the same float8 the aggregate returned): `i` the 1-based index of the value
   * in `wanted`, `tid` its `ctid`; values not in the part are left out.
   */
  async bucketValueTids(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    time: string,
    columns: readonly string[],
    { originMs, widthMs }: { originMs: number; widthMs: number },
    wanted: WantedBucketValues,
    part: TablePart,
  ): Promise<Array<{ i: number; tid: string }>> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const pick = `CASE w.col ${columns.map((_, i) => `WHEN ${i} THEN p.y${i}`).join(' ')} END`;
    const range = partRange(part, 6);
    return this.query<{ i: number; tid: string }>(
      `WITH w AS (
         SELECT * FROM unnest($3::int[], $4::float8[], $5::float8[]) WITH ORDINALITY AS w(col, b, v, i)
       ),
       p AS (
         SELECT ctid AS tid, floor((${epochMsOf(time)} - $1::float8) / $2::float8) AS b, ${floatColumns(columns)}
         FROM ${table} WHERE ${range.sql} OFFSET 0
       )
       SELECT w.i::int AS i, min(p.tid)::text AS tid
       FROM p JOIN w ON p.b = w.b AND ${pick} = w.v GROUP BY w.i`,
      [originMs, widthMs, wanted.columns, wanted.buckets, wanted.values, ...range.values],
    );
  }

  /** The 1-based file rows of rows stored at `tids` (by counting the rows stored before each). */
  async rowsAt(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    tids: readonly string[],
  ): Promise<Map<string, number>> {
    const numbered = await this.query<{ tid: string; row: string }>(
      `WITH at AS (
         SELECT tid, lag(tid) OVER (ORDER BY tid) AS previous
         FROM (SELECT DISTINCT unnest($1::tid[]) AS tid) AS d
       )
       SELECT tid::text AS tid,
              sum((SELECT count(*) FROM ${datasetTable(ownedBy(organizationId, dataset))}
                   WHERE ctid >= coalesce(at.previous, '(0,0)'::tid) AND ctid < at.tid))
                OVER (ORDER BY tid) + 1 AS row
       FROM at`,
      [tids],
    );
    return new Map(numbered.map((r) => [r.tid, Number(r.row)]));
  }

  /** Every row's numeric columns `y<i>` with its 1-based file row `rn`, in file order. */
  async columnValues(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    columns: readonly string[],
  ): Promise<AggregateRow[]> {
    return this.query<AggregateRow>(
      `SELECT row_number() OVER (ORDER BY ctid) AS rn, ${floatColumns(columns)} FROM ${datasetTable(ownedBy(organizationId, dataset))} ORDER BY rn`,
    );
  }
}

/** Epoch milliseconds of a date or datetime column (its stored name), as a float8 expression. */
function epochMsOf(time: string): string {
  return `date_part('epoch', ${quoteIdentifier(time)}) * 1000`;
}

/** The aggregates of column `i` both reads give: count, mean, minimum and maximum. */
function commonAggregates(i: number): string {
  return `count(y${i}) AS n${i}, avg(y${i}) AS m${i}, min(y${i}) AS lo${i}, max(y${i}) AS hi${i}`;
}
