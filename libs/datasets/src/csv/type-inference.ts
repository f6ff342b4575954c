import type { CsvField, CsvRow } from './csv-rows';
import { isDigit, temporalTime } from './temporal-values';

/**
 * A column's type, as the API reports it, and the values each accepts. PostgreSQL
 * casts every value of a type from the same text without error and to the same
 * value, so the rows can be loaded as text and cast once the type is known:
 *
 * - `integer`: `[+-]?[0-9]+` within bigint (−2^63 … 2^63−1; leading zeros are fine);
 * - `number`: a decimal like `-1.5`, `.5`, `1.` or `6.02e23` that is a finite,
 *   non-underflowing double (so `double precision` or `numeric` both take it);
 *   `NaN`, `Infinity`, hex and `1_000` are strings;
 * - `boolean`: `true` or `false`, any case. Not `yes`/`no`, `t`/`f` or `y`/`n`
 *   (too often the categories of a survey), and `0`/`1` stay integers;
 * - `date`: `YYYY-MM-DD`, a real calendar date in years 0001–9999;
 * - `datetime`: a date, `T` or a space, `HH:MM`, optionally `:SS` and a fraction,
 *   optionally a zone `Z`, `±HH`, `±HHMM` or `±HH:MM` (PostgreSQL's own output
 *   `2024-03-01 12:00:00+00` included). Times without a zone are UTC;
 * - `string`: anything else.
 *
 * Spaces and tabs around a value are ignored for the types (PostgreSQL ignores them
 * too) and kept in strings. An empty field (`null`, or a quoted `""`) is a missing
 * value: it never changes a type, and a column with only empty fields is `string`.
 */
export type ColumnType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'string';

/** What {@link convert} makes of a field: null for an empty field of a non-string column. */
export type TypedValue = number | boolean | Date | string | null;

type Narrowest = Exclude<ColumnType, 'string'>;

const TAB = 0x09;
const SPACE = 0x20;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const INT64_MAX = '9223372036854775807';
const INT64_MIN_ABS = '9223372036854775808';

/**
 * Joins two types in the lattice, giving the narrowest type that holds the values of
 * both. Later rows can only widen a column, never narrow it, and no value is dropped:
 *
 * ```text
 *               string
 *            /    |     \
 *       number  datetime  boolean
 *         |       |
 *      integer   date
 * ```
 *
 * `integer ⊔ number = number`, `date ⊔ datetime = datetime`, and any two types on
 * different branches join to `string` (`integer ⊔ date`, `boolean ⊔ number`, …).
 */
export function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  if (isNumeric(a) && isNumeric(b)) return 'number';
  if (isTemporal(a) && isTemporal(b)) return 'datetime';
  return 'string';
}

function isNumeric(type: ColumnType): boolean {
  return type === 'integer' || type === 'number';
}

function isTemporal(type: ColumnType): boolean {
  return type === 'date' || type === 'datetime';
}

/**
 * The type of one column, learnt one value at a time over the whole file. Cheap per
 * value: a value that fits the type so far costs one character scan, and once a
 * column is `string` nothing is checked at all.
 */
export class TypeTracker {
  private current: ColumnType | undefined;

  /** The type that holds every value seen; `string` while there has been none. */
  get type(): ColumnType {
    return this.current ?? 'string';
  }

  /** Whether a non-empty value has been seen. */
  get seenValue(): boolean {
    return this.current !== undefined;
  }

  observe(value: CsvField): void {
    this.observeValue(value);
  }

  /**
   * Observes one field and returns its value as a number, read in the same scan that
   * checks it against the type: a number as itself (`-0` as 0), a date or datetime as
   * epoch milliseconds, a boolean as 1 or 0; NaN for an empty field and in a `string`
   * column. The value is the one {@link convert} gives for any later type on the same
   * branch (`integer` → `number`, `date` → `datetime`), so a profile can take it
   * instead of parsing the field again.
   */
  observeValue(value: CsvField): number {
    const current = this.current;
    if (current === 'string' || value === null) return NaN;
    if (value.length === 0) return NaN;
    if (current !== undefined) {
      const parsed = valueAs(value, current);
      if (parsed === parsed) return parsed; // not NaN: the value fits the type so far
    }
    const own = narrowest(value);
    const type = current === undefined ? own : widen(current, own);
    this.current = type;
    return type === 'string' ? NaN : valueAs(value, type);
  }
}

/** One {@link TypeTracker} per column of a file. */
export class RowTypeTracker {
  private readonly trackers: TypeTracker[];

  constructor(columns: number) {
    this.trackers = Array.from({ length: columns }, () => new TypeTracker());
  }

  observe(row: CsvRow): void {
    const trackers = this.trackers;
    for (let i = 0; i < trackers.length; i++) trackers[i].observe(row[i] ?? null);
  }

