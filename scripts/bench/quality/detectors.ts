/**
 * The anomaly detectors the quality benchmark compares, behind one shape: a series in, the
 * flagged indexes out — all of them, and by kind where a detector has more than one.
 */
import { globalZScore, windowedGaussian } from './baselines';
import type { Detector } from './detector';
import { sightlineBefore } from './sightline-before';
import { sightlineDetector } from './sightline';

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
