import {
  type ColumnType,
  type DatasetColumn,
  type DatasetEntity,
  datasetTable,
} from '@app/datasets';
import { columnSql, filterSql, SqlParameters, TABLE_ALIAS } from './filter-sql';
import {
  COMPARED_COLUMN,
  columnNamed,
  dimensionName,
  dimensionType,
  measureName,
  measureType,
} from './query-columns';
import { InvalidQueryException, validateQuery } from './query-validation';
import {
  type Aggregate,
  QUERY_LIMITS,
  type QueryComparison,
  type QueryDimension,
  type QueryFilter,
  type QueryMeasure,
  type ResultColumn,
  type StructuredQuery,
  type TimeBucket,
} from './structured-query';

/** A dataset as the compiler needs it: its rows table and its columns. */
export type QueryDataset = Pick<DatasetEntity, 'tableName' | 'columns'>;

/** One parameterised statement over one dataset table, and the columns of its result. */
export interface CompiledQuery {
  sql: string;
  values: unknown[];
  /** The result's columns, in the order of the statement's `c0`, `c1`, … */
  columns: ResultColumn[];
  /** Rows the result holds at most; the statement fetches one more to tell a cut result. */
  rowCap: number;
  /** The dataset table the statement reads (unquoted, as the dataset row names it). */
  tableName: string;
}

/** A result column in SQL: what is selected (formatted), and what groups and orders it. */
interface Output {
  column: ResultColumn;
  /** The raw value: grouped by and ordered by, so dates order as dates. */
  value: string;
  /** What the statement returns: the value as JSON-able text for dates and times. */
  shown: string;
}

/** date_trunc's field for each truncating bucket (a constant, never the query's text). */
const TRUNCATIONS: Readonly<Partial<Record<TimeBucket, string>>> = {
  day: 'day',
  week: 'week', // ISO weeks: they start on Monday
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};

/** percentile_cont's fraction for each percentile aggregate. */
const PERCENTILES: Readonly<Partial<Record<Aggregate, string>>> = {
  median: '0.5',
  p90: '0.9',
  p95: '0.95',
};

/**
 * Compiles a structured query to one parameterised statement over the dataset's table.
 * Identifiers come only from the dataset's own columns (quoted); every value of the query is
 * a `$n` parameter cast to its column's type; the statement always has a LIMIT (the
 * query's, at most `rowCap`, plus one). Throws {@link InvalidQueryException} (422) when the
 * query does not fit the dataset.
 *
 * Semantics beyond the schema's: percentiles interpolate (`percentile_cont`: the median of
 * 1, 2, 3, 4 is 2.5); ordering puts nulls last either way; rows come in file order unless
 * ordered; a row in both compared groups counts in both, and a group no row meets is absent.
 */
export function compileQuery(
  query: StructuredQuery,
  dataset: QueryDataset,
  rowCap: number = QUERY_LIMITS.rows,
): CompiledQuery {
  const errors = validateQuery(query, dataset.columns);
  if (errors.length > 0) throw new InvalidQueryException(errors);
  const cap = Math.min(query.limit ?? rowCap, rowCap);
  const parameters = new SqlParameters();
  const statement =
    query.select !== undefined
      ? rowsStatement(query, query.select, dataset, parameters)
      : measuresStatement(query, query.measures ?? [], dataset, parameters);
  const limit = parameters.addTyped(cap + 1, 'integer');
  const select = statement.outputs.map((output, i) => `${output.shown} AS c${i}`).join(', ');
  const sql = `SELECT ${select} FROM ${statement.from}${statement.rest} LIMIT ${limit}`;
  return {
    sql,
    values: parameters.values,
    columns: statement.outputs.map((output) => output.column),
    rowCap: cap,
    tableName: dataset.tableName,
  };
}

interface Statement {
  outputs: Output[];
  from: string;
  /** WHERE, GROUP BY and ORDER BY, each with a leading space. */
  rest: string;
}

function rowsStatement(
  query: StructuredQuery,
  select: readonly string[],
  dataset: QueryDataset,
  parameters: SqlParameters,
): Statement {
  const table = datasetTable(dataset);
  const outputs = select.map((name) => {
    const column = existing(dataset.columns, name);
    return output({ name: column.name, type: column.type }, columnSql(column));
  });
  const order = (query.orderBy ?? []).map(
    ({ by, direction }) => `${columnSql(existing(dataset.columns, by))} ${sortOf(direction)}`,
  );
  // A dataset table is written once, in file order: ctid is that order.
  order.push(`${TABLE_ALIAS}.ctid`);
  const where = whereSql(query.filters ?? [], dataset, table, parameters);
  return {
    outputs,
    from: `${table} ${TABLE_ALIAS}`,
    rest: `${where} ORDER BY ${order.join(', ')}`,
  };
}

