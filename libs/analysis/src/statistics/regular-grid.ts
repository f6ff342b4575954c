import { median } from './robust';

export const DAY_MS = 86_400_000;
/** The mean Gregorian month and year: calendar-spaced data rounds onto them without drift. */
const MONTH_MS = (365.2425 / 12) * DAY_MS;
const YEAR_MS = 365.2425 * DAY_MS;
/** A grid may be this many times longer than the input before it is judged too sparse to fill. */
const MAX_GRID_EXPANSION = 5;

/** A series placed on a regular time grid, short holes filled. */
export interface RegularGrid {
  intervalMs: number;
  /** The time of each slot: the input's own where one sits there, else interpolated. */
  times: Float64Array;
  values: Float64Array;
  /** The input index in each slot, or −1 where the value was interpolated. */
  sourceIndex: Int32Array;
  /** Slots filled by interpolation, and the longest run of them. */
  filled: number;
  longestGap: number;
  /** True when the timestamps were too sparse for a grid and each point became a slot. */
  irregular: boolean;
}

/**
 * The sampling interval: the median positive gap between consecutive times, snapped to
 * the mean calendar month, quarter or year when the gaps are calendar-spaced (28–31 days
 * and so on), so that rounding onto the grid does not drift.
 */
export function samplingInterval(times: readonly number[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i] - times[i - 1];
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return DAY_MS;
  const gap = median(gaps);
  const days = gap / DAY_MS;
  if (days >= 27 && days <= 32) return MONTH_MS;
  if (days >= 88 && days <= 93) return 3 * MONTH_MS;
  if (days >= 360 && days <= 370) return YEAR_MS;
  return gap;
}

/**
 * Places each point in the slot round((t − t₀)/interval) (points sharing a slot are
 * averaged) and fills empty slots by linear interpolation between their observed
 * neighbours. Interpolated slots are marked so that they are never reported as anomalies.
 */
export function regularGrid(times: readonly number[], values: readonly number[]): RegularGrid {
  const n = times.length;
  const intervalMs = samplingInterval(times);
  const t0 = times[0] ?? 0;
  const slotOf = times.map((t) => Math.round((t - t0) / intervalMs));
  const length = n === 0 ? 0 : slotOf[n - 1] + 1;
  if (length > MAX_GRID_EXPANSION * n + 10) {
    return {
      intervalMs,
      times: Float64Array.from(times),
      values: Float64Array.from(values),
      sourceIndex: Int32Array.from(times, (_t, i) => i),
      filled: 0,
      longestGap: 0,
      irregular: true,
    };
  }
  const sums = new Float64Array(length);
  const counts = new Int32Array(length);
  const gridTimes = new Float64Array(length);
  const sourceIndex = new Int32Array(length).fill(-1);
  for (let i = 0; i < n; i++) {
    const slot = slotOf[i];
    sums[slot] += values[i];
    if (counts[slot]++ === 0) {
      sourceIndex[slot] = i;
      gridTimes[slot] = times[i];
    }
  }
  const gridValues = new Float64Array(length);
  let filled = 0;
  let longestGap = 0;
  let previous = -1;
  for (let slot = 0; slot < length; slot++) {
    if (counts[slot] === 0) continue;
    gridValues[slot] = sums[slot] / counts[slot];
    if (previous >= 0 && slot - previous > 1) {
      const run = slot - previous - 1;
      filled += run;
      longestGap = Math.max(longestGap, run);
      for (let k = previous + 1; k < slot; k++) {
        const w = (k - previous) / (slot - previous);
        gridValues[k] = gridValues[previous] + w * (gridValues[slot] - gridValues[previous]);
        gridTimes[k] = gridTimes[previous] + w * (gridTimes[slot] - gridTimes[previous]);
      }
    }
    previous = slot;
  }
  return {
    intervalMs,
    times: gridTimes,
    values: gridValues,
    sourceIndex,
    filled,
    longestGap,
    irregular: false,
  };
}
