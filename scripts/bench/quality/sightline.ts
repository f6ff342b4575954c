/**
 * Sightline's time-series core (libs/analysis/src/statistics/series-analysis.ts) as the
 * quality benchmark sees it: each series analysed once, with the product's defaults, and
 * its anomalies and change points as one detector.
 *
 * TODO(bench): until helper "series" lands series-analysis.ts, it is loaded at run time
 * (a static import would not compile without it) and the sections print "not available";
 * once it lands, replace the loader and the local types with a static import.
 */
import { join } from 'node:path';
import type { Detector, Series } from './detectors';

/** The part of series-analysis.ts's interface the benchmark reads. */
export interface SeriesAnalysisView {
  seasonality: Array<{
    period: number;
    name: string;
    strength: number;
    profile: Array<{ label: string; mean: number }>;
  }>;
  trend: { direction: string; slopePerDay: number | null; pValue: number };
  changePoints: Array<{ index: number; kind: 'level_shift' | 'variance_change' }>;
  anomalies: Array<{ index: number; kind: string; value: number }>;
  anomaliesFound: number;
  truncated: boolean;
}
export interface ValueAnomaliesView {
  distribution: string;
  anomalies: Array<{ index: number; value: number; kind: string }>;
  anomaliesFound: number;
  truncated: boolean;
}
interface SeriesModule {
  analyzeSeries(points: ReadonlyArray<{ t: number; y: number }>): SeriesAnalysisView;
  valueAnomalies(values: readonly number[]): ValueAnomaliesView;
}

const MODULE = join(
  __dirname,
  '..',
  '..',
  '..',
  'libs',
  'analysis',
  'src',
  'statistics',
  'series-analysis',
);

function load(): SeriesModule | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the TODO above
    return require(MODULE) as SeriesModule;
  } catch (error) {
    // Only its absence is expected; a module that fails to load is a bug to see.
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND' && String(error).includes(MODULE))
      return undefined;
    throw error;
  }
}

export const seriesModule = load();
export const NOT_AVAILABLE = 'Sightline: not available (series-analysis.ts has not landed)';

const analyses = new WeakMap<Series, SeriesAnalysisView>();

/** analyzeSeries of a series, computed once per series object. */
export function analysisOf(series: Series, module: SeriesModule): SeriesAnalysisView {
  const known = analyses.get(series);
  if (known !== undefined) return known;
  const analysis = module.analyzeSeries(series.t.map((t, i) => ({ t, y: series.y[i] ?? 0 })));
  analyses.set(series, analysis);
  return analysis;
}

/** Sightline as an anomaly detector: its anomalies and its change points, each also apart. */
export function sightlineDetector(module: SeriesModule): Detector {
  return {
    name: 'Sightline',
    baseline: false,
    detect: (series) => {
      const analysis = analysisOf(series, module);
      const anomalies = analysis.anomalies.map((a) => a.index);
      const changes = analysis.changePoints.map((c) => c.index);
      return {
        all: [...anomalies, ...changes],
        parts: { anomalies, 'change points': changes },
      };
    },
  };
}