function measuresStatement(
  query: StructuredQuery,
  measures: readonly QueryMeasure[],
  dataset: QueryDataset,
  parameters: SqlParameters,
): Statement {
  const dimensions = (query.groupBy ?? []).map((dimension) =>
    dimensionOutput(dimension, existing(dataset.columns, dimension.column)),
  );
  const input = { query, measures, dimensions, dataset, parameters };
  const aggregated =
    query.compare === undefined
      ? plainAggregation(input)
      : comparedAggregation(input, query.compare);
  const { keys, values } = aggregated;

  const order: string[] = [];
  for (const { by, direction } of query.orderBy ?? []) {
    const measure = measures.findIndex((candidate) => measureName(candidate) === by);
    const dimension = dimensions.findIndex(({ dimension }) => dimension.column === by);
    const key =
      keys.find((candidate) => candidate.column.name === by) ?? aggregated.dimensions[dimension];
    const ordered = measure >= 0 ? values[measure] : key;
    if (ordered !== undefined) order.push(`${ordered.value} ${sortOf(direction)}`);
  }
  if (order.length === 0) {
    const bucketed = dimensions.findIndex(({ dimension }) => dimension.bucket !== undefined);
    if (bucketed >= 0) order.push(`${aggregated.dimensions[bucketed]?.value} ASC NULLS LAST`);
  }
  // Then every key, so equal values come in one order every time.
  order.push(...keys.map((key) => `${key.value} ASC NULLS LAST`));
  const orderBy = order.length > 0 ? ` ORDER BY ${order.join(', ')}` : '';
  return {
    outputs: [...keys, ...values],
    from: aggregated.from,
    rest: `${aggregated.rest}${orderBy}`,
  };
}

/** Measures over groups of rows, before ordering: the keys first, then the measures. */
interface Aggregation {
  from: string;
  /** WHERE and GROUP BY, each with a leading space. */
  rest: string;
  keys: Output[];
  /** The grouped dimensions as the outer statement sees them (a subset of `keys`). */
  dimensions: Output[];
  values: Output[];
}

/** What both kinds of aggregation start from. */
interface AggregationInput {
  query: StructuredQuery;
  measures: readonly QueryMeasure[];
  dimensions: ReadonlyArray<{ dimension: QueryDimension; output: Output }>;
  dataset: QueryDataset;
  parameters: SqlParameters;
}

function plainAggregation(input: AggregationInput): Aggregation {
  const { query, measures, dimensions, dataset, parameters } = input;
  const table = datasetTable(dataset);
  const keys = dimensions.map(({ output }) => output);
  const values = measures.map((measure) => {
    const { column, raw } = measureColumn(measure, dataset.columns);
    return output(measureResult(measure, column), aggregateSql(measure.agg, raw));
  });
  const where = whereSql(query.filters ?? [], dataset, table, parameters);
  const groupBy = keys.length > 0 ? ` GROUP BY ${keys.map((key) => key.value).join(', ')}` : '';
  return {
    from: `${table} ${TABLE_ALIAS}`,
    rest: `${where}${groupBy}`,
    keys,
    dimensions: keys,
    values,
  };
}

/**
 * Two groups side by side in one scan: each measure is aggregated once per group with
 * FILTER, grouped by the dimensions, and the row is then unfolded into one row per group
 * (`compared`). A row meeting both groups counts in both; a group no row meets is absent.
 */
function comparedAggregation(input: AggregationInput, compare: QueryComparison): Aggregation {
  const { query, measures, dimensions, dataset, parameters } = input;
  const table = datasetTable(dataset);
  const groups = compare.groups.map((group) =>
    group.filters
      .map((filter) => filterSql(filter, dataset.columns, table, parameters))
      .join(' AND '),
  );
  const labels = compare.groups.map((group) => parameters.addTyped(group.label, 'text'));
  const inner = [
    ...dimensions.map(({ output: dimension }, j) => `${dimension.value} AS k${j}`),
    ...groups.flatMap((group, g) => [
      `count(*) FILTER (WHERE ${group}) AS n${g}`,
      ...measures.map((measure, k) => {
        const { raw } = measureColumn(measure, dataset.columns);
        return `${aggregateSql(measure.agg, raw, group, 'part')} AS m${k}_${g}`;
      }),
    ]),
  ];
  const conditions = [
    ...(query.filters ?? []).map((filter) => filterSql(filter, dataset.columns, table, parameters)),
    `(${groups.map((group) => `(${group})`).join(' OR ')})`,
  ];
  // By the expressions, not their aliases: a GROUP BY name is first a column of the table.
  const groupBy =
    dimensions.length > 0
      ? ` GROUP BY ${dimensions.map(({ output: dimension }) => dimension.value).join(', ')}`
      : '';
  const unfolded = groups.map(
    (_group, g) => `(${g + 1}, s.n${g}${measures.map((_m, k) => `, s.m${k}_${g}`).join('')})`,
  );
  const from =
    `(SELECT ${inner.join(', ')} FROM ${table} ${TABLE_ALIAS}` +
    ` WHERE ${conditions.join(' AND ')}${groupBy}) AS s` +
    ` CROSS JOIN LATERAL (VALUES ${unfolded.join(', ')})` +
    ` AS compared(i, n${measures.map((_m, k) => `, m${k}`).join('')})`;
  const compared = {
    column: { name: COMPARED_COLUMN, type: 'string' as const },
    value: 'compared.i',
    shown: `CASE compared.i WHEN 1 THEN ${labels[0]} ELSE ${labels[1]} END`,
  };
  const outerDimensions = dimensions.map(({ output: dimension }, j) =>
    output(dimension.column, `s.k${j}`),
  );
  const values = measures.map((measure, k) => {
    const { column } = measureColumn(measure, dataset.columns);
    // A share is of the total over every (group, dimensions) row, as without a comparison.
    const value =
      measure.agg === 'share'
        ? `compared.m${k}::double precision / nullif(sum(compared.m${k}) OVER (), 0)`
        : `compared.m${k}`;
    return output(measureResult(measure, column), value);
  });
  return {
    from,
    rest: ' WHERE compared.n > 0',
    keys: [compared, ...outerDimensions],
    dimensions: outerDimensions,
    values,
  };
}

