/** Share of a point's other cycles that must hold the same excursion for it to be recurring. */
const RECURRING_SHARE = 0.5;
/** Fewest other cycles that must hold it (two repeats make a habit, one a coincidence). */
const MIN_REPEATS = 2;
/** Phase slack each way, as a share of the cycle: a nightly job starts a few minutes late. */
const PHASE_SLACK = 1 / 48;

/**
 * Whether the excursion at `index` recurs at about the same phase of a calendar cycle —
 * in at least half of the series' other cycles (and two), within a slack of a fiftieth of
 * the cycle, with the same sign and at least `threshold` on `scores`. A backup job's spike
 * at 02:00 every night is the series' habit, not an anomaly, even when it is too narrow
 * and too jittery for the seasonal decomposition to learn.
 */
export function recurs(
  index: number,
  scores: Float64Array,
  signs: (i: number) => number,
  cycles: readonly number[],
  threshold: number,
): boolean {
  const n = scores.length;
  const sign = signs(index);
  return cycles.some((period) => {
    const slack = Math.max(1, Math.round(period * PHASE_SLACK));
    let others = 0;
    let repeats = 0;
    for (let k = -Math.floor(index / period); index + k * period < n; k++) {
      const at = index + k * period;
      if (k === 0) continue;
      others++;
      const lo = Math.max(0, at - slack);
      const hi = Math.min(n - 1, at + slack);
      for (let j = lo; j <= hi; j++) {
        if (scores[j] >= threshold && signs(j) === sign) {
          repeats++;
          break;
        }
      }
    }
    return repeats >= MIN_REPEATS && repeats >= RECURRING_SHARE * others;
  });
}