  get types(): ColumnType[] {
    return this.trackers.map((tracker) => tracker.type);
  }
}

/** The narrowest type of a single non-empty value. */
export function narrowest(value: string): ColumnType {
  const start = firstNonBlank(value);
  const end = lastNonBlank(value);
  if (start >= end) return 'string';
  const c = value.charCodeAt(start);
  if ((c >= ZERO && c <= NINE) || c === PLUS || c === MINUS || c === DOT) {
    const kind = numberKind(value, start, end);
    if (kind !== undefined) return kind;
    if (c < ZERO) return 'string';
    return temporalKind(value, start, end) ?? 'string';
  }
  return booleanValue(value, start, end) === undefined ? 'string' : 'boolean';
}

/**
 * The value of a non-empty field as a number when it has `type` (see
 * {@link TypeTracker.observeValue}), else NaN: the checks of {@link narrowest} for one
 * type, reading the value as they scan.
 */
function valueAs(value: string, type: Narrowest): number {
  const start = firstNonBlank(value);
  const end = lastNonBlank(value);
  switch (type) {
    case 'integer':
    case 'number':
      return numberValue(value, start, end, type === 'integer');
    case 'boolean': {
      const parsed = booleanValue(value, start, end);
      return parsed === undefined ? NaN : parsed ? 1 : 0;
    }
    case 'date':
      return end - start === 10 ? temporalTime(value, start, end, true, true) : NaN;
    case 'datetime':
      return end - start < 10 ? NaN : temporalTime(value, start, end, false, true);
  }
}

/**
 * The typed value of a field of a column whose final type is `type`: a number, a
 * boolean, a Date (UTC; fractions of seconds beyond milliseconds are cut), or the
 * string itself. Empty fields are null, except a quoted `""` in a string column,
 * which stays `''` as PostgreSQL stores it. Integers beyond ±2^53 lose precision as
 * JS numbers (the stored column keeps them exact). Throws when the value does not
 * have the type: the type must come from a {@link TypeTracker} that saw it.
 */
export function convert(value: CsvField, type: ColumnType): TypedValue {
  if (value === null) return null;
  if (type === 'string') return value;
  if (value.length === 0) return null;
  const start = firstNonBlank(value);
  const end = lastNonBlank(value);
  switch (type) {
    case 'integer':
    case 'number': {
      const kind = numberKind(value, start, end);
      if (kind !== undefined && (type === 'number' || kind === 'integer')) {
        // `+ 0` turns -0 into 0, as PostgreSQL's numeric does.
        return Number(value.slice(start, end)) + 0;
      }
      break;
    }
    case 'boolean': {
      const parsed = booleanValue(value, start, end);
      if (parsed !== undefined) return parsed;
      break;
    }
    case 'date':
    case 'datetime': {
      const time = temporalTime(value, start, end, type === 'date', true);
      if (!Number.isNaN(time)) return new Date(time);
      break;
    }
  }
  throw new RangeError(`"${value}" is not a valid ${type}`);
}

/**
 * Milliseconds since the epoch of a value of a `date` or `datetime` column, without
 * building a Date (what {@link convert} gives as a Date): NaN when it is not one.
 */
export function epochMillis(value: string, type: 'date' | 'datetime'): number {
  return temporalTime(value, firstNonBlank(value), lastNonBlank(value), type === 'date', true);
}

function firstNonBlank(value: string): number {
  let i = 0;
  while (i < value.length && isBlank(value.charCodeAt(i))) i += 1;
  return i;
}

