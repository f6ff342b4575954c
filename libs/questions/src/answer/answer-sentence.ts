import type {
  CalendarPart,
  QueryFilter,
  QueryMeasure,
  QueryResult,
  Scalar,
  StructuredQuery,
  TimeBucket,
} from '../query/structured-query';
import { MONTH_ABBREVIATIONS as MONTHS, MONTH_NAMES, WEEKDAY_NAMES as WEEKDAYS } from '@app/common';
import { QUERY_LIMITS } from '../query/structured-query';
import { answerShape, type MeasureColumn } from './answer-shape';
import { formatCell, formatNumber, numbersAreFromResult } from './result-numbers';

type Cell = QueryResult['rows'][number][number];
type Row = QueryResult['rows'][number];

/**
 * The answer to a question in one or two sentences, the answer first. Every number it states
 * is a value of the result, rounded for reading (docs/api.md): a filter's own numbers (`> 20`,
 * `the last 3 months`) are not, so a description that would state one is replaced by
 * "where the filters hold" — the query beside the answer says exactly which.
 */
export function answerSentence(
  query: StructuredQuery,
  result: QueryResult,
  readings: readonly string[] = [],
): string {
  for (const where of [filterPhrase(query.filters ?? []), 'where the filters hold']) {
    const sentence = compose(query, result, where, readings) + truncation(query, result);
    if (numbersAreFromResult(sentence, result)) return sentence;
  }
  return 'The answer is in the result: the query ran, but no sentence could state it exactly.';
}

function compose(
  query: StructuredQuery,
  result: QueryResult,
  where: string,
  readings: readonly string[],
): string {
  if (result.rows.length === 0) return noRows(where, readings);
  const shape = answerShape(query, result);
  switch (shape.kind) {
    case 'rows':
      return rowsSentence(query, result, where);
    case 'single':
      return singleSentence(shape.measures, result.rows[0] ?? [], where, readings);
    case 'comparison':
      return comparisonSentence(shape.measures, result.rows);
    case 'time':
      return timeSentence(shape.dimension.bucket ?? 'day', shape.measures, result.rows, where);
    case 'category':
      return categorySentence(query, shape.measures, result.rows, where, (row) =>
        label(row[0] ?? null, shape.dimension.bucket),
      );
    case 'groups':
      return categorySentence(query, shape.measures, result.rows, where, (row) =>
        shape.dimensions.map((d, i) => label(row[i] ?? null, d.bucket)).join(' / '),
      );
  }
}

function noRows(where: string, readings: readonly string[]): string {
  const read = readings.length > 0 ? ` (the question was read as: ${readings.join('; ')})` : '';
  return where === ''
    ? `The dataset has no rows to answer from${read}.`
    : `There are no rows ${where}${read}.`;
}

/** Said only when the row cap cut the result: a top 3 that has more groups is not cut. */
function truncation(query: StructuredQuery, result: QueryResult): string {
  const capped = query.limit === undefined || query.limit >= QUERY_LIMITS.rows;
  return result.truncated && capped ? ' The result was cut at the row limit.' : '';
}

/** "average temp_max", "rows", "distinct values of city". */
export function measurePhrase(measure: QueryMeasure): string {
  const column = measure.column ?? 'rows';
  switch (measure.agg) {
    case 'count':
      return measure.column === undefined ? 'number of rows' : `number of values of ${column}`;
    case 'count_distinct':
      return `number of distinct values of ${column}`;
    case 'sum':
      return `total ${column}`;
    case 'avg':
      return `average ${column}`;
    case 'min':
      return `minimum ${column}`;
    case 'max':
      return `maximum ${column}`;
    case 'median':
      return `median ${column}`;
    case 'p90':
    case 'p95':
      return `${measure.agg} of ${column}`;
    case 'share':
      return measure.column === undefined ? 'share of rows' : `share of ${column}`;
  }
}

