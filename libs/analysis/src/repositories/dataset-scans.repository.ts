import type { OrganizationId } from '@app/tenancy';
import { type DatasetEntity, datasetTable, ownedBy, quoteIdentifier } from '@app/datasets';
import {
  candidateBounds,
  type ColumnSpread,
  IQR_FENCE,
  ROBUST_Z_LIMIT,
} from '../statistics/anomaly-band';
import { ANOMALY_SCAN_PARTS, partsOf, type TablePart } from './table-parts';

/**
 * A read-only statement with a statement timeout, in a transaction of its own
 * (`readOnlyQuery`).
 */
export type ToolQuery = <Row>(text: string, values?: unknown[]) => Promise<Row[]>;

/** What a scan reads of the dataset under analysis: its owner, its rows table, its size. */
export type ScannedDataset = Pick<DatasetEntity, 'organizationId' | 'tableName' | 'rowCount'>;

/**
 * Rows from which a column's median, quartiles and MAD are estimated on a uniform random
 * sample of about this many rows (`TABLESAMPLE BERNOULLI`) instead of on every row; every
 * row is still tested against them. Smaller tables use every row.
 */
export const ANOMALY_SAMPLE_ROWS = 100_000;
/** The samples' seeds (`REPEATABLE`): the same table gives the same sample, so the same result. */
const ANOMALY_SAMPLE_SEED = 1729;
const SEGMENT_SAMPLE_SEED = 1913;

/** Each column's spread (undefined: no value), and the table's size in pages. */
export interface MeasuredSpreads {
  spreads: Array<ColumnSpread | undefined>;
  pages: number;
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

/** A segment test's read: columns c<i> (text) and y<i> (float8), one row a row read. */
export type SegmentRow = Record<string, string | number | null>;

/**
 * The statements the agents' tools run on the rows table of the dataset under analysis,
 * each a named method taking the organization first: a rows table is named by its dataset
 * alone, so every method checks that the dataset is the organization's before it reads
 * ({@link ownedBy}). Column names are quoted by {@link quoteIdentifier}, values are
 * parameters. The statements run through `query`, read-only with a statement timeout
 * (`ToolQueryRepository`); the statistics on what they return are pure code.
 */
export class DatasetScansRepository {
  constructor(private readonly query: ToolQuery) {}

  /** The rows table's size in pages (NaN when unknown). */
  async tablePages(organizationId: OrganizationId, dataset: ScannedDataset): Promise<number> {
    const [size] = await this.query<{ pages: string }>(
      `SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS pages`,
      [datasetTable(ownedBy(organizationId, dataset))],
    );
    return Number(size?.pages ?? NaN);
  }

  /**
   * The table split into consecutive page ranges, each read by a statement of its own: one
   * statement runs on one core, so the parts of a large table are read at once.
   */
  async tableParts(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    minPartPages?: number,
  ): Promise<TablePart[]> {
    const pages = await this.tablePages(organizationId, dataset);
    return partsOf(pages, ANOMALY_SCAN_PARTS, minPartPages);
  }

  /**
   * Each column's (stored names) quartiles (`percentile_cont`) and MAD in one statement,
   * over every row of a table up to {@link ANOMALY_SAMPLE_ROWS}, else a Bernoulli sample of
   * that many fixed by its seed, and the table's size in pages.
   */
  async anomalySpreads(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    columns: readonly string[],
  ): Promise<MeasuredSpreads> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const indexes = columns.map((_, i) => i);
    const sampled = dataset.rowCount > ANOMALY_SAMPLE_ROWS;
    const sample = sampled ? 'TABLESAMPLE BERNOULLI ($2::float4) REPEATABLE ($3::float8)' : '';
    const [row] = await this.query<Record<string, number | string | null>>(
      `WITH r AS (SELECT ${floatColumns(columns)} FROM ${table} ${sample}),
       q AS (SELECT ${indexes
         .map(
           (i) => `percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY y${i}) AS q${i}`,
         )
         .join(', ')} FROM r)
       SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS pages, ${indexes
         .map(
           (i) =>
             `q.q${i}[1] AS q1_${i}, q.q${i}[2] AS median${i}, q.q${i}[3] AS q3_${i}, ` +
             `(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(r.y${i} - q.q${i}[2])) FROM r) AS mad${i}`,
         )
         .join(',\n              ')}
       FROM q`,
      [
        table,
        ...(sampled ? [(100 * ANOMALY_SAMPLE_ROWS) / dataset.rowCount, ANOMALY_SAMPLE_SEED] : []),
      ],
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

