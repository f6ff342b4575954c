import { type FieldError, ProblemException, RequestValidationException } from '@app/common';
import type { MetricDimensions } from '../entities/metric.entity';

/** Most metrics one write may carry (docs/api.md). */
export const MAX_METRICS_PER_WRITE = 10_000;
/** Field errors reported for one write; a batch of 10,000 bad items names the first ones. */
const MAX_REPORTED_ERRORS = 50;

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,199}$/;
const DIMENSION_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ISO 8601 with a zone (`Z` or an offset): a time without one would mean the server's. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_DIMENSIONS = 20;
const MAX_DIMENSION_VALUE = 200;
const MAX_UNIT = 32;
const EARLIEST = Date.parse('1900-01-01T00:00:00Z');
const LATEST = Date.parse('2200-01-01T00:00:00Z');
const FIELDS = new Set(['name', 'value', 'unit', 'dimensions', 'observedAt', 'datasetId']);

/** One metric to write, checked. */
export interface MetricInput {
  name: string;
  value: number;
  unit: string | null;
  dimensions: MetricDimensions;
  observedAt: Date;
  datasetId: string | null;
}

/**
 * Checks a write's items, the same for the HTTP API and for agents' `record_metric`,
 * and names every bad field by its index (`metrics[3].value`). All or nothing: one bad
 * item fails the write (400), too many items is a 413. `now` stands in for a missing
 * `observedAt`.
 */
export function parseMetricInputs(items: unknown, now: Date, path = 'metrics'): MetricInput[] {
  if (!Array.isArray(items)) {
    throw new RequestValidationException([{ field: path, message: `${path} must be an array` }]);
  }
  if (items.length === 0) {
    throw new RequestValidationException([
      { field: path, message: `${path} must hold at least one metric` },
    ]);
  }
  if (items.length > MAX_METRICS_PER_WRITE) {
    throw new ProblemException(
      413,
      'too-many-metrics',
      `A write holds at most ${MAX_METRICS_PER_WRITE} metrics; this one has ${items.length}. ` +
        'Split it into several writes.',
      [{ field: path, message: `${path} must hold at most ${MAX_METRICS_PER_WRITE} metrics` }],
    );
  }
  const errors: FieldError[] = [];
  const metrics: MetricInput[] = [];
  for (let i = 0; i < items.length && errors.length < MAX_REPORTED_ERRORS; i++) {
    const parsed = parseOne(items[i] as unknown, `${path}[${i}]`, now, errors);
    if (parsed !== undefined) metrics.push(parsed);
  }
  if (errors.length > 0) throw new RequestValidationException(errors.slice(0, MAX_REPORTED_ERRORS));
  return metrics;
}

function parseOne(
  item: unknown,
  at: string,
  now: Date,
  errors: FieldError[],
): MetricInput | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    errors.push({ field: at, message: `${at} must be an object` });
    return undefined;
  }
  const fields = item as Record<string, unknown>;
  const before = errors.length;
  const fail = (field: string, message: string) =>
    errors.push({ field: `${at}.${field}`, message: `${field} ${message}` });
  for (const key of Object.keys(fields)) {
    if (!FIELDS.has(key)) fail(key, 'is not a metric field');
  }

  const { name, value, unit, dimensions, observedAt, datasetId } = fields;
  if (typeof name !== 'string' || !NAME.test(name)) {
    fail(
      'name',
      'must be 1–200 characters: letters, digits and _ . : / -, starting with a letter, digit or _',
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail('value', 'must be a finite number');
  if (unit !== undefined && unit !== null) {
    if (typeof unit !== 'string' || unit.length > MAX_UNIT || CONTROL.test(unit)) {
      fail('unit', `must be a string of at most ${MAX_UNIT} printable characters`);
    }
  }
  const dims = parseDimensions(dimensions, (message) => fail('dimensions', message));
  let time = now;
  if (observedAt !== undefined && observedAt !== null) {
    const ms = parseInstant(observedAt);
    if (Number.isNaN(ms) || ms < EARLIEST || ms >= LATEST) {
      fail(
        'observedAt',
        'must be an ISO 8601 time with a zone (e.g. 2026-01-31T12:00:00Z), 1900–2199',
      );
    } else {
      time = new Date(ms);
    }
  }
  if (datasetId !== undefined && datasetId !== null) {
    if (typeof datasetId !== 'string' || !UUID.test(datasetId)) fail('datasetId', 'must be a UUID');
  }
  if (errors.length > before) return undefined;
  return {
    name: name as string,
    // `+ 0` folds -0 into 0, which PostgreSQL would print as "-0".
    value: (value as number) + 0,
    unit: (unit as string | null | undefined) ?? null,
    dimensions: dims ?? {},
    observedAt: time,
    datasetId:
      datasetId === undefined || datasetId === null ? null : (datasetId as string).toLowerCase(),
  };
}

/** Milliseconds of an {@link ISO_INSTANT}, NaN for anything else. */
function parseInstant(text: unknown): number {
  return typeof text === 'string' ? instantMillis(text, false) : NaN;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Milliseconds of an ISO 8601 time with a zone (or, when `dateOnly` is allowed, a bare
 * `YYYY-MM-DD`, midnight UTC); NaN for anything else, impossible days included. A time
 * without a zone is refused rather than read in the server's own zone.
 */
export function instantMillis(text: string, dateOnly: boolean): number {
  const match = ISO_INSTANT.exec(text) ?? (dateOnly ? ISO_DATE.exec(text) : null);
  if (match === null) return NaN;
  const [, year, month, day] = match;
  // Date.parse rolls a day the month lacks into the next month (2026-02-30 is March 2).
  if (Number(month) < 1 || Number(day) > daysInMonth(Number(year), Number(month))) return NaN;
  return Date.parse(match[0].length === 10 ? `${match[0]}T00:00:00Z` : match[0]);
}

/** Days of `month` (1–12) in the proleptic Gregorian calendar ISO 8601 uses. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseDimensions(
  dimensions: unknown,
  fail: (message: string) => void,
): MetricDimensions | undefined {
  if (dimensions === undefined || dimensions === null) return {};
  if (typeof dimensions !== 'object' || Array.isArray(dimensions)) {
    fail('must be an object of string values');
    return undefined;
  }
  const entries = Object.entries(dimensions as Record<string, unknown>);
  if (entries.length > MAX_DIMENSIONS) {
    fail(`must have at most ${MAX_DIMENSIONS} keys`);
    return undefined;
  }
  for (const [key, value] of entries) {
    if (!DIMENSION_KEY.test(key)) {
      fail(
        `key "${key.slice(0, 64)}" must be 1–64 characters: letters, digits and _ . -, starting with a letter or _`,
      );
      return undefined;
    }
    if (typeof value !== 'string' || value.length > MAX_DIMENSION_VALUE || CONTROL.test(value)) {
      fail(
        `value of "${key}" must be a string of at most ${MAX_DIMENSION_VALUE} printable characters`,
      );
      return undefined;
    }
  }
  // Not `parsed[key] = value`: assigning a "__proto__" key would drop it without a word.
  return Object.fromEntries(entries) as MetricDimensions;
}

/** `dim.<key>` query parameters: the same key rule as stored dimensions. */
export function isDimensionKey(key: string): boolean {
  return DIMENSION_KEY.test(key);
}