function scalar(value: Scalar): string {
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** "where weather = rain and temp_max > 20", or "" without filters. */
/** "falls on a Saturday or a Sunday", "is in March", "is in hour 23". */
function calendarWords(part: CalendarPart, values: readonly number[]): string {
  const or = (words: string[]) => words.join(' or ');
  switch (part) {
    case 'weekday':
      return `falls on ${or(values.map((v) => `a ${WEEKDAYS[v - 1] ?? v}`))}`;
    case 'month':
      return `is in ${or(values.map((v) => MONTH_NAMES[v - 1] ?? String(v)))}`;
    case 'quarter':
      return `is in ${or(values.map((v) => `Q${v}`))}`;
    case 'day':
      return `is on day ${or(values.map(String))} of its month`;
    case 'hour':
      return `is in hour ${or(values.map(String))} (UTC)`;
  }
}

export function filterPhrase(filters: readonly QueryFilter[]): string {
  const parts = filters.map((filter) => {
    switch (filter.op) {
      case 'eq':
        return `${filter.column} = ${scalar(filter.value)}`;
      case 'ne':
        return `${filter.column} ≠ ${scalar(filter.value)}`;
      case 'lt':
        return `${filter.column} < ${scalar(filter.value)}`;
      case 'lte':
        return `${filter.column} ≤ ${scalar(filter.value)}`;
      case 'gt':
        return `${filter.column} > ${scalar(filter.value)}`;
      case 'gte':
        return `${filter.column} ≥ ${scalar(filter.value)}`;
      case 'contains':
        return `${filter.column} contains "${scalar(filter.value)}"`;
      case 'in':
        return `${filter.column} is ${filter.values.map(scalar).join(' or ')}`;
      case 'between':
        return `${filter.column} is from ${scalar(filter.from)} to ${scalar(filter.to)}`;
      case 'is_null':
        return `${filter.column} is empty`;
      case 'not_null':
        return `${filter.column} is not empty`;
      case 'last':
        return `${filter.column} is in the last ${filter.amount} ${filter.unit}s`;
      case 'calendar':
        return `${filter.column} ${calendarWords(filter.part, filter.values)}`;
    }
  });
  return parts.length === 0 ? '' : `where ${parts.join(' and ')}`;
}

/** A group's value as a reader says it: "Aug 2015", "2015 Q3", "Monday", "rain". */
export function label(value: Cell, bucket?: TimeBucket): string {
  if (bucket === 'weekday' && typeof value === 'number')
    return WEEKDAYS[value - 1] ?? String(value);
  if (typeof value !== 'string' || bucket === undefined) return formatCell(value);
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (date === null) return value;
  const [, year, month, day] = date;
  switch (bucket) {
    case 'year':
      return `${year}`;
    case 'quarter':
      return `${year} Q${Math.floor((Number(month) - 1) / 3) + 1}`;
    case 'month':
      return `${MONTHS[Number(month) - 1]} ${year}`;
    case 'week':
      return `the week of ${year}-${month}-${day}`;
    case 'day':
      return `${year}-${month}-${day}`;
    case 'hour':
    case 'weekday':
      return value;
  }
}

function valueOf(row: Row, column: MeasureColumn): Cell {
  return row[column.index] ?? null;
}

function singleSentence(
  measures: MeasureColumn[],
  row: Row,
  where: string,
  readings: readonly string[],
): string {
  const counted = measures.find((m) => m.measure.agg === 'count' && m.measure.column === undefined);
  const others = measures.filter((m) => m !== counted);
  // An aggregate over no rows: a count of 0, every other measure null.
  if (
    (counted !== undefined && valueOf(row, counted) === 0) ||
    measures.every((m) => valueOf(row, m) === null)
  )
    return noRows(where, readings);
  const stated = others.map(
    (m) => `the ${measurePhrase(m.measure)} is ${formatCell(valueOf(row, m))}`,
  );
  if (counted === undefined)
    return `${capitalise(join(stated))}${where === '' ? '' : ` ${where}`}.`;
  const count = formatCell(valueOf(row, counted));
  if (stated.length === 0)
    return where === '' ? `The dataset has ${count} rows.` : `There are ${count} rows ${where}.`;
  return where === ''
    ? `Over all ${count} rows, ${join(stated)}.`
    : `Over the ${count} rows ${where}, ${join(stated)}.`;
}

function comparisonSentence(measures: MeasureColumn[], rows: Row[]): string {
  const [first, second] = rows;
  const [measure] = measures;
  if (measure === undefined || first === undefined) return 'The comparison is in the result.';
  const phrase = measurePhrase(measure.measure);
  const a = { label: formatCell(first[0] ?? null), value: valueOf(first, measure) };
  if (second === undefined) return `${a.label}: ${phrase} ${formatCell(a.value)}.`;
  const b = { label: formatCell(second[0] ?? null), value: valueOf(second, measure) };
  const stated = `${capitalise(a.label)} has ${phrase} ${formatCell(a.value)}, ${b.label} ${formatCell(b.value)}`;
  if (typeof a.value !== 'number' || typeof b.value !== 'number') return `${stated}.`;
  if (a.value === b.value) return `${stated}: the same.`;
  return `${stated}: ${a.value > b.value ? a.label : b.label} is higher.`;
}

function timeSentence(
  bucket: TimeBucket,
  measures: MeasureColumn[],
  rows: Row[],
  where: string,
): string {
  const [measure] = measures;
  if (measure === undefined) return 'The values over time are in the result.';
  const points = rows
    .map((row) => ({ at: row[0] ?? null, value: valueOf(row, measure) }))
    .filter((point): point is { at: Cell; value: number } => typeof point.value === 'number')
    .sort((x, y) => String(x.at).localeCompare(String(y.at)));
  const first = points[0];
  const last = points[points.length - 1];
  const phrase = capitalise(measurePhrase(measure.measure)) + (where === '' ? '' : ` ${where}`);
  if (first === undefined || last === undefined) return `${phrase} has no values.`;
  const at = (point: { at: Cell }) => label(point.at, bucket);
  if (points.length === 1) return `${phrase} is ${formatNumber(first.value)} in ${at(first)}.`;
  const moved = last.value > first.value ? 'rose' : last.value < first.value ? 'fell' : 'went';
  const sentence = `${phrase} ${moved} from ${formatNumber(first.value)} in ${at(first)} to ${formatNumber(last.value)} in ${at(last)}.`;
  const peak = points.reduce((best, point) => (point.value > best.value ? point : best), first);
  if (peak === first || peak === last) return sentence;
  return `${sentence} It was highest in ${at(peak)} (${formatNumber(peak.value)}).`;
}

function categorySentence(
  query: StructuredQuery,
  measures: MeasureColumn[],
  rows: Row[],
  where: string,
  labelOf: (row: Row) => string,
): string {
  const [measure] = measures;
  if (measure === undefined) return 'The groups are in the result.';
  const phrase = measurePhrase(measure.measure);
  const scope = where === '' ? '' : ` ${where}`;
  const valued = rows.filter((row) => typeof valueOf(row, measure) === 'number');
  const [order] = query.orderBy ?? [];
  if (order?.by === measure.name && query.limit !== undefined) {
    const listed = valued
      .slice(0, 5)
      .map((row) => `${labelOf(row)} (${formatCell(valueOf(row, measure))})`);
    const end = order.direction === 'desc' ? 'Highest' : 'Lowest';
    return `${end} ${phrase}${scope}: ${listed.join(', ')}${valued.length > 5 ? ', …' : ''}.`;
  }
  const sorted = [...valued].sort(
    (x, y) => Number(valueOf(y, measure)) - Number(valueOf(x, measure)),
  );
  const top = sorted[0];
  const bottom = sorted[sorted.length - 1];
  if (top === undefined || bottom === undefined) return `No group has a ${phrase}${scope}.`;
  const highest = `${labelOf(top)} had the highest ${phrase}${scope} (${formatCell(valueOf(top, measure))})`;
  if (sorted.length === 1) return `${highest}, the only group.`;
  return `${highest}, ${labelOf(bottom)} the lowest (${formatCell(valueOf(bottom, measure))}).`;
}

function rowsSentence(query: StructuredQuery, result: QueryResult, where: string): string {
  const [only] = result.rows;
  if (result.rows.length === 1 && only !== undefined && result.columns.length <= 4) {
    const values = result.columns.map(
      (column, i) => `${column.name} ${formatCell(only[i] ?? null)}`,
    );
    return `The one row${where === '' ? '' : ` ${where}`} has ${join(values)}.`;
  }
  const [order] = query.orderBy ?? [];
  const ordered =
    order === undefined
      ? ''
      : `, ${order.direction === 'desc' ? 'highest' : 'lowest'} ${order.by} first`;
  return `The result lists the rows${where === '' ? '' : ` ${where}`}${ordered}.`;
}

function join(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