  /**
   * The test of every row of one part of the table (rows from `from`, before `to`): each
   * tested column's values outside {@link candidateBounds} first, the exact test on those
   * and their count, then each column's farthest `max` by a top-N sort, numbered by
   * counting the rows of the part stored before each (TID range scans: a dataset table is
   * written once by COPY in file order, so `ctid` order is file order). `columns` are the
   * stored names; `tested` names them by their index in it.
   */
  async anomalyCandidates(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    columns: readonly string[],
    tested: ReadonlyArray<{ i: number; spread: ColumnSpread }>,
    part: TablePart,
    max: number,
  ): Promise<PartCandidate[]> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const values: unknown[] = [ROBUST_Z_LIMIT, IQR_FENCE, max, part.from];
    const parameter = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
    const range = `ctid >= $4::tid${part.to === null ? '' : ` AND ctid < ${parameter(part.to, 'tid')}`}`;
    const tests = tested.map(({ i, spread }) => {
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
    const rows = await this.query<{
      col: number;
      before: string;
      value: number;
      distance: number;
      robust_z: number | null;
      found: string;
    }>(
      `WITH p AS (
         SELECT * FROM (SELECT ctid AS tid, ${floatColumns(columns)} FROM ${table} WHERE ${range} OFFSET 0) AS s
         WHERE ${tests.map((c) => c.outside).join(' OR ')}
       ),
       reported AS MATERIALIZED (${tests.map((c) => `(${c.select})`).join(' UNION ALL ')}),
       at AS (
         SELECT tid, lag(tid) OVER (ORDER BY tid) AS previous FROM (SELECT DISTINCT tid FROM reported) AS d
       ),
       numbered AS (
         SELECT tid, sum((SELECT count(*) FROM ${table}
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
  async partRows(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    part: TablePart,
  ): Promise<number> {
    const [row] = await this.query<{ rows: string }>(
      `SELECT count(*) AS rows FROM ${datasetTable(ownedBy(organizationId, dataset))}
       WHERE ctid >= $1::tid AND ctid < $2::tid`,
      [part.from, part.to],
    );
    return Number(row?.rows ?? 0);
  }

  /**
   * The rows a segment test reads, in one statement: the `categorical` columns (stored
   * names) as text cut to `levelCharacters` (c<i>), the `numeric` ones as float8 (y<i>), of
   * every row up to `sampleRows`, else of a Bernoulli sample of about that many (each row
   * kept with the same chance, fixed by its seed).
   */
  async segmentRows(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    columns: { categorical: readonly string[]; numeric: readonly string[] },
    { sampleRows, levelCharacters }: { sampleRows: number; levelCharacters: number },
  ): Promise<{ rows: SegmentRow[]; sampled: boolean }> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const sampled = dataset.rowCount > sampleRows;
    const selected = [
      // Cut as the profile's rule allows, so a long value that slipped past it costs little
      // (a literal: a parameter no column uses would leave its type undetermined).
      ...columns.categorical.map(
        (c, i) => `left(${quoteIdentifier(c)}::text, ${Math.floor(levelCharacters)}) AS c${i}`,
      ),
      ...columns.numeric.map((c, i) => `${quoteIdentifier(c)}::float8 AS y${i}`),
    ];
    const rows = await this.query<SegmentRow>(
      `SELECT ${selected.join(', ')} FROM ${table}
       ${sampled ? 'TABLESAMPLE BERNOULLI ($1::float4) REPEATABLE ($2::float8)' : ''}`,
      sampled ? [(100 * sampleRows) / dataset.rowCount, SEGMENT_SAMPLE_SEED] : [],
    );
    return { rows, sampled };
  }

  /**
   * Up to `limit` non-empty cells of a text column (its stored name) stored in pages
   * [`fromPage`, `toPage`), in file order, with where each is stored (`at`, its `ctid`):
   * each cut to `cellCharacters` in PostgreSQL (`left()` reads a slice of a long value),
   * and only those that start within `budget` characters leave it (a running sum).
   */
  async textCells(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    column: string,
    window: { fromPage: number; toPage: number },
    { limit, cellCharacters, budget }: { limit: number; cellCharacters: number; budget: number },
  ): Promise<Array<{ at: string; value: string }>> {
    const table = datasetTable(ownedBy(organizationId, dataset));
    const stored = quoteIdentifier(column);
    return this.query<{ at: string; value: string }>(
      `SELECT at, value FROM (
         SELECT at, value, sum(length(value)) OVER (ORDER BY tid) - length(value) AS before
         FROM (SELECT ctid AS tid, ctid::text AS at, left(${stored}, $4) AS value FROM ${table}
               WHERE ctid >= $1::tid AND ctid < $2::tid AND ${stored} <> ''
               ORDER BY ctid LIMIT $3) AS window_cells
       ) AS counted WHERE before < $5 ORDER BY before`,
      [`(${window.fromPage},0)`, `(${window.toPage},0)`, limit, cellCharacters, budget],
    );
  }

  /** The 1-based file row of the row stored at `at` (a `ctid`): rows are in file order. */
  async rowAt(
    organizationId: OrganizationId,
    dataset: ScannedDataset,
    at: string,
  ): Promise<number | undefined> {
    const [position] = await this.query<{ row: number }>(
      `SELECT count(*)::int + 1 AS row FROM ${datasetTable(ownedBy(organizationId, dataset))}
       WHERE ctid < $1::tid`,
      [at],
    );
    return position?.row;
  }
}

/** `"<stored column>"::float8 AS y<i>`, one per column, joined. */
export function floatColumns(columns: readonly string[]): string {
  return columns.map((column, i) => `${quoteIdentifier(column)}::float8 AS y${i}`).join(', ');
}
