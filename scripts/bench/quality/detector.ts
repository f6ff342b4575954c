/**
 * The shape every anomaly detector of the quality benchmark has: a series in, the flagged
 * indexes out (detectors.ts lists them).
 */
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
