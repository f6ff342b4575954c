import { MAD_TO_SD, mad, median } from './robust';

/** A change found on the grid: the first index of the new segment, and what changed. */
export interface GridChange {
  index: number;
  kind: 'level_shift' | 'variance_change';
  /** |step| in noise SDs (level) or the larger-over-smaller SD ratio (variance). */
  score: number;
  /** The signed step (level shifts; 0 for variance changes). */
  step: number;
}

/** Most change points a series is searched for (each is then confirmed one by one). */
const MAX_CHANGES = 40;
/** A level shift is kept when the step at it is at least this many noise SDs. */
export const LEVEL_SHIFT_SDS = 3;
/** …and at least this many times the series' typical step at the same scale (typicalStep). */
const WANDER_STEPS = 4;
/** A variance change is kept when the SD after is this many times the SD before, or less by as much. */
export const VARIANCE_RATIO = 1.5;
/** Values are clipped at median ± this many SDs before the variance cost, so a spike is not a regime. */
const VARIANCE_CLIP = 5;

/**
 * Largest lag-1 autocorrelation of the noise the penalties allow for. Both costs assume
 * independent noise; with AR(1) noise of lag-1 correlation ρ a mean is worth (1 − ρ)/(1 + ρ)
 * independent points and a variance (1 − ρ²)/(1 + ρ²), so the penalty is raised by the
 * inverse, or a wandering series would be cut at every swell.
 */
const MAX_LAG1 = 0.9;

/** Prefix sums of x and x², so a segment's mean and sum of squares cost O(1). */
function prefixSums(x: Float64Array): { s1: Float64Array; s2: Float64Array } {
  const s1 = new Float64Array(x.length + 1);
  const s2 = new Float64Array(x.length + 1);
  for (let i = 0; i < x.length; i++) {
    s1[i + 1] = s1[i] + x[i];
    s2[i + 1] = s2[i] + x[i] * x[i];
  }
  return { s1, s2 };
}

/**
 * Binary segmentation (Scott & Knott 1974): split where the cost falls most, and again in
 * each part, while the fall exceeds the penalty. O(n) per split with prefix sums.
 */
function binarySegmentation(
  n: number,
  cost: (a: number, b: number) => number,
  penalty: number,
  minSegment: number,
): number[] {
  const changes: number[] = [];
  const stack: Array<[number, number]> = [[0, n]];
  while (stack.length > 0 && changes.length < MAX_CHANGES) {
    const [a, b] = stack.pop() as [number, number];
    if (b - a < 2 * minSegment) continue;
    const whole = cost(a, b);
    let best = 0;
    let at = -1;
    for (let k = a + minSegment; k <= b - minSegment; k++) {
      const gain = whole - cost(a, k) - cost(k, b);
      if (gain > best) {
        best = gain;
        at = k;
      }
    }
    if (at < 0 || best <= penalty) continue;
    changes.push(at);
    stack.push([a, at], [at, b]);
  }
  return changes.sort((p, q) => p - q);
}

/**
 * Each change moved to the best split between its neighbours, twice (the repartition step
 * of Bai 1997): binary segmentation places a change with the others not yet found, and
 * a short excursion then comes out a few points off or split in two.
 */
function refine(
  changes: number[],
  n: number,
  cost: (a: number, b: number) => number,
  minSegment: number,
): number[] {
  const out = [...changes];
  for (let round = 0; round < 2; round++) {
    for (let k = 0; k < out.length; k++) {
      const a = k > 0 ? out[k - 1] : 0;
      const b = k + 1 < out.length ? out[k + 1] : n;
      let best = Infinity;
      for (let tau = a + minSegment; tau <= b - minSegment; tau++) {
        const c = cost(a, tau) + cost(tau, b);
        if (c < best) {
          best = c;
          out[k] = tau;
        }
      }
    }
  }
  return out;
}

/** The least-squares line through x[a..b), evaluated at position `at`. */
function lineAt(x: Float64Array, a: number, b: number, at: number): number {
  const m = b - a;
  const tMean = (a + b - 1) / 2;
  let yMean = 0;
  for (let i = a; i < b; i++) yMean += x[i];
  yMean /= m;
  let sxy = 0;
  let sxx = 0;
  for (let i = a; i < b; i++) {
    sxy += (i - tMean) * (x[i] - yMean);
    sxx += (i - tMean) ** 2;
  }
  return yMean + (sxx > 0 ? (sxy / sxx) * (at - tMean) : 0);
}

