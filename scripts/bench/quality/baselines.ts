/**
 * The baseline anomaly detectors the issue asks Sightline to beat, in the same run:
 * NAB's windowed Gaussian and a global z-score. Both return the indexes they flag.
 */

/** NAB's tuned window (points) and the step by which it slides once full. */
const GAUSSIAN_WINDOW = 6400;
const GAUSSIAN_STEP = 100;
/** NAB's threshold for windowedGaussian in config/thresholds.json (all three profiles). */
const GAUSSIAN_THRESHOLD = 1.0;
/** |z| beyond which the global z-score baseline flags a point. */
const GLOBAL_Z_LIMIT = 3;

/**
 * Q(z) = P(Z > z) for z ≥ 5 with full double precision, by the continued fraction of
 * Mills' ratio (Abramowitz & Stegun 26.2.14): Q(z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …))).
 * NAB's threshold only ever compares 1 − Q with 1.0, so only the far tail matters.
 */
export function upperTail(z: number): number {
  if (z < 5) throw new Error('upperTail is accurate for z ≥ 5 only');
  let fraction = z;
  for (let k = 60; k >= 1; k--) fraction = z + k / fraction;
  return Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI) / fraction;
}

/**
 * NAB's windowed Gaussian (numenta/NAB nab/detectors/gaussian): each point's score is
 * 1 − Q(|x − mean| / sd) under the mean and population sd of the trailing window of up to
 * 6400 earlier points (refreshed after every point until full, then every 100 points), and
 * a point is flagged when its score reaches NAB's threshold, 1.0 — as NAB's scorer read it
 * back from the results files, written with 12 significant digits (Python 2 `str`): so
 * 1 − Q ≥ 0.9999999999995, |z| ≥ about 7.1. With that rule this reproduces NAB's published
 * per-file TP and FP counts for windowedGaussian on all 58 files. O(n + n·w/step).
 */
export function windowedGaussian(values: readonly number[]): number[] {
  const flagged: number[] = [];
  const window: number[] = [];
  let buffer: number[] = [];
  let mean = 0;
  let sd = 1;
  // Running moments while the window fills (Welford), a fresh two-pass once it slides.
  let m2 = 0;
  values.forEach((x, i) => {
    if (window.length > 0) {
      const z = Math.abs(x - mean) / sd;
      const score = 1 - upperTail(Math.max(z, 5));
      if (z >= 5 && Number(score.toPrecision(12)) >= GAUSSIAN_THRESHOLD) flagged.push(i);
    }
    if (window.length < GAUSSIAN_WINDOW) {
      window.push(x);
      const delta = x - mean;
      mean += delta / window.length;
      m2 += delta * (x - mean);
      sd = Math.sqrt(m2 / window.length) || 1e-6;
      return;
    }
    buffer.push(x);
    if (buffer.length < GAUSSIAN_STEP) return;
    window.splice(0, GAUSSIAN_STEP);
    window.push(...buffer);
    buffer = [];
    mean = window.reduce((sum, v) => sum + v, 0) / window.length;
    const variance = window.reduce((sum, v) => sum + (v - mean) ** 2, 0) / window.length;
    sd = Math.sqrt(variance) || 1e-6;
  });
  return flagged;
}

/** Points more than 3 population standard deviations from the whole series' mean. */
export function globalZScore(values: readonly number[]): number[] {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / n);
  if (!(sd > 0)) return [];
  return values.flatMap((v, i) => (Math.abs(v - mean) / sd > GLOBAL_Z_LIMIT ? [i] : []));
}
