/**
 * The anomaly detectors the quality benchmark compares, behind one shape: a series in, the
 * flagged indexes out — all of them, and by kind where a detector has more than one.
 */
import { globalZScore, windowedGaussian } from './baselines';
import { sightlineBefore } from './sightline-before';
import { sightlineDetector } from './sightline';

export interface Series {
  /** Epoch ms, ascending. */
  t: readonly number[];
  y: readonly number[];
}

export interface Detections {
  all: number[];
  /** The same detections by kind (e.g. anomalies, change points), printed beside `all`. */
  parts?: Record<string, number[]>;
}

export interface Detector {
  name: string;
  baseline: boolean;
  detect(series: Series): Detections;
}

export const DETECTORS: readonly Detector[] = [
  {
    name: 'windowed Gaussian',
    baseline: true,
    detect: (s) => ({ all: windowedGaussian(s.y) }),
  },
  { name: 'global z-score', baseline: true, detect: (s) => ({ all: globalZScore(s.y) }) },
  {
    name: 'Sightline before',
    baseline: false,
    detect: (s) => ({ all: sightlineBefore(s.t, s.y) }),
  },
  sightlineDetector,
];
