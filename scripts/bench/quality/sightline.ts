/**
 * Sightline's time-series core (libs/analysis/src/statistics/series-analysis.ts) as the
 * quality benchmark sees it: each series analysed once, with the product's defaults, and
 * its anomalies and change points as one detector.
 */
import {
  analyseSeries,
  type SeriesAnalysis,
} from '../../../libs/analysis/src/statistics/series-analysis';
import type { Detector, Series } from './detector';

const analyses = new WeakMap<Series, SeriesAnalysis>();

/** analyseSeries of a series, computed once per series object. */
export function analysisOf(series: Series): SeriesAnalysis {
  const known = analyses.get(series);
  if (known !== undefined) return known;
  const analysis = analyseSeries(series.t.map((t, i) => ({ t, y: series.y[i] ?? 0 })));
  analyses.set(series, analysis);
  return analysis;
}

/** Sightline as an anomaly detector: its anomalies and its change points, each also apart. */
export const sightlineDetector: Detector = {
  name: 'Sightline',
  baseline: false,
  detect: (series) => {
    const analysis = analysisOf(series);
    const anomalies = analysis.anomalies.map((a) => a.index);
    const changes = analysis.changePoints.map((c) => c.index);
    return {
      all: [...anomalies, ...changes],
      parts: { anomalies, 'change points': changes },
    };
  },
};