function whereSql(
  filters: readonly QueryFilter[],
  dataset: QueryDataset,
  table: string,
  parameters: SqlParameters,
): string {
  if (filters.length === 0) return '';
  const conditions = filters.map((filter) => filterSql(filter, dataset.columns, table, parameters));
  return ` WHERE ${conditions.join(' AND ')}`;
}

function dimensionOutput(
  dimension: QueryDimension,
  column: DatasetColumn,
): { dimension: QueryDimension; output: Output } {
  const result = { name: dimensionName(dimension), type: dimensionType(dimension.bucket, column) };
  const raw = columnSql(column);
  if (dimension.bucket === undefined) return { dimension, output: output(result, raw) };
  // Wall time in UTC: a datetime is a timestamptz, whose buckets would follow the session.
  const time = column.type === 'datetime' ? `(${raw} AT TIME ZONE 'UTC')` : `${raw}::timestamp`;
  const truncation = TRUNCATIONS[dimension.bucket];
  const value =
    truncation !== undefined
      ? `date_trunc('${truncation}', ${time})`
      : `extract(${dimension.bucket === 'weekday' ? 'isodow' : 'hour'} FROM ${time})::integer`;
  return { dimension, output: output(result, value) };
}

function measureColumn(
  measure: QueryMeasure,
  columns: readonly DatasetColumn[],
): { column: DatasetColumn | undefined; raw: string | undefined } {
  const column = measure.column === undefined ? undefined : existing(columns, measure.column);
  return { column, raw: column === undefined ? undefined : columnSql(column) };
}

function measureResult(measure: QueryMeasure, column: DatasetColumn | undefined): ResultColumn {
  return { name: measureName(measure), type: measureType(measure, column) };
}

/**
 * An aggregate over `column` (all rows when undefined), over the rows meeting `filter` when
 * given. A share is the part over the whole total; `part` gives its numerator alone, for a
 * caller that totals it later.
 */
function aggregateSql(
  agg: Aggregate,
  column: string | undefined,
  filter?: string,
  share: 'whole' | 'part' = 'whole',
): string {
  const of = column ?? '*';
  const only = filter === undefined ? '' : ` FILTER (WHERE ${filter})`;
  switch (agg) {
    case 'count':
      return `count(${of})${only}`;
    case 'count_distinct':
      return `count(DISTINCT ${of})${only}`;
    case 'sum':
    case 'min':
    case 'max':
      return `${agg}(${of})${only}`;
    case 'avg':
      return `avg(${of})${only}::double precision`;
    case 'median':
    case 'p90':
    case 'p95':
      return `percentile_cont(${PERCENTILES[agg]}) WITHIN GROUP (ORDER BY ${of})${only}`;
    case 'share': {
      const part = column === undefined ? `count(*)${only}` : `sum(${column})${only}`;
      if (share === 'part') return part;
      // The window runs over the grouped rows, before LIMIT: a share of the whole total.
      return `${part}::double precision / nullif(sum(${part}) OVER (), 0)`;
    }
  }
}

/** A result column whose value is `value`, shown as JSON-able text where it is a time. */
function output(column: ResultColumn, value: string): Output {
  return { column, value, shown: shownSql(value, column.type) };
}

function shownSql(value: string, type: ColumnType): string {
  switch (type) {
    case 'date':
      return `to_char(${value}, 'YYYY-MM-DD')`;
    case 'datetime':
      return `to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case 'integer':
    case 'number':
    case 'boolean':
    case 'string':
      return value;
  }
}

function sortOf(direction: 'asc' | 'desc'): string {
  return `${direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`;
}

function existing(columns: readonly DatasetColumn[], name: string): DatasetColumn {
  const column = columnNamed(columns, name);
  if (column === undefined) throw new Error(`unchecked column ${name}`);
  return column;
}
