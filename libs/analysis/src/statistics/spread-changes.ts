import { varianceChanges, type GridChange } from './change-points';
import { median, robustScale } from './robust';

/** Cycles a season needs before its phases' spreads are estimated (fewer: left as is). */
const MIN_CYCLES = 3;
/** Phases averaged each side of a phase's spread, as a share of the period, to steady it. */
const PHASE_POOL = 1 / 48;
/** A phase's spread is taken as at least this share of the typical phase's. */
const PHASE_SCALE_FLOOR = 0.1;

/**
 * Changes of spread in a remainder, judged where they can be seen: on the observed slots
 * only (a gap filled by interpolation has no noise, and would read as the spread
 * collapsing), and after each season's own rhythm of spread is divided out — a series
 * that is calm at night and busy by day changes spread twice a day without any change
 * of regime. Indexes are into the full grid.
 */
export function spreadChanges(
  remainder: Float64Array,
  observed: (i: number) => boolean,
  periods: readonly number[],
  sigma: number,
  minSegment: number,
  lag1: number,
): GridChange[] {
  const slots: number[] = [];
  for (let i = 0; i < remainder.length; i++) if (observed(i)) slots.push(i);
  const values = Float64Array.from(slots, (i) => remainder[i]);
  for (const period of periods) {
    if (remainder.length < MIN_CYCLES * period) continue;
    const scale = phaseScales(values, slots, period);
    if (scale === null) continue;
    for (let k = 0; k < values.length; k++) values[k] /= scale[slots[k] % period];
  }
  return varianceChanges(values, sigma, minSegment, lag1).map((change) => ({
    ...change,
    index: slots[change.index],
  }));
}

/**
 * Each phase's robust spread relative to the median phase's, smoothed over neighbouring
 * phases (see {@link PHASE_POOL}); null when the typical phase has no spread.
 */
function phaseScales(
  values: Float64Array,
  slots: readonly number[],
  period: number,
): Float64Array | null {
  const byPhase: number[][] = Array.from({ length: period }, () => []);
  values.forEach((v, k) => byPhase[slots[k] % period].push(v));
  const raw = byPhase.map((phase) => (phase.length > 0 ? robustScale(phase, median(phase)) : 0));
  const pool = Math.floor(period * PHASE_POOL);
  const smoothed = new Float64Array(period);
  for (let phase = 0; phase < period; phase++) {
    let sum = 0;
    for (let d = -pool; d <= pool; d++) sum += raw[(phase + d + period) % period];
    smoothed[phase] = sum / (2 * pool + 1);
  }
  const typical = median(smoothed);
  if (!(typical > 0)) return null;
  return smoothed.map((s) => Math.max(s, PHASE_SCALE_FLOOR * typical) / typical);
}
