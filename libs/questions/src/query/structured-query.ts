import { z } from 'zod';

/**
 * Sightline's structured query: what a question asks of one dataset, in a form that can be
 * validated against the dataset's columns and compiled to parameterised SQL by one compiler
 * (never SQL text from a planner or a model). Columns are named as the dataset shows them
 * (`DatasetColumn.name`); the compiler maps them to the table's identifiers.
 */

/** Aggregates a measure may take. `share` is the group's share of the total (0..1). */
export const AGGREGATES = [
  'count',
  'count_distinct',
  'sum',
  'avg',
  'min',
  'max',
  'median',
  'p90',
  'p95',
  'share',
] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/**
 * Time buckets of a date or datetime column: truncations (day … year) and calendar parts
 * (`weekday` 1 = Monday … 7 = Sunday, ISO; `hour` 0..23, in UTC).
 */
export const TIME_BUCKETS = ['hour', 'day', 'week', 'month', 'quarter', 'year', 'weekday'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

/** Units of a `last` filter, counted back from the column's latest value. */
export const RELATIVE_UNITS = ['hour', 'day', 'week', 'month', 'year'] as const;
export type RelativeUnit = (typeof RELATIVE_UNITS)[number];

/**
 * Calendar parts a filter may test, with their ranges: `weekday` 1 = Monday … 7 = Sunday
 * (ISO), `month` 1–12, `quarter` 1–4, `day` of the month 1–31, `hour` 0–23 (datetimes only).
 */
export const CALENDAR_PARTS = ['weekday', 'month', 'quarter', 'day', 'hour'] as const;
export type CalendarPart = (typeof CALENDAR_PARTS)[number];
export const CALENDAR_PART_RANGES: Readonly<Record<CalendarPart, readonly [number, number]>> = {
  weekday: [1, 7],
  month: [1, 12],
  quarter: [1, 4],
  day: [1, 31],
  hour: [0, 23],
};

export const COMPARISON_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'contains'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** Most values an `in` filter lists, filters a query has, measures, groups and rows it returns. */
export const QUERY_LIMITS = {
  inValues: 100,
  filters: 20,
  measures: 10,
  groupBy: 3,
  select: 50,
  orderBy: 3,
  rows: 1000,
} as const;

const column = z.string().min(1).max(200);
/** A value compared with a column: a number, a boolean, or text (also dates, ISO 8601). */
export const scalarSchema = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);
export type Scalar = z.infer<typeof scalarSchema>;

export const filterSchema = z.discriminatedUnion('op', [
  /** `contains` is case-insensitive substring matching on text. */
  z.strictObject({ column, op: z.enum(COMPARISON_OPS), value: scalarSchema }),
  z.strictObject({
    column,
    op: z.literal('in'),
    values: z.array(scalarSchema).min(1).max(QUERY_LIMITS.inValues),
  }),
  /**
   * Inclusive at both ends. On a date or datetime column a date-only upper bound
   * (`2014-03-31`) takes in that whole day.
   */
  z.strictObject({ column, op: z.literal('between'), from: scalarSchema, to: scalarSchema }),
  z.strictObject({ column, op: z.enum(['is_null', 'not_null']) }),
  /** The latest `amount` units of a date or datetime column, up to its latest value. */
  z.strictObject({
    column,
    op: z.literal('last'),
    amount: z.number().int().min(1).max(10_000),
    unit: z.enum(RELATIVE_UNITS),
  }),
  /**
   * A calendar part of a date or datetime column is one of `values` (UTC): "on weekends"
   * is `{part: 'weekday', values: [6, 7]}`, "in March" of any year `{part: 'month', values: [3]}`.
   */
  z.strictObject({
    column,
    op: z.literal('calendar'),
    part: z.enum(CALENDAR_PARTS),
    values: z.array(z.number().int()).min(1).max(31),
  }),
]);
export type QueryFilter = z.infer<typeof filterSchema>;

export const measureSchema = z.strictObject({
  agg: z.enum(AGGREGATES),
  /** Required but for `count` (rows) and `share` (share of rows). */
  column: column.optional(),
  /** The result column's name; defaults to `<agg>_<column>` (`count` alone: `count`). */
  as: z.string().min(1).max(100).optional(),
});
export type QueryMeasure = z.infer<typeof measureSchema>;

export const dimensionSchema = z.strictObject({
  column,
  /** Only on date and datetime columns. */
  bucket: z.enum(TIME_BUCKETS).optional(),
});
export type QueryDimension = z.infer<typeof dimensionSchema>;

export const orderSchema = z.strictObject({
  /** A measure's result name, a grouped column, or a selected column. */
  by: z.string().min(1).max(200),
  direction: z.enum(['asc', 'desc']),
});
export type QueryOrder = z.infer<typeof orderSchema>;

/**
 * Two groups of rows side by side (two periods, two categories): the result has a
 * `compared` column holding each group's label, then the measures.
 */
export const comparisonSchema = z.strictObject({
  groups: z
    .array(
      z.strictObject({
        label: z.string().min(1).max(100),
        filters: z.array(filterSchema).min(1).max(QUERY_LIMITS.filters),
      }),
    )
    .length(2),
});
export type QueryComparison = z.infer<typeof comparisonSchema>;

/**
 * Either rows (`select`, with filters, order and limit) or aggregates (`measures`, with
 * optional `groupBy` or `compare`). Filters are ANDed.
 */
export const structuredQuerySchema = z.strictObject({
  select: z.array(column).min(1).max(QUERY_LIMITS.select).optional(),
  measures: z.array(measureSchema).max(QUERY_LIMITS.measures).optional(),
  groupBy: z.array(dimensionSchema).max(QUERY_LIMITS.groupBy).optional(),
  filters: z.array(filterSchema).max(QUERY_LIMITS.filters).optional(),
  compare: comparisonSchema.optional(),
  orderBy: z.array(orderSchema).max(QUERY_LIMITS.orderBy).optional(),
  /** Rows returned at most (the service caps it at {@link QUERY_LIMITS.rows}). */
  limit: z.number().int().min(1).max(QUERY_LIMITS.rows).optional(),
});
export type StructuredQuery = z.infer<typeof structuredQuerySchema>;

/** A result column: its name and type (the dataset's column types, plus `number` for aggregates). */
export interface ResultColumn {
  name: string;
  type: 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'string';
}

/** What a query returned: its columns, and rows of values in column order. */
export interface QueryResult {
  columns: ResultColumn[];
  rows: Array<Array<string | number | boolean | null>>;
  /** True when the row cap cut the result. */
  truncated: boolean;
}
