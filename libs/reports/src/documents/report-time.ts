/**
 * Dates as a report's reader sees them: in the report's IANA zone, written en-GB
 * ("1 Mar 2027"). Periods end exclusively; a person reads the last day included.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const PARTS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
};

/** "1 Mar 2027" in `timeZone`. */
export function formatDay(date: Date, timeZone: string): string {
  return formatter(timeZone, DAY).format(date);
}

/** "1 Mar 2027 – 31 Mar 2027 (Europe/Berlin)": the days of [start, end) in `timeZone`. */
export function formatPeriod(period: { start: Date; end: Date }, timeZone: string): string {
  const first = formatDay(period.start, timeZone);
  // The end is exclusive: the last instant included is one millisecond before it.
  const last = formatDay(
    new Date(Math.max(period.start.getTime(), period.end.getTime() - 1)),
    timeZone,
  );
  return `${first === last ? first : `${first} – ${last}`} (${timeZone})`;
}

/** "1 Apr 2027, 06:00 (Europe/Berlin)". */
export function formatDateTime(date: Date, timeZone: string): string {
  return `${formatDay(date, timeZone)}, ${formatter(timeZone, TIME).format(date)} (${timeZone})`;
}

/**
 * The wall-clock time of `date` in `timeZone`, as milliseconds of a UTC date with the same
 * fields: Vega formats time only in UTC or the host's zone, so a chart on a UTC scale of
 * these values shows the report's local times.
 */
export function wallClockAsUtc(date: Date, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone, PARTS).formatToParts(date)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second, date.getUTCMilliseconds());
}

/** "2027-03-01": the date of `date` in `timeZone`. */
export function localIsoDate(date: Date, timeZone: string): string {
  return new Date(wallClockAsUtc(date, timeZone)).toISOString().slice(0, 10);
}
