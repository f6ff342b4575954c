/**
 * Spikes, dips and contextual anomalies on the generated set, for every detector: a
 * planted point is found when a detection falls within ±2 points of it; detections near
 * a planted change point (within its tolerance) are left out, neither right nor wrong,
 * since change points are scored on their own. Sightline's change points are not counted
 * here, only its anomalies. As on NAB, detections in the probationary period (the first
 * min(15 %, 750) points) are not scored, for every detector; nothing is planted there.
 */
import { changeTolerance } from './change-points';
import { DETECTORS } from './detectors';
import { probationaryLength } from './nab-score';
import type { GeneratedSeries } from './generated-series';
import { heading, printTable, ratio } from './table';
import {
  addCounts,
  countWindows,
  NO_COUNTS,
  precisionRecall,
  toleranceWindows,
} from './window-scoring';

const POINT_TOLERANCE = 2;

export function runGeneratedAnomalyQuality(set: readonly GeneratedSeries[]): void {
  heading(
    `Generated set: spikes, dips and contextual anomalies (hit within ±${POINT_TOLERANCE} points)`,
  );
  const rows = DETECTORS.map((detector) => {
    let spikes = NO_COUNTS;
    let contextual = NO_COUNTS;
    let all = NO_COUNTS;
    let controlEvents = 0;
    for (const series of set) {
      const n = series.y.length;
      const { truth } = series;
      const found = detector.detect(series);
      const changes = toleranceWindows(
        [...truth.levelShifts, ...truth.varianceChanges],
        changeTolerance(n),
        n,
      );
      const detected = (found.parts?.anomalies ?? found.all).filter(
        (i) => i >= probationaryLength(n) && !changes.some((w) => i >= w.start && i <= w.end),
      );
      const window = (points: number[]) => toleranceWindows(points, POINT_TOLERANCE, n);
      spikes = addCounts(spikes, countWindows(detected, window(truth.spikes)));
      contextual = addCounts(contextual, countWindows(detected, window(truth.contextual)));
      const counts = countWindows(detected, window([...truth.spikes, ...truth.contextual]));
      all = addCounts(all, counts);
      const planted = truth.spikes.length + truth.contextual.length + truth.levelShifts.length;
      if (planted + truth.varianceChanges.length === 0) controlEvents += counts.events;
    }
    const pr = precisionRecall(all);
    return [
      detector.name,
      `${spikes.windowsFound}/${spikes.windows}`,
      `${contextual.windowsFound}/${contextual.windows}`,
      String(all.events),
      String(all.eventsInside),
      ratio(pr.recall),
      ratio(pr.precision),
      ratio(pr.f1),
      String(controlEvents),
    ];
  });
  printTable(
    [
      'detector',
      'spikes/dips',
      'contextual',
      'events',
      'right',
      'recall',
      'precision',
      'F1',
      'events on clean series',
    ],
    rows,
  );
  console.log("'clean series': those with nothing planted but seasons, trend and noise.");
}
