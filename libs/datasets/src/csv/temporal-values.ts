/**
 * Dates and times as the type inference accepts them (see `ColumnType` in
 * ./type-inference): checked and turned into epoch milliseconds in one scan, without
 * allocating and without Date (calendar arithmetic in UTC).
 */

const SPACE = 0x20;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
// Read once: a global lookup per call costs ~0.3 µs in Jest's vm context (see profiling/hash.ts).
const floor = Math.floor;
/** What the last of 1, 2 or 3 fraction digits is worth in milliseconds (`10 ** x` is a pow call). */
const MILLISECONDS_PER_DIGIT = [0, 100, 10, 1] as const;
/** Days from 0000-03-01 (proleptic Gregorian) to 1970-01-01. */
const DAYS_FROM_0000_03_01_TO_EPOCH = 719468;
export const MS_PER_DAY = 86_400_000;

export function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Reads `count` digits at `at`, or -1. */
function digitsAt(value: string, at: number, count: number): number {
  let result = 0;
  for (let i = at; i < at + count; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c)) return -1;
    result = result * 10 + (c - ZERO);
  }
  return result;
}

/** The two digits at `at` as a number, or -1 (past the end too: NaN fails the tests). */
function twoDigits(value: string, at: number): number {
  const tens = value.charCodeAt(at) - ZERO;
  const ones = value.charCodeAt(at + 1) - ZERO;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** Days of each month (index 1–12) in a common year. */
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Every operation runs for every value, whatever the month or the year: an operation
 * that only the first February or the first leap year reaches would make V8 throw away
 * and recompile the optimised parser in the middle of an upload.
 */
function daysInMonth(year: number, month: number): number {
  const by4 = year % 4 === 0;
  const by100 = year % 100 === 0;
  const by400 = year % 400 === 0;
  const leap = by4 !== by100 || by400;
  return (DAYS_IN_MONTH[month] as number) + (month === 2 && leap ? 1 : 0);
}

/**
 * The last calendar date read and its day number: the values of a column mostly share
 * their date with the one before (a day of timestamps, a file sorted by date), and
 * then the calendar check and the day arithmetic are skipped. Key 0 is no date.
 */
let lastDateKey = 0;
let lastDateDays = 0;

/**
 * Milliseconds since the epoch of a `date` (when `dateOnly`) or `datetime` value in
 * `value[start, end)`, or NaN when it is neither; just 0 for a valid value when not
 * `compute` (validating every value of a column need not build dates).
 */
export function temporalTime(
  value: string,
  start: number,
  end: number,
  dateOnly: boolean,
  compute: boolean,
): number {
  const century = twoDigits(value, start);
  const yearOfCentury = twoDigits(value, start + 2);
  const year = century * 100 + yearOfCentury;
  const month = twoDigits(value, start + 5);
  const day = twoDigits(value, start + 8);
  if (
    century < 0 ||
    yearOfCentury < 0 ||
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    value.charCodeAt(start + 4) !== MINUS ||
    value.charCodeAt(start + 7) !== MINUS
  ) {
    return NaN;
  }
  const dateKey = year * 10_000 + month * 100 + day;
  let days = lastDateDays;
  if (dateKey !== lastDateKey) {
    if (day > daysInMonth(year, month)) return NaN;
    days = daysFromCivil(year, month, day);
    lastDateKey = dateKey;
    lastDateDays = days;
  }
  if (end - start === 10) return compute ? days * MS_PER_DAY : 0;
  if (dateOnly || end - start < 16) return NaN;
  const separator = value.charCodeAt(start + 10);
  if (separator !== 0x54 && separator !== SPACE) return NaN;
  const hour = twoDigits(value, start + 11);
  const minute = twoDigits(value, start + 14);
  if (
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    value.charCodeAt(start + 13) !== COLON
  ) {
    return NaN;
  }
  let i = start + 16;
  let second = 0;
  let millisecond = 0;
  if (i < end && value.charCodeAt(i) === COLON) {
    second = twoDigits(value, i + 1);
    if (second < 0 || second > 59) return NaN;
    i += 3;
    if (i < end && value.charCodeAt(i) === DOT) {
      const fractionStart = ++i;
      while (i < end && isDigit(value.charCodeAt(i))) i += 1;
      if (i === fractionStart) return NaN;
      const kept = Math.min(i - fractionStart, 3);
      millisecond = digitsAt(value, fractionStart, kept) * (MILLISECONDS_PER_DIGIT[kept] as number);
    }
  }
  const offset = zoneOffsetMinutes(value, i, end);
  if (Number.isNaN(offset)) return NaN;
  if (!compute) return 0;
  return (
    days * MS_PER_DAY +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    millisecond -
    offset * 60_000
  );
}

/** `Z`, `±HH`, `±HHMM`, `±HH:MM` or nothing (UTC) at `value[i, end)`; NaN otherwise. */
function zoneOffsetMinutes(value: string, i: number, end: number): number {
  const length = end - i;
  if (length === 0) return 0;
  const c = value.charCodeAt(i);
  if (length === 1) return c === 0x5a || c === 0x7a ? 0 : NaN;
  if (c !== PLUS && c !== MINUS) return NaN;
  const hours = twoDigits(value, i + 1);
  let minutes = 0;
  if (length === 5) minutes = twoDigits(value, i + 3);
  else if (length === 6 && value.charCodeAt(i + 3) === COLON) minutes = twoDigits(value, i + 4);
  else if (length !== 3) return NaN;
  if (hours < 0 || hours > 15 || minutes < 0 || minutes > 59) return NaN;
  return (c === MINUS ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Days since the epoch of a UTC date, by arithmetic rather than Date.UTC (a call into
 * the runtime per value, which also reads years 0–99 as 1900–1999). As in Howard
 * Hinnant's `days_from_civil`: years counted from March, so the leap day ends a year,
 * and 400-year eras of 146097 days; `year` is 1–9999 here.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  // Branch-free, as in daysInMonth: January and February count with the year before.
  const y = year - (month <= 2 ? 1 : 0);
  const era = floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floor(yearOfEra / 4) - floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - DAYS_FROM_0000_03_01_TO_EPOCH;
}
