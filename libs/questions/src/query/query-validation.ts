import { type FieldError, ProblemException } from '@app/common';
import type { ColumnType, DatasetColumn } from '@app/datasets';
import {
  AGGREGATE_TYPES,
  COMPARED_COLUMN,
  columnNamed,
  dimensionName,
  measureName,
} from './query-columns';
import { compareValues, convertValue, shownValue, TYPE_WORDS } from './query-values';
import {
  CALENDAR_PART_RANGES,
  type QueryFilter,
  type StructuredQuery,
  structuredQuerySchema,
} from './structured-query';

/** Characters of column names a message lists before it stops (a field error holds 1,024). */
const LISTED_NAMES_LENGTH = 600;

const ORDERED_TYPES: readonly ColumnType[] = ['integer', 'number', 'date', 'datetime'];
const TEMPORAL_TYPES: readonly ColumnType[] = ['date', 'datetime'];

/**
 * A structured query that does not fit its dataset (an unknown column, a sum of text, a
 * value of the wrong type): 422, with each fault named by its path in the query.
 */
export class InvalidQueryException extends ProblemException {
  constructor(errors: FieldError[]) {
    const named = errors.slice(0, 5).map((error) => `${error.field}: ${error.message}`);
    const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
    super(
      422,
      'invalid-query',
      `The query does not fit the dataset: ${named.join('; ')}${more}`,
      errors,
    );
  }
}

/**
 * Parses and validates `input` as a structured query over `columns`: the query, or every
 * fault found with its path under `field` (`query.filters[2].column`).
 */
export function parseQuery(
  input: unknown,
  columns: readonly DatasetColumn[],
  field = 'query',
): { query: StructuredQuery; errors: [] } | { query: undefined; errors: FieldError[] } {
  const parsed = structuredQuerySchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      field: pathOf(field, issue.path),
      message: issue.message,
    }));
    return { query: undefined, errors };
  }
  const errors = validateQuery(parsed.data, columns, field);
  return errors.length === 0 ? { query: parsed.data, errors: [] } : { query: undefined, errors };
}