/**
 * Level shifts in a deseasonalised series: binary segmentation with the normal mean cost
 * Σ(x − x̄)²/σ² and the MBIC penalty 3·log n (Zhang & Siegmund 2007) on a robust noise
 * σ (raised for autocorrelated noise, see {@link MAX_LAG1}); then each candidate is
 * confirmed against the local slope (see localStep): the step must be at least
 * {@link LEVEL_SHIFT_SDS}·σ — a steady trend, which mean-change segmentation cuts into
 * stairs, is not a shift. The weakest failing candidate is dropped and the rest re-placed
 * until all hold.
 */
export function levelShifts(
  x: Float64Array,
  sigma: number,
  minSegment: number,
  noiseLag1 = 0,
): GridChange[] {
  const n = x.length;
  if (!(sigma > 0) || n < 2 * minSegment) return [];
  const { s1, s2 } = prefixSums(x);
  const cost = (a: number, b: number) =>
    (s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / (b - a)) / (sigma * sigma);
  const rho = Math.min(MAX_LAG1, Math.max(0, noiseLag1));
  const penalty = 3 * Math.log(n) * ((1 + rho) / (1 - rho));
  let candidates = binarySegmentation(n, cost, penalty, minSegment);
  const wander = new Map<number, number>();
  const wanderAt = (w: number) => {
    const known = wander.get(w);
    if (known !== undefined) return known;
    const typical = typicalStep(s1, w);
    wander.set(w, typical);
    return typical;
  };
  // Confirm, drop the weakest candidate that fails, re-place the rest, until all hold.
  for (;;) {
    candidates = refine(candidates, n, cost, minSegment);
    const widths = candidates.map((tau, k) => {
      const previous = k > 0 ? candidates[k - 1] : 0;
      const next = k + 1 < candidates.length ? candidates[k + 1] : n;
      return Math.min(tau - previous, next - tau, 4 * minSegment);
    });
    const steps = candidates.map((tau, k) => localStep(x, tau, widths[k]));
    let weakest = -1;
    steps.forEach((step, k) => {
      const least = Math.max(LEVEL_SHIFT_SDS * sigma, WANDER_STEPS * wanderAt(widths[k]));
      if (Math.abs(step) >= least) return;
      if (weakest < 0 || Math.abs(step) < Math.abs(steps[weakest])) weakest = k;
    });
    if (weakest < 0) {
      return candidates.map((index, k) => ({
        index,
        kind: 'level_shift',
        score: Math.abs(steps[k]) / sigma,
        step: steps[k],
      }));
    }
    candidates.splice(weakest, 1);
  }
}

/**
 * The median |difference of means| between neighbouring windows of `w` points anywhere in
 * the series: how far it wanders at that scale. A random walk's steps are normal, so 4 of
 * these medians (2.7 SDs) is a step its wandering rarely takes.
 */
function typicalStep(s1: Float64Array, w: number): number {
  const n = s1.length - 1;
  const stride = Math.max(1, Math.floor(w / 4));
  const steps: number[] = [];
  for (let tau = w; tau + w <= n; tau += stride) {
    steps.push(Math.abs(s1[tau + w] - 2 * s1[tau] + s1[tau - w]) / w);
  }
  return steps.length > 0 ? median(steps) : 0;
}

/**
 * The median |log ratio| of the SDs of neighbouring windows of `w` points anywhere in the
 * series: how much its spread wanders at that scale (see {@link typicalStep}).
 */
function typicalSpreadStep(s1: Float64Array, s2: Float64Array, w: number, floor: number): number {
  const n = s1.length - 1;
  const logSd = (a: number) => {
    const ss = s2[a + w] - s2[a] - (s1[a + w] - s1[a]) ** 2 / w;
    return 0.5 * Math.log(Math.max(floor, ss / w));
  };
  const stride = Math.max(1, Math.floor(w / 4));
  const steps: number[] = [];
  for (let tau = w; tau + w <= n; tau += stride) steps.push(Math.abs(logSd(tau) - logSd(tau - w)));
  return steps.length > 0 ? median(steps) : 0;
}

