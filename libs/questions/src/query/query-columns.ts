import type { ColumnType, DatasetColumn } from '@app/datasets';
import type { Aggregate, QueryDimension, QueryMeasure, TimeBucket } from './structured-query';

/** The result column that holds each compared group's label. */
export const COMPARED_COLUMN = 'compared';

/** The dataset column a query names (by its display name), if there is one. */
export function columnNamed(
  columns: readonly DatasetColumn[],
  name: string,
): DatasetColumn | undefined {
  return columns.find((column) => column.name === name);
}

/** A measure's result name: `as`, else `<agg>_<column>`, else the aggregate alone. */
export function measureName(measure: QueryMeasure): string {
  if (measure.as !== undefined) return measure.as;
  return measure.column === undefined ? measure.agg : `${measure.agg}_${measure.column}`;
}

/** A grouped column's result name: the column, or `<bucket>_<column>` for a time bucket. */
export function dimensionName(dimension: QueryDimension): string {
  return dimension.bucket === undefined
    ? dimension.column
    : `${dimension.bucket}_${dimension.column}`;
}

/** Column types each aggregate takes (`count` and `count_distinct` take any). */
export const AGGREGATE_TYPES: Readonly<Record<Aggregate, readonly ColumnType[] | 'any'>> = {
  count: 'any',
  count_distinct: 'any',
  sum: ['integer', 'number'],
  avg: ['integer', 'number'],
  min: ['integer', 'number', 'date', 'datetime', 'string'],
  max: ['integer', 'number', 'date', 'datetime', 'string'],
  median: ['integer', 'number'],
  p90: ['integer', 'number'],
  p95: ['integer', 'number'],
  share: ['integer', 'number'],
};

/** The type of a measure's values: counts are integers, min and max keep the column's type. */
export function measureType(measure: QueryMeasure, column: DatasetColumn | undefined): ColumnType {
  switch (measure.agg) {
    case 'count':
    case 'count_distinct':
      return 'integer';
    case 'sum':
      return column?.type === 'integer' ? 'integer' : 'number';
    case 'min':
    case 'max':
      return column?.type ?? 'number';
    case 'avg':
    case 'median':
    case 'p90':
    case 'p95':
    case 'share':
      return 'number';
  }
}

/** The type of a grouped column: a truncation is a date, a calendar part an integer. */
export function dimensionType(bucket: TimeBucket | undefined, column: DatasetColumn): ColumnType {
  if (bucket === undefined) return column.type;
  return bucket === 'hour' || bucket === 'weekday' ? 'integer' : 'date';
}
