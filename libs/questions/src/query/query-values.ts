import { type ColumnType, convert } from '@app/datasets';
import type { Scalar } from './structured-query';

/** A filter value as it is sent to PostgreSQL, always beside a cast to the column's type. */
export type ParameterValue = string | number | boolean;

/** A value converted to a column's type, or why it cannot be. */
export type ConvertedValue =
  | {
      ok: true;
      value: ParameterValue;
      /** A date without a time on a datetime column (`value` is its midnight, UTC). */
      wholeDay?: true;
    }
  | { ok: false; message: string };

const DATE_ONLY = /^\s*\d{4}-\d{2}-\d{2}\s*$/;

/** What a column of each type holds, for messages (`… column 'x' holds integers`). */
export const TYPE_WORDS: Readonly<Record<ColumnType, string>> = {
  integer: 'integers',
  number: 'numbers',
  boolean: 'true or false',
  date: 'dates (YYYY-MM-DD)',
  datetime: 'times (ISO 8601, UTC unless a zone is given)',
  string: 'text',
};

/**
 * `value` as the column's type would store it, parsed as an upload parses a field (see
 * `convert` in @app/datasets), so a filter accepts what a CSV cell of the column could hold.
 * Text columns take numbers and booleans as their text (`2014` for a text `year`).
 */
export function convertValue(value: Scalar, type: ColumnType): ConvertedValue {
  const refuse = (): ConvertedValue => ({
    ok: false,
    message: `${shownValue(value)} is not a value of this column, which holds ${TYPE_WORDS[type]}`,
  });
  if (type === 'string') return { ok: true, value: String(value) };
  if (typeof value === 'number') {
    if (type === 'number') return { ok: true, value };
    // Beyond 2^53 a JSON number is already rounded: such integers must come as text.
    if (type === 'integer' && Number.isSafeInteger(value)) return { ok: true, value };
    return refuse();
  }
  if (typeof value === 'boolean') return type === 'boolean' ? { ok: true, value } : refuse();
  let typed: ReturnType<typeof convert>;
  try {
    typed = convert(value, type);
  } catch {
    return refuse();
  }
  if (typed === null) return refuse();
  switch (type) {
    case 'integer':
      // As text: bigint keeps every digit, a JS number would not.
      return { ok: true, value: value.trim() };
    case 'number':
    case 'boolean':
      return { ok: true, value: typed as number | boolean };
    case 'date':
      return { ok: true, value: (typed as Date).toISOString().slice(0, 10) };
    case 'datetime': {
      const iso = (typed as Date).toISOString();
      return DATE_ONLY.test(value)
        ? { ok: true, value: iso, wholeDay: true }
        : { ok: true, value: iso };
    }
  }
}

/** Orders two converted values of one column type (for `between`): negative when a < b. */
export function compareValues(a: ParameterValue, b: ParameterValue, type: ColumnType): number {
  if (type === 'integer') return Number(BigInt(String(a)) - BigInt(String(b)));
  if (type === 'number') return Number(a) - Number(b);
  // ISO 8601 text in UTC sorts as time does.
  if (type === 'date' || type === 'datetime') return String(a) < String(b) ? -1 : a === b ? 0 : 1;
  return 0;
}

/** A value as a message quotes it: JSON, cut to 100 characters (a value may hold 1,000). */
export function shownValue(value: Scalar): string {
  const json = JSON.stringify(value);
  return json.length > 100 ? `${json.slice(0, 99)}…` : json;
}