/**
 * The step at `tau` judged on `w` points each side: the smaller of the gap between straight
 * lines fitted on each side (at the boundary) and the gap between the medians, 0 when they
 * disagree in sign — a steady slope gives lines that meet, a spike moves no median.
 */
function localStep(x: Float64Array, tau: number, w: number): number {
  const linear = lineAt(x, tau, tau + w, tau - 0.5) - lineAt(x, tau - w, tau, tau - 0.5);
  const medians = median(x.subarray(tau, tau + w)) - median(x.subarray(tau - w, tau));
  if (Math.sign(linear) !== Math.sign(medians)) return 0;
  return Math.abs(linear) < Math.abs(medians) ? linear : medians;
}

/**
 * Changes of variance in a remainder: binary segmentation with the normal variance cost
 * m·log σ̂² (Inclán & Tiao 1994 in likelihood form) and the MBIC penalty, on values clipped
 * at {@link VARIANCE_CLIP} SDs; each confirmed by a ratio of robust SDs (MAD) of at least
 * {@link VARIANCE_RATIO} between the neighbouring segments.
 */
export function varianceChanges(
  x: Float64Array,
  sigma: number,
  minSegment: number,
  noiseLag1 = 0,
): GridChange[] {
  const n = x.length;
  if (!(sigma > 0) || n < 2 * minSegment) return [];
  const center = median(x);
  const limit = VARIANCE_CLIP * sigma;
  const clipped = x.map((v) => Math.min(center + limit, Math.max(center - limit, v)));
  const { s1, s2 } = prefixSums(clipped);
  const floor = (sigma * 1e-3) ** 2;
  const cost = (a: number, b: number) => {
    const m = b - a;
    const ss = s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / m;
    return m * Math.log(Math.max(floor, ss / m));
  };
  const rho2 = Math.min(MAX_LAG1, Math.max(0, noiseLag1)) ** 2;
  const penalty = 3 * Math.log(n) * ((1 + rho2) / (1 - rho2));
  const candidates = refine(binarySegmentation(n, cost, penalty, minSegment), n, cost, minSegment);
  const kept: GridChange[] = [];
  const wander = new Map<number, number>();
  candidates.forEach((tau, k) => {
    const previous = k > 0 ? candidates[k - 1] : 0;
    const next = k + 1 < candidates.length ? candidates[k + 1] : n;
    const before = x.subarray(previous, tau);
    const after = x.subarray(tau, next);
    const sdBefore = mad(before, median(before)) * MAD_TO_SD;
    const sdAfter = mad(after, median(after)) * MAD_TO_SD;
    const ratio = Math.max(sdBefore, sdAfter) / Math.max(1e-12, Math.min(sdBefore, sdAfter));
    const w = Math.min(tau - previous, next - tau, 4 * minSegment);
    const typical = wander.get(w) ?? typicalSpreadStep(s1, s2, w, floor);
    wander.set(w, typical);
    if (ratio >= VARIANCE_RATIO && Math.log(ratio) >= WANDER_STEPS * typical) {
      kept.push({ index: tau, kind: 'variance_change', score: ratio, step: 0 });
    }
  });
  return kept;
}

/**
 * Level shifts that come back: a step out and, within `maxSpan` points, a step back to
 * about the level before (within half the smaller step) is one passing event — a holiday's
 * dip, an outage — not two changes of regime. Those pairs are dropped here; the stretch
 * between them then stands out in the remainder and is reported as one anomaly.
 */
export function withoutExcursions(
  shifts: readonly GridChange[],
  x: Float64Array,
  maxSpan: number,
  window: number,
): GridChange[] {
  const out = [...shifts];
  for (let k = 0; k + 1 < out.length; k++) {
    const [a, b] = [out[k], out[k + 1]];
    if (b.index - a.index > maxSpan || Math.sign(a.step) === Math.sign(b.step)) continue;
    const before = median(x.subarray(Math.max(0, a.index - window), a.index));
    const after = median(x.subarray(b.index, Math.min(x.length, b.index + window)));
    if (Math.abs(after - before) < 0.5 * Math.min(Math.abs(a.step), Math.abs(b.step))) {
      out.splice(k, 2);
      k = Math.max(-1, k - 2);
    }
  }
  return out;
}