function pathOf(field: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`),
    field,
  );
}

/**
 * The faults of a parsed query against its dataset's columns, each with its path under
 * `field`; empty when the query can be compiled. Rules beyond the schema's:
 * - `select` (rows) and `measures` (aggregates) are exclusive; `groupBy` and `compare` need
 *   measures; result names (measures, grouped columns, `compared`) are unique.
 * - `sum`, `avg`, `median`, `p90`, `p95` and a `share` of a column take integers or numbers;
 *   `min` and `max` any type but boolean; a `bucket` a date or datetime (`hour` a datetime).
 * - `lt`, `lte`, `gt`, `gte` and `between` take integers, numbers, dates and datetimes, not
 *   text (text order depends on the collation, which a question should not);
 *   `contains` takes text; `last` a date or datetime (`hour` a datetime).
 * - Every value must be a value of its column's type, as an upload would read a CSV cell.
 * - `orderBy.by` names a result column (or, for rows, any column of the dataset).
 */
export function validateQuery(
  query: StructuredQuery,
  columns: readonly DatasetColumn[],
  field = 'query',
): FieldError[] {
  const errors: FieldError[] = [];
  const fault = (at: string, message: string) => errors.push({ field: `${field}${at}`, message });
  const known = (at: string, name: string): DatasetColumn | undefined => {
    const column = columnNamed(columns, name);
    if (column === undefined) fault(at, unknownColumn(name, columns));
    return column;
  };

  const measures = query.measures;
  if (query.select !== undefined && measures !== undefined) {
    fault('.select', 'select (rows) and measures (aggregates) cannot be combined; send one');
  } else if (query.select === undefined && measures === undefined) {
    fault('', 'a query needs select (rows) or measures (aggregates)');
  } else if (measures?.length === 0) {
    fault('.measures', 'measures needs at least one measure');
  }
  if (measures === undefined) {
    if (query.groupBy !== undefined) fault('.groupBy', 'groupBy needs measures');
    if (query.compare !== undefined) fault('.compare', 'compare needs measures');
  }

  const resultNames = new Set<string>();
  const named = (at: string, name: string) => {
    if (resultNames.has(name)) fault(at, `duplicate result name '${name}'; name it with 'as'`);
    resultNames.add(name);
  };
  query.select?.forEach((name, i) => {
    known(`.select[${i}]`, name);
    named(`.select[${i}]`, name);
  });
  if (query.compare !== undefined) named('.compare', COMPARED_COLUMN);
  query.groupBy?.forEach((dimension, i) => {
    const column = known(`.groupBy[${i}].column`, dimension.column);
    named(`.groupBy[${i}]`, dimensionName(dimension));
    if (column === undefined || dimension.bucket === undefined) return;
    const types: readonly ColumnType[] =
      dimension.bucket === 'hour' ? ['datetime'] : TEMPORAL_TYPES;
    if (!types.includes(column.type)) {
      fault(`.groupBy[${i}].bucket`, typeFault(`bucket '${dimension.bucket}'`, column, types));
    }
  });
  measures?.forEach((measure, i) => {
    named(
      measure.as === undefined ? `.measures[${i}]` : `.measures[${i}].as`,
      measureName(measure),
    );
    if (measure.column === undefined) {
      if (measure.agg !== 'count' && measure.agg !== 'share') {
        fault(`.measures[${i}].column`, `${measure.agg} needs a column`);
      }
      return;
    }
    const column = known(`.measures[${i}].column`, measure.column);
    const types = AGGREGATE_TYPES[measure.agg];
    if (column !== undefined && types !== 'any' && !types.includes(column.type)) {
      fault(`.measures[${i}].column`, typeFault(measure.agg, column, types));
    }
  });

  query.filters?.forEach((filter, i) => validateFilter(filter, `.filters[${i}]`));
  const compared = query.compare?.groups ?? [];
  compared.forEach((group, g) => {
    group.filters.forEach((filter, i) =>
      validateFilter(filter, `.compare.groups[${g}].filters[${i}]`),
    );
  });
  if (compared.length === 2 && compared[0]?.label === compared[1]?.label) {
    fault('.compare.groups[1].label', 'the two groups need different labels');
  }

  query.orderBy?.forEach((order, i) => {
    const rowsOrder = query.select !== undefined && columnNamed(columns, order.by) !== undefined;
    const grouped = query.groupBy?.some((dimension) => dimension.column === order.by) === true;
    if (!rowsOrder && !grouped && !resultNames.has(order.by)) {
      const names = [...resultNames].map((name) => `'${name}'`).join(', ');
      fault(`.orderBy[${i}].by`, `'${order.by}' is not a result column; order by one of ${names}`);
    }
  });
  return errors;

  function validateFilter(filter: QueryFilter, at: string): void {
    const column = known(`${at}.column`, filter.column);
    if (column === undefined) return;
    const value = (valueAt: string, raw: Parameters<typeof convertValue>[0]) => {
      const converted = convertValue(raw, column.type);
      if (!converted.ok) fault(`${at}.${valueAt}`, `${converted.message} ('${column.name}')`);
      return converted;
    };
    const needs = (what: string, types: readonly ColumnType[]): boolean => {
      if (types.includes(column.type)) return true;
      fault(`${at}.op`, typeFault(what, column, types));
      return false;
    };
    switch (filter.op) {
      case 'contains':
        if (needs('contains', ['string'])) value('value', filter.value);
        return;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        if (needs(filter.op, ORDERED_TYPES)) value('value', filter.value);
        return;
      case 'eq':
      case 'ne':
        value('value', filter.value);
        return;
      case 'in':
        filter.values.forEach((raw, k) => value(`values[${k}]`, raw));
        return;
      case 'between': {
        if (!needs('between', ORDERED_TYPES)) return;
        const from = value('from', filter.from);
        const to = value('to', filter.to);
        if (from.ok && to.ok && compareValues(from.value, to.value, column.type) > 0) {
          fault(
            `${at}.to`,
            `'to' ${shownValue(filter.to)} is before 'from' ${shownValue(filter.from)}`,
          );
        }
        return;
      }
      case 'is_null':
      case 'not_null':
        return;
      case 'last':
        needs(`last … ${filter.unit}`, filter.unit === 'hour' ? ['datetime'] : TEMPORAL_TYPES);
        return;
      case 'calendar': {
        if (!needs(`the ${filter.part}`, filter.part === 'hour' ? ['datetime'] : TEMPORAL_TYPES))
          return;
        const [low, high] = CALENDAR_PART_RANGES[filter.part];
        filter.values.forEach((v, k) => {
          if (v < low || v > high)
            fault(`${at}.values[${k}]`, `a ${filter.part} is from ${low} to ${high}, not ${v}`);
        });
        return;
      }
    }
  }
}

function unknownColumn(name: string, columns: readonly DatasetColumn[]): string {
  let listed = '';
  let count = 0;
  for (const column of columns) {
    if (listed.length + column.name.length > LISTED_NAMES_LENGTH) break;
    listed += `${count === 0 ? '' : ', '}${column.name}`;
    count++;
  }
  const more = columns.length > count ? `, and ${columns.length - count} more` : '';
  return `unknown column '${name}'; columns are ${listed}${more}`;
}

function typeFault(what: string, column: DatasetColumn, types: readonly ColumnType[]): string {
  const wanted = types.map((type) => TYPE_WORDS[type].replace(/ \(.*\)$/, '')).join(', ');
  return `${what} needs a column of ${wanted}; '${column.name}' holds ${TYPE_WORDS[column.type]}`;
}
