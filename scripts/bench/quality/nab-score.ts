/**
 * NAB's own score (Lavin & Ahmad 2015), reimplemented from numenta/NAB `nab/sweeper.py`
 * and `nab/runner.py` for detectors that flag points (score 1) or not (score 0):
 * - points in the probationary period (the first min(⌊0.15·n⌋, 750)) are not scored;
 * - a window scores the best-weighted detection inside it, scaledSigmoid of its relative
 *   position (an early detection is worth about 1, one at the right edge 0), or −fnWeight
 *   when it has none;
 * - every detected point outside a window costs fpWeight, weighted by scaledSigmoid of its
 *   distance past the preceding window (relative to that window's width), fully (−1) when
 *   no window precedes it: detections before the first window are plain false positives;
 * - the corpus score is normalised as 100·(S − S_null)/(S_perfect − S_null), with the
 *   null detector (no detections) at 0 and a perfect one (every window, no false
 *   positives) at 100.
 * Points are not merged into events here: that is NAB's rule.
 */
import type { Window } from './window-scoring';

export interface CostMatrix {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** NAB's "standard" application profile (config/profiles.json). */
export const NAB_STANDARD: CostMatrix = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };

export interface NabFileScore {
  score: number;
  /** Detected scorable points inside / outside windows (NAB's TP and FP counts). */
  tp: number;
  fp: number;
}

export function probationaryLength(n: number): number {
  return Math.min(Math.floor(0.15 * n), 0.15 * 5000);
}

function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** One file's raw NAB score: `detected` are indexes flagged, `windows` in time order. */
export function nabFileScore(
  n: number,
  detected: Iterable<number>,
  windows: readonly Window[],
  cost: CostMatrix = NAB_STANDARD,
): NabFileScore {
  const flagged = new Set(detected);
  const probation = probationaryLength(n);
  const maxTp = scaledSigmoid(-1);
  let fpScore = 0;
  let tp = 0;
  let fp = 0;
  let windowScores = 0;
  let previous: Window | undefined;
  let next = 0;
  let i = 0;
  while (i < n) {
    const window = windows[next];
    if (window !== undefined && i === window.start) {
      const width = window.end - window.start + 1;
      let best: number | null = null;
      let scorable = false;
      for (let j = window.start; j <= window.end; j++) {
        if (j < probation) continue;
        scorable = true;
        if (!flagged.has(j)) continue;
        tp += 1;
        const weighted = (scaledSigmoid(-(window.end - j + 1) / width) * cost.tpWeight) / maxTp;
        best = best === null ? weighted : Math.max(best, weighted);
      }
      // A window wholly inside the probationary period is not scored at all (as in NAB).
      if (scorable) windowScores += best ?? -cost.fnWeight;
      previous = window;
      next += 1;
      i = window.end + 1;
      continue;
    }
    if (i >= probation && flagged.has(i)) {
      fp += 1;
      const unweighted =
        previous === undefined
          ? -1
          : scaledSigmoid(Math.abs(previous.end - i) / (previous.end - previous.start));
      fpScore += unweighted * cost.fpWeight;
    }
    i += 1;
  }
  return { score: windowScores + fpScore, tp, fp };
}

/** The normalised corpus score: 0 for the null detector, 100 for a perfect one. */
export function nabNormalised(
  raw: number,
  nullRaw: number,
  windowCount: number,
  cost: CostMatrix = NAB_STANDARD,
): number {
  const perfect = windowCount * cost.tpWeight;
  return (100 * (raw - nullRaw)) / (perfect - nullRaw);
}
