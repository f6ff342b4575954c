/** A calendar date in some time zone; `month` is 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock reading in some time zone, to the second. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

// Intl rejects a misspelt zone but also accepts bare offsets ('+02:00', '-0500'), which have
// no daylight saving rules; an IANA name (and an alias such as 'UTC' or 'Etc/GMT+5') starts
// with a letter.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

// Zones in use are few; the cap keeps a caller passing ever new spellings from growing it.
const MAX_FORMATTERS = 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/**
 * Why `timezone` is not an IANA time zone name this runtime knows, or undefined when it is.
 * Aliases Intl resolves ('UTC', 'Etc/GMT+5', 'US/Eastern') pass; offsets and a name spelt in
 * the wrong case do not, so one zone is stored under one spelling.
 */
export function timeZoneProblem(timezone: string): string | undefined {
  const notZone = `'${timezone}' is not an IANA time zone`;
  if (!ZONE_NAME.test(timezone)) return `${notZone} (use a name such as 'Europe/Berlin')`;
  let resolved: string;
  try {
    resolved = formatterFor(timezone).resolvedOptions().timeZone;
  } catch {
    return notZone;
  }
  if (resolved !== timezone && resolved.toLowerCase() === timezone.toLowerCase()) {
    return `${notZone}; did you mean '${resolved}'?`;
  }
  return undefined;
}

/** The wall-clock reading at `instant` in `timezone` (milliseconds dropped). */
export function localDateTime(instant: Date, timezone: string): LocalDateTime {
  const time = instantMillis(instant);
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timezone).formatToParts(time)) fields[part.type] = part.value;
  const year = Number(fields.year);
  return {
    year: fields.era === 'BC' ? 1 - year : year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
  };
}

/**
 * `instant` as ISO 8601 local time with the zone's offset at that instant, to the second:
 * `2027-03-28T03:30:00+02:00`. UTC is written `+00:00`, like every other offset.
 */
export function formatInZone(instant: Date, timezone: string): string {
  const local = localDateTime(instant, timezone);
  const offsetSeconds = (wallMillis(local) - floorToSecond(instantMillis(instant))) / SECOND_MS;
  const date = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
  const time = `${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}`;
  return `${date}T${time}${formatOffset(offsetSeconds)}`;
}

/**
 * The first instant of `date` in `timezone`: local midnight, or when the clock skips midnight
 * (Asia/Beirut, America/Santiago spring forward at 00:00) the instant it jumps to 01:00.
 */
export function startOfLocalDay(date: LocalDate, timezone: string): Date {
  return new Date(firstInstantAtWallTime({ ...date, hour: 0, minute: 0, second: 0 }, timezone));
}

/** `date` moved by `days` calendar days. */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(wallMillis({ ...date, hour: 0, minute: 0, second: 0 }) + days * DAY_MS);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** The first day of the month `months` calendar months from the one holding `date`. */
export function firstOfMonth(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + months;
  return { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1, day: 1 };
}

/** ISO weekday of `date`: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const weekday = new Date(wallMillis({ ...date, hour: 0, minute: 0, second: 0 })).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/**
 * The earliest instant whose wall clock in `timezone` reads `wall`. A reading that occurs
 * twice (fall back) gives the first; one that never occurs (spring forward) gives the instant
 * the clock jumps past it, which is the first instant reading later than `wall`.
 */
function firstInstantAtWallTime(wall: LocalDateTime, timezone: string): number {
  const target = wallMillis(wall);
  // Offsets a day either side bracket the instant sought (|offset| ≤ 14 h), and zones do not
  // change their offset twice within a couple of days.
  const before = offsetMillis(target - DAY_MS, timezone);
  const after = offsetMillis(target + DAY_MS, timezone);
  const matching = [target - before, target - after].filter(
    (instant) => localMillis(instant, timezone) === target,
  );
  if (matching.length > 0) return Math.min(...matching);
  // In a gap: the clock reads earlier than `wall` at `target - after` and later at
  // `target - before`; search the second it jumps.
  let low = target - after;
  let high = target - before;
  if (!(low < high)) throw new Error(`no instant reads ${JSON.stringify(wall)} in ${timezone}`);
  while (high - low > SECOND_MS) {
    const middle = low + floorToSecond((high - low) / 2);
    if (localMillis(middle, timezone) >= target) high = middle;
    else low = middle;
  }
  return high;
}

/** The wall-clock reading at `instant` as if it were UTC, in milliseconds. */
function localMillis(instant: number, timezone: string): number {
  return wallMillis(localDateTime(new Date(instant), timezone));
}

/** How far `timezone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetMillis(instant: number, timezone: string): number {
  return localMillis(instant, timezone) - floorToSecond(instant);
}

/** A wall-clock reading as if it were UTC, in milliseconds (years below 100 kept as given). */
function wallMillis(wall: LocalDateTime): number {
  const time = new Date(0);
  time.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  time.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return time.getTime();
}

function instantMillis(instant: Date): number {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('invalid date');
  return time;
}

function floorToSecond(millis: number): number {
  return Math.floor(millis / SECOND_MS) * SECOND_MS;
}

function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const total = Math.abs(offsetSeconds);
  const hoursMinutes = `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}`;
  // Only local mean time before ~1900 has seconds in its offset (Berlin: +00:53:28); an
  // offset rounded to the minute would name a different instant.
  return total % 60 === 0 ? `${sign}${hoursMinutes}` : `${sign}${hoursMinutes}:${pad(total % 60)}`;
}

function pad(value: number, width = 2): string {
  const digits = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${digits}` : digits;
}
