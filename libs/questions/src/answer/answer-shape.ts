import type {
  QueryDimension,
  QueryMeasure,
  QueryResult,
  StructuredQuery,
} from '../query/structured-query';

/** A measure and where its values are in the result. */
export interface MeasureColumn {
  measure: QueryMeasure;
  index: number;
  name: string;
}

/**
 * What a result is, for the sentence and the chart: rows, one aggregate row, a comparison of
 * two groups, values over time, or values per category. Result columns are laid out as the
 * compiler lays them out: `compared` or the groups first, then the measures in query order.
 */
export type AnswerShape =
  | { kind: 'rows' }
  | { kind: 'single'; measures: MeasureColumn[] }
  | { kind: 'comparison'; measures: MeasureColumn[] }
  | { kind: 'time'; dimension: QueryDimension; measures: MeasureColumn[] }
  | { kind: 'category'; dimension: QueryDimension; measures: MeasureColumn[] }
  | { kind: 'groups'; dimensions: QueryDimension[]; measures: MeasureColumn[] };

/** Buckets that are points in time (a line); `weekday` and `hour` are categories (bars). */
const TIMELINE_BUCKETS = new Set(['day', 'week', 'month', 'quarter', 'year']);

/** The result column a measure gets when it has no `as` (structured-query.ts). */
export function measureName(measure: QueryMeasure): string {
  if (measure.as !== undefined) return measure.as;
  return measure.column === undefined ? measure.agg : `${measure.agg}_${measure.column}`;
}

function measureColumns(query: StructuredQuery, result: QueryResult, first: number) {
  return (query.measures ?? []).map((measure, position): MeasureColumn => {
    const name = measureName(measure);
    const named = result.columns.findIndex((column) => column.name === name);
    return { measure, name, index: named >= 0 ? named : first + position };
  });
}

export function answerShape(query: StructuredQuery, result: QueryResult): AnswerShape {
  if (query.measures === undefined || query.measures.length === 0) return { kind: 'rows' };
  if (query.compare !== undefined)
    return { kind: 'comparison', measures: measureColumns(query, result, 1) };
  const dimensions = query.groupBy ?? [];
  const measures = measureColumns(query, result, dimensions.length);
  const [dimension] = dimensions;
  if (dimension === undefined) return { kind: 'single', measures };
  if (dimensions.length > 1) return { kind: 'groups', dimensions, measures };
  // "which 3 months had the most rain": ranked by a measure, the months are categories —
  // read along time they would tell a rise that is only the ranking.
  const ranked = (query.orderBy ?? []).some((order) =>
    measures.some((measure) => measure.name === order.by),
  );
  if (dimension.bucket !== undefined && TIMELINE_BUCKETS.has(dimension.bucket) && !ranked)
    return { kind: 'time', dimension, measures };
  return { kind: 'category', dimension, measures };
}
