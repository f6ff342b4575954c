import { type ColumnType, type DatasetColumn, quoteIdentifier, SQL_TYPES } from '@app/datasets';
import { columnNamed } from './query-columns';
import { convertValue, type ParameterValue } from './query-values';
import type { CalendarPart, QueryFilter, RelativeUnit, Scalar } from './structured-query';

/** The `$n` parameters of one statement, each written with a cast to its column's type. */
export class SqlParameters {
  readonly values: unknown[] = [];

  /** `$n::<type>` for a value of a column type (`[]` for a list of them). */
  add(value: unknown, type: ColumnType, list = false): string {
    this.values.push(value);
    return `$${this.values.length}::${SQL_TYPES[type]}${list ? '[]' : ''}`;
  }

  /** `$n::<sql type>` for a value of the compiler's own (a label, a count). */
  addTyped(value: unknown, sqlType: 'text' | 'integer' | 'integer[]'): string {
    this.values.push(value);
    return `$${this.values.length}::${sqlType}`;
  }
}

/** The alias of the dataset table in every statement the compiler writes. */
export const TABLE_ALIAS = 't';

/** A dataset column in SQL: qualified by {@link TABLE_ALIAS}, its identifier quoted. */
export function columnSql(column: DatasetColumn, alias = TABLE_ALIAS): string {
  return `${alias}.${quoteIdentifier(column.column)}`;
}

/** make_interval's argument for each unit of a `last` filter. */
/** The `extract` field of each calendar part (constants, never the query's text). */
const CALENDAR_FIELDS: Readonly<Record<CalendarPart, string>> = {
  weekday: 'isodow',
  month: 'month',
  quarter: 'quarter',
  day: 'day',
  hour: 'hour',
};

const INTERVAL_ARGUMENTS: Readonly<Record<RelativeUnit, string>> = {
  hour: 'hours',
  day: 'days',
  week: 'weeks',
  month: 'months',
  year: 'years',
};

/**
 * One filter as a SQL condition. The query was validated, so every column exists and every
 * value converts; a value that does not is a bug, and throws. On a datetime column a date
 * without a time stands for its whole UTC day: `eq` matches the day, `lte` and the upper
 * bound of `between` take it in, `gt` starts after it.
 */
export function filterSql(
  filter: QueryFilter,
  columns: readonly DatasetColumn[],
  table: string,
  parameters: SqlParameters,
): string {
  const column = columnNamed(columns, filter.column);
  if (column === undefined) throw new Error(`filter on unknown column ${filter.column}`);
  const sql = columnSql(column);
  const value = (raw: Scalar) => {
    const converted = convertValue(raw, column.type);
    if (!converted.ok) throw new Error(`unchecked filter value: ${converted.message}`);
    return converted;
  };
  const parameter = (converted: { value: ParameterValue }) =>
    parameters.add(converted.value, column.type);
  // The day after a date-only datetime value, computed by PostgreSQL (9999-12-31 has one).
  const dayAfter = (converted: { value: ParameterValue }) =>
    `(${parameter(converted)} + interval '24 hours')`;

  switch (filter.op) {
    case 'eq':
    case 'ne': {
      const converted = value(filter.value);
      if (converted.wholeDay === true) {
        const [start, end] = [parameter(converted), dayAfter(converted)];
        return filter.op === 'eq'
          ? `(${sql} >= ${start} AND ${sql} < ${end})`
          : `(${sql} < ${start} OR ${sql} >= ${end})`;
      }
      return `${sql} ${filter.op === 'eq' ? '=' : '<>'} ${parameter(converted)}`;
    }
    case 'lt':
      return `${sql} < ${parameter(value(filter.value))}`;
    case 'gte':
      return `${sql} >= ${parameter(value(filter.value))}`;
    case 'lte': {
      const converted = value(filter.value);
      return converted.wholeDay === true
        ? `${sql} < ${dayAfter(converted)}`
        : `${sql} <= ${parameter(converted)}`;
    }
    case 'gt': {
      const converted = value(filter.value);
      return converted.wholeDay === true
        ? `${sql} >= ${dayAfter(converted)}`
        : `${sql} > ${parameter(converted)}`;
    }
    case 'between': {
      const lower = `${sql} >= ${parameter(value(filter.from))}`;
      const to = value(filter.to);
      const upper =
        to.wholeDay === true ? `${sql} < ${dayAfter(to)}` : `${sql} <= ${parameter(to)}`;
      return `(${lower} AND ${upper})`;
    }
    case 'contains':
      // strpos, not ILIKE: `%` and `_` in the value are plain characters, nothing to escape.
      return `strpos(lower(${sql}), lower(${parameter(value(filter.value))})) > 0`;
    case 'in': {
      if (column.type === 'datetime') {
        // Each value may be a whole day, so each is its own `eq`.
        const each = filter.values.map((raw) =>
          filterSql({ column: filter.column, op: 'eq', value: raw }, columns, table, parameters),
        );
        return `(${each.join(' OR ')})`;
      }
      const values = filter.values.map((raw) => value(raw).value);
      return `${sql} = ANY(${parameters.add(values, column.type, true)})`;
    }
    case 'is_null':
      return `${sql} IS NULL`;
    case 'not_null':
      return `${sql} IS NOT NULL`;
    case 'calendar': {
      // In UTC wall time, as the time buckets are.
      const time = column.type === 'datetime' ? `(${sql} AT TIME ZONE 'UTC')` : sql;
      const values = parameters.addTyped(filter.values, 'integer[]');
      return `extract(${CALENDAR_FIELDS[filter.part]} FROM ${time})::integer = ANY(${values})`;
    }
    case 'last': {
      const amount = parameters.addTyped(filter.amount, 'integer');
      const interval = `make_interval(${INTERVAL_ARGUMENTS[filter.unit]} => ${amount})`;
      const latest = `(SELECT max(${columnSql(column, 'latest')}) FROM ${table} latest)`;
      // In UTC wall time, so a month back does not depend on the session's time zone.
      return column.type === 'datetime'
        ? `(${sql} AT TIME ZONE 'UTC') > (${latest} AT TIME ZONE 'UTC') - ${interval}`
        : `${sql} > ${latest} - ${interval}`;
    }
  }
}
