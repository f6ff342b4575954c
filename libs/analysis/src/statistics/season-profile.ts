import {
  MONTH_ABBREVIATIONS as MONTHS,
  MONTH_NAMES,
  WEEKDAY_ABBREVIATIONS as WEEKDAYS,
  WEEKDAY_NAMES,
} from '@app/common';
import type { SeasonName } from './seasonality';

/** Monday = 0 … Sunday = 6, in UTC (times are epoch ms; the dataset's zone is not known). */
// 1970-01-01 was a Thursday (3 with Monday = 0).
const weekday = (t: number) => (((Math.floor(t / 86_400_000) + 3) % 7) + 7) % 7;
const hourOf = (t: number) => ((Math.floor(t / 3_600_000) % 24) + 24) % 24;
const pad = (x: number) => String(x).padStart(2, '0');

/**
 * The mean of the series per phase of a season, labelled for people: calendar months for
 * a yearly season, weekdays for a weekly one, hours for a daily one (all in UTC), and
 * phase numbers (0 … period − 1 from the first point) otherwise. Only phases with data.
 */
export function seasonProfile(
  name: SeasonName,
  period: number,
  times: Float64Array,
  values: Float64Array,
): Array<{ label: string; mean: number }> {
  let key: (t: number, i: number) => number;
  let labels: readonly string[];
  switch (name) {
    case 'yearly':
      key = (t) => new Date(t).getUTCMonth();
      labels = MONTHS;
      break;
    case 'weekly':
      key = weekday;
      labels = WEEKDAYS;
      break;
    case 'daily':
      key = hourOf;
      labels = Array.from({ length: 24 }, (_v, h) => pad(h));
      break;
    case 'hourly':
    case 'monthly':
    case 'other':
      key = (_t, i) => i % period;
      labels = Array.from({ length: period }, (_v, p) => String(p));
      break;
  }
  const sums = new Float64Array(labels.length);
  const counts = new Int32Array(labels.length);
  for (let i = 0; i < values.length; i++) {
    const k = key(times[i], i);
    sums[k] += values[i];
    counts[k]++;
  }
  const out: Array<{ label: string; mean: number }> = [];
  for (let k = 0; k < labels.length; k++) {
    if (counts[k] > 0) out.push({ label: labels[k], mean: sums[k] / counts[k] });
  }
  return out;
}

/**
 * Words for where a time falls in the seasons found, for an anomaly's reason:
 * "for a Tuesday at 14:00", "at 14:00", "for a Tuesday in August", "in August"; empty
 * without a calendar season.
 */
export function phaseWords(names: readonly SeasonName[], t: number, intervalMs: number): string {
  const date = new Date(t);
  const parts: string[] = [];
  if (names.includes('weekly')) parts.push(`for a ${WEEKDAY_NAMES[weekday(t)]}`);
  if (names.includes('daily') || (names.includes('weekly') && intervalMs < 86_400_000)) {
    parts.push(`at ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`);
  }
  if (names.includes('yearly')) parts.push(`in ${MONTH_NAMES[date.getUTCMonth()]}`);
  return parts.join(' ');
}

/** A number rounded for a sentence: three significant digits, whole numbers from 1,000 on. */
export function roundForWords(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}
