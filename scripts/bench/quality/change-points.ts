/**
 * Level shifts and variance changes on the generated set: analyseSeries' change points
 * against the planted ones, a hit within ±max(5 points, 1 % of n). Every series counts
 * towards precision (a change point reported on a series without one is a false alarm).
 */
import type { GeneratedSeries } from './generated-series';
import { analysisOf } from './sightline';
import { heading, printTable, ratio, verdict } from './table';
import {
  addCounts,
  countWindows,
  NO_COUNTS,
  precisionRecall,
  toleranceWindows,
  type WindowCounts,
} from './window-scoring';

/** The tolerance around a planted change point: ±max(5 points, 1 % of the series). */
export function changeTolerance(n: number): number {
  return Math.max(5, Math.round(0.01 * n));
}

const KINDS = [
  {
    label: 'level shifts',
    kind: 'level_shift',
    truth: (s: GeneratedSeries) => s.truth.levelShifts,
  },
  {
    label: 'variance changes',
    kind: 'variance_change',
    truth: (s: GeneratedSeries) => s.truth.varianceChanges,
  },
  {
    label: 'any change (kind ignored)',
    kind: null,
    truth: (s: GeneratedSeries) => [...s.truth.levelShifts, ...s.truth.varianceChanges],
  },
] as const;

export function runChangePointQuality(set: readonly GeneratedSeries[]): void {
  heading('Generated set: change points (tolerance ±max(5, 1 % of n))');
  const totals = KINDS.map(({ label, kind, truth }) => {
    let counts: WindowCounts = NO_COUNTS;
    for (const series of set) {
      const n = series.y.length;
      const reported = analysisOf(series)
        .changePoints.filter((c) => kind === null || c.kind === kind)
        .map((c) => c.index);
      counts = addCounts(
        counts,
        countWindows(reported, toleranceWindows(truth(series), changeTolerance(n), n)),
      );
    }
    return { label, counts };
  });
  printTable(
    ['kind', 'planted', 'found', 'reported', 'right', 'recall', 'precision', 'F1'],
    totals.map(({ label, counts }) => {
      const pr = precisionRecall(counts);
      return [
        label,
        String(counts.windows),
        String(counts.windowsFound),
        String(counts.events),
        String(counts.eventsInside),
        ratio(pr.recall),
        ratio(pr.precision),
        ratio(pr.f1),
      ];
    }),
  );
  const shifts = precisionRecall(totals[0]?.counts ?? NO_COUNTS);
  console.log('\nTargets (generated):');
  console.log(
    `  ${verdict((shifts.recall ?? 0) >= 0.8)}  level-shift recall ${ratio(shifts.recall)} ≥ 0.8 within the tolerance`,
  );
}