/** One past the last character that is not a space or a tab. */
function lastNonBlank(value: string): number {
  let i = value.length;
  while (i > 0 && isBlank(value.charCodeAt(i - 1))) i -= 1;
  return i;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** `integer`, `number` or undefined for `value[start, end)`, in one scan. */
function numberKind(value: string, start: number, end: number): 'integer' | 'number' | undefined {
  let i = start;
  const sign = value.charCodeAt(i);
  const negative = sign === MINUS;
  if (negative || sign === PLUS) i += 1;
  const intStart = i;
  while (i < end && isDigit(value.charCodeAt(i))) i += 1;
  const intEnd = i;
  if (i === end) {
    if (intEnd === intStart) return undefined;
    return fitsInt64(value, intStart, intEnd, negative)
      ? 'integer'
      : finiteNumber(value, start, end);
  }
  let digits = intEnd - intStart;
  if (value.charCodeAt(i) === DOT) {
    i += 1;
    const fractionStart = i;
    while (i < end && isDigit(value.charCodeAt(i))) i += 1;
    digits += i - fractionStart;
  }
  if (digits === 0) return undefined;
  if (i === end) return end - start > 300 ? finiteNumber(value, start, end) : 'number';
  return isExponent(value, i, end) ? finiteNumber(value, start, end) : undefined;
}

/** Whether `value[start, end)` is an exponent: `e` or `E`, an optional sign, digits. */
function isExponent(value: string, start: number, end: number): boolean {
  const e = value.charCodeAt(start);
  if (e !== 0x65 && e !== 0x45) return false;
  let i = start + 1;
  const exponentSign = value.charCodeAt(i);
  if (exponentSign === PLUS || exponentSign === MINUS) i += 1;
  const exponentStart = i;
  while (i < end && isDigit(value.charCodeAt(i))) i += 1;
  return i === end && i > exponentStart;
}

/** Powers of ten a double holds exactly: 10^0 … 10^22. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Digits whose integer is below 2^53, so exact as a double. */
const EXACT_DIGITS = 15;

/**
 * The number in `value[start, end)` if it is one ({@link numberKind}; an `integer`
 * when `integerOnly`), else NaN; `-0` is 0. Decimals of at most 15 digits without an
 * exponent are the integer of their digits divided by a power of ten, both exact as
 * doubles: one division, which IEEE 754 rounds correctly, as `Number()` rounds the
 * decimal (Clinger's fast path). Anything else goes through `Number()`.
 */
function numberValue(value: string, start: number, end: number, integerOnly: boolean): number {
  let i = start;
  const sign = value.charCodeAt(i);
  const negative = sign === MINUS;
  if (negative || sign === PLUS) i += 1;
  const intStart = i;
  let digitsValue = 0;
  for (; i < end; i++) {
    const digit = value.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) break;
    digitsValue = digitsValue * 10 + digit;
  }
  const intEnd = i;
  if (i === end) {
    if (intEnd === intStart) return NaN;
    if (intEnd - intStart <= EXACT_DIGITS) return negative ? 0 - digitsValue : digitsValue;
    if (fitsInt64(value, intStart, intEnd, negative)) return Number(value.slice(start, end)) + 0;
    return integerOnly ? NaN : finiteValue(value, start, end);
  }
  if (integerOnly) return NaN;
  let fractionDigits = 0;
  if (value.charCodeAt(i) === DOT) {
    i += 1;
    const fractionStart = i;
    for (; i < end; i++) {
      const digit = value.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) break;
      digitsValue = digitsValue * 10 + digit;
    }
    fractionDigits = i - fractionStart;
  }
  const digits = intEnd - intStart + fractionDigits;
  if (digits === 0) return NaN;
  if (i === end) {
    if (digits > EXACT_DIGITS) return finiteValue(value, start, end);
    const exact = digitsValue / EXACT_POWERS_OF_TEN[fractionDigits];
    return negative ? 0 - exact : exact;
  }
  return isExponent(value, i, end) ? finiteValue(value, start, end) : NaN;
}

/** A double must not overflow to ±Infinity, nor underflow to 0 (PostgreSQL refuses both). */
function finiteNumber(value: string, start: number, end: number): 'number' | undefined {
  return Number.isNaN(finiteValue(value, start, end)) ? undefined : 'number';
}

/** `Number()` of a numeral, or NaN when it overflows or underflows (see {@link finiteNumber}). */
function finiteValue(value: string, start: number, end: number): number {
  const parsed = Number(value.slice(start, end));
  if (!Number.isFinite(parsed)) return NaN;
  if (parsed === 0) {
    for (let i = start; i < end; i++) {
      const c = value.charCodeAt(i);
      if (c === 0x65 || c === 0x45) break;
      if (c > ZERO && c <= NINE) return NaN;
    }
  }
  return parsed + 0;
}

function fitsInt64(value: string, start: number, end: number, negative: boolean): boolean {
  while (start < end - 1 && value.charCodeAt(start) === ZERO) start += 1;
  const length = end - start;
  if (length !== 19) return length < 19;
  return value.slice(start, end) <= (negative ? INT64_MIN_ABS : INT64_MAX);
}

function booleanValue(value: string, start: number, end: number): boolean | undefined {
  const length = end - start;
  if (length === 4 && isWord(value, start, 'true')) return true;
  if (length === 5 && isWord(value, start, 'false')) return false;
  return undefined;
}

/** Case-insensitive match of a lowercase ASCII word, without allocating. */
function isWord(value: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    // `| 0x20` lowercases an ASCII letter; only `T` and `t` map to `t`, and so on.
    if ((value.charCodeAt(start + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function temporalKind(value: string, start: number, end: number): 'date' | 'datetime' | undefined {
  if (end - start < 10) return undefined;
  const time = temporalTime(value, start, end, false, false);
  if (Number.isNaN(time)) return undefined;
  return end - start === 10 ? 'date' : 'datetime';
}
