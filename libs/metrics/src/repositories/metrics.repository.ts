import type { OrganizationId } from '@app/tenancy';
import type { Keyed, KeysetPosition } from '@app/common';
import { keysetAfterSql, keysetTimeSql, LongConnections, type UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import QueryStream from 'pg-query-stream';
import type { Readable, Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import type { MetricDimensions } from '../entities/metric.entity';
import type { MetricInput } from '../input/metric-input';
import { whereClause } from './metric-where';
import type {
  MetricFilter,
  MetricNameRow,
  MetricProvenance,
  MetricRow,
  MetricSpan,
  MetricSpanQuery,
  SeriesAggregate,
  SeriesGroups,
  SeriesInterval,
  SeriesQuery,
  SeriesRow,
} from './metric-queries';

/** Rows an export fetches per round trip: memory stays flat for any number of metrics. */
const EXPORT_BATCH_ROWS = 1000;

const AGGREGATE_SQL: Record<SeriesAggregate, string> = {
  avg: 'avg(value)',
  sum: 'sum(value)',
  min: 'min(value)',
  max: 'max(value)',
  count: 'count(*)::float8',
  p50: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY value)',
  p95: 'percentile_cont(0.95) WITHIN GROUP (ORDER BY value)',
};

const METRIC_COLUMNS = `id, name, value, unit, dimensions, observed_at AS "observedAt", source,
  dataset_id AS "datasetId", analysis_id AS "analysisId", agent, tool_call_id AS "toolCallId",
  created_at AS "createdAt"`;

/**
 * Metrics, always within one organization: every statement is bound to an
 * `organization_id` parameter, so no method can read or write across tenants.
 */
@Injectable()
export class MetricsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: LongConnections,
  ) {}

  /**
   * Inserts a write in one statement (arrays unnested in the database, so 10,000
   * metrics are one round trip) and keeps `metric_names` in step, in the caller's
   * transaction `work`, or in one of its own. Ids come from the caller so they are known
   * in input order.
   */
  async insert(
    organizationId: OrganizationId,
    ids: string[],
    metrics: MetricInput[],
    provenance: MetricProvenance,
    work?: UnitOfWork,
  ): Promise<void> {
    if (work === undefined) {
      await this.dataSource.transaction((own) =>
        this.insert(organizationId, ids, metrics, provenance, own),
      );
      return;
    }
    const names = metrics.map((metric) => metric.name);
    const times = metrics.map((metric) => metric.observedAt.toISOString());
    await work.query(
      `INSERT INTO metrics (id, organization_id, name, value, unit, dimensions, observed_at, source,
         dataset_id, analysis_id, agent, tool_call_id, created_by)
       SELECT m.id, $1, m.name, m.value, m.unit, m.dimensions, m.observed_at, $2, m.dataset_id, $3, $4, $5, $6
       FROM unnest($7::uuid[], $8::text[], $9::float8[], $10::text[], $11::jsonb[], $12::timestamptz[], $13::uuid[])
         AS m(id, name, value, unit, dimensions, observed_at, dataset_id)`,
      [
        organizationId,
        provenance.source,
        provenance.analysisId,
        provenance.agent,
        provenance.toolCallId,
        provenance.createdBy,
        ids,
        names,
        metrics.map((metric) => metric.value),
        metrics.map((metric) => metric.unit),
        metrics.map((metric) => JSON.stringify(metric.dimensions)),
        times,
        metrics.map((metric) => metric.datasetId),
      ],
    );
    // Names in one order for every writer, so concurrent writes lock their rows alike.
    await work.query(
      `INSERT INTO metric_names (organization_id, name, count, last_observed_at)
       SELECT $1, n.name, count(*), max(n.observed_at)
       FROM unnest($2::text[], $3::timestamptz[]) AS n(name, observed_at)
       GROUP BY n.name ORDER BY n.name
       ON CONFLICT (organization_id, name) DO UPDATE SET
         count = metric_names.count + EXCLUDED.count,
         last_observed_at = GREATEST(metric_names.last_observed_at, EXCLUDED.last_observed_at)`,
      [organizationId, names, times],
    );
  }

  /**
   * Deletes the metrics an analysis wrote (a retried analysis replaces them), keeping
   * `metric_names` counts right; returns the names they had. In the caller's transaction.
   */
  async deleteForAnalysis(
    organizationId: OrganizationId,
    analysisId: string,
    work: UnitOfWork,
  ): Promise<string[]> {
    const deleted = await work.query<Array<{ name: string; n: string }>>(
      `WITH gone AS (
         DELETE FROM metrics WHERE organization_id = $1 AND analysis_id = $2 RETURNING name
       )
       SELECT name, count(*) AS n FROM gone GROUP BY name ORDER BY name`,
      [organizationId, analysisId],
    );
    for (const { name, n } of deleted) {
      await work.query(
        `UPDATE metric_names SET count = count - $3 WHERE organization_id = $1 AND name = $2`,
        [organizationId, name, Number(n)],
      );
    }
    return deleted.map((row) => row.name);
  }

  /**
   * Newest first by `(observed_at, id)`, `limit + 1` rows after `after` (the extra one says
   * a next page exists), each with its exact position.
   */
  async list(
    organizationId: OrganizationId,
    filter: MetricFilter,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<MetricRow>>> {
    const { where, values } = whereClause(organizationId, filter);
    if (after !== undefined) {
      values.push(after.time, after.id);
      where.push(keysetAfterSql('observed_at', 'id', `$${values.length - 1}`, `$${values.length}`));
    }
    values.push(limit + 1);
    const rows = await this.dataSource.query<Array<MetricRow & { keysetTime: string }>>(
      `SELECT ${METRIC_COLUMNS}, ${keysetTimeSql('observed_at')} AS "keysetTime"
         FROM metrics WHERE ${where.join(' AND ')}
       ORDER BY observed_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(({ keysetTime, ...item }) => ({
      item,
      position: { time: keysetTime, id: item.id },
    }));
  }

  /**
   * Every metric matching the filter, newest first, from a server-side cursor through
   * `encode` (rows as {@link MetricRow}), on a long slot: given back when the stream ends,
   * fails or is abandoned by its reader.
   */
  stream(
    organizationId: OrganizationId,
    filter: MetricFilter,
    encode: Transform,
  ): Promise<Readable> {
    const { where, values } = whereClause(organizationId, filter);
    const query = new QueryStream(
      `SELECT ${METRIC_COLUMNS} FROM metrics WHERE ${where.join(' AND ')}
       ORDER BY observed_at DESC, id DESC`,
      values,
      { batchSize: EXPORT_BATCH_ROWS },
    );
    return this.connections.streamQuery(query, encode);
  }

  names(organizationId: OrganizationId): Promise<MetricNameRow[]> {
    return this.dataSource
      .query<Array<{ name: string; count: string; lastObservedAt: Date }>>(
        `SELECT name, count, last_observed_at AS "lastObservedAt" FROM metric_names
         WHERE organization_id = $1 ORDER BY name`,
        [organizationId],
      )
      .then((rows) => rows.map((row) => ({ ...row, count: Number(row.count) })));
  }

  /**
   * The `limit` values of `groupBy` with the most metrics of `name` in the window (ties by
   * value, `null` — metrics without the key — last), and how many distinct values there are.
   */
  async topGroups(
    organizationId: OrganizationId,
    query: SeriesQuery & { groupBy: string },
    limit: number,
  ): Promise<SeriesGroups> {
    const rows = await this.dataSource.query<Array<{ grp: string | null; total: string }>>(
      `SELECT grp, count(*) OVER () AS total
       FROM (
         SELECT dimensions ->> $5 AS grp, count(*) AS n
         FROM metrics
         WHERE organization_id = $1 AND name = $2 AND observed_at >= $3::timestamptz AND observed_at < $4::timestamptz
           ${dimensionsCondition(query.dimensions, 7)}
         GROUP BY 1
       ) g
       ORDER BY n DESC, grp ASC NULLS LAST
       LIMIT $6`,
      [
        organizationId,
        query.name,
        query.from.toISOString(),
        query.to.toISOString(),
        query.groupBy,
        limit,
        ...dimensionsValue(query.dimensions),
      ],
    );
    return { kept: rows.map((row) => row.grp), total: Number(rows[0]?.total ?? 0) };
  }

  /** The span of the metrics of `query.name` that match it; null when there are none. */
  async span(organizationId: OrganizationId, query: MetricSpanQuery): Promise<MetricSpan | null> {
    const { name, from, to, dimensions } = query;
    const { where, values } = whereClause(organizationId, { name, from, to, dimensions });
    let groups = '1';
    if (query.groupBy !== undefined) {
      values.push(query.groupBy);
      const key = `$${values.length}`;
      // count(DISTINCT) skips nulls: metrics without the key are one more group when present.
      groups = `count(DISTINCT dimensions ->> ${key}) + max(CASE WHEN dimensions ? ${key} THEN 0 ELSE 1 END)`;
    }
    const [row] = await this.dataSource.query<
      Array<{ first: Date | null; last: Date | null; count: string; groups: string | null }>
    >(
      `SELECT min(observed_at) AS first, max(observed_at) AS last, count(*) AS count,
         ${groups} AS groups
       FROM metrics WHERE ${where.join(' AND ')}`,
      values,
    );
    if (row === undefined || row.first === null || row.last === null) return null;
    return {
      first: row.first,
      last: row.last,
      count: Number(row.count),
      groups: Number(row.groups ?? 1),
    };
  }

  /**
   * Buckets of `interval` from the one holding `from` up to `to` (exclusive), in UTC,
   * aggregated in the database; a bucket without points is there with a null value
   * (0 for `count`). With `groupBy`, one run of buckets per value in `kept` (metrics
   * without the key form the `null` group), in value order, then one `other` run whose
   * aggregate is computed over the rows of every other value (an average of the rows,
   * not of the groups' averages), if there are any. At most `limit` rows.
   */
  series(
    organizationId: OrganizationId,
    query: SeriesQuery,
    kept: Array<string | null>,
    limit: number,
  ): Promise<SeriesRow[]> {
    // A run is a slot: an index into `kept` (1-based), 0 for other, 1 for the ungrouped series.
    const slot =
      query.groupBy === undefined
        ? '1'
        : 'COALESCE(array_position($6::text[], dimensions ->> $7), 0)';
    const group = query.groupBy === undefined ? 'NULL::text' : '($6::text[])[s.slot]';
    const slots =
      query.groupBy === undefined ? 'SELECT 1 AS slot' : 'SELECT DISTINCT slot FROM points';
    const empty = query.agg === 'count' ? '0' : 'NULL';
    // A literal from the enum, not a parameter: the bucket expression then matches the
    // extended statistics on it (migration SeriesBucketStatistics), so the planner knows
    // a year of days is 365 groups, not a million, and aggregates in parallel.
    const bucket = `date_trunc('${SERIES_INTERVAL_UNITS[query.interval]}', observed_at AT TIME ZONE 'UTC')`;
    const unit = SERIES_INTERVAL_UNITS[query.interval];
    const values: unknown[] = [
      organizationId,
      query.name,
      query.from.toISOString(),
      query.to.toISOString(),
      limit,
    ];
    if (query.groupBy !== undefined) values.push(kept, query.groupBy);
    const dimensions = dimensionsCondition(query.dimensions, values.length + 1);
    values.push(...dimensionsValue(query.dimensions));
    return this.dataSource.query<SeriesRow[]>(
      `WITH points AS (
         SELECT ${bucket} AS t, ${slot} AS slot, ${AGGREGATE_SQL[query.agg]} AS value
         FROM metrics
         WHERE organization_id = $1 AND name = $2 AND observed_at >= $3::timestamptz AND observed_at < $4::timestamptz
           ${dimensions}
         GROUP BY 1, 2
       ),
       buckets AS (
         SELECT generate_series(
           date_trunc('${unit}', $3::timestamptz AT TIME ZONE 'UTC'),
           ($4::timestamptz AT TIME ZONE 'UTC') - interval '1 microsecond',
           interval '1 ${unit}') AS t
       )
       SELECT b.t AT TIME ZONE 'UTC' AS t, ${group} AS "group", s.slot = 0 AS other,
         COALESCE(p.value, ${empty}) AS value
       FROM (${slots}) s CROSS JOIN buckets b
       LEFT JOIN points p ON p.t = b.t AND p.slot = s.slot
       ORDER BY s.slot = 0, ${group} NULLS LAST, b.t
       LIMIT $5`,
      values,
    );
  }
}

/** `date_trunc` units by interval: the only text spliced into the series SQL. */
const SERIES_INTERVAL_UNITS: Record<SeriesInterval, string> = {
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
};

/**
 * A series' dimension filter as SQL on parameter `$index`, and its value: nothing at all
 * without one, so the statements of unfiltered series stay as they were planned before.
 */
function dimensionsCondition(dimensions: MetricDimensions | undefined, index: number): string {
  return dimensionsValue(dimensions).length === 0 ? '' : `AND dimensions @> $${index}::jsonb`;
}

function dimensionsValue(dimensions: MetricDimensions | undefined): string[] {
  return dimensions === undefined || Object.keys(dimensions).length === 0
    ? []
    : [JSON.stringify(dimensions)];
}
