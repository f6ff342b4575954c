/**
 * Anomaly windows on the NAB corpus: every detector on every whole series, scored per
 * file against the labelled windows (window recall, event precision, F1; see
 * window-scoring.ts) and by NAB's own normalised score (nab-score.ts), then summed per
 * category and over the corpus (micro-averaged).
 */
import { performance } from 'node:perf_hooks';
import type { Detector } from './detector';
import { DETECTORS } from './detectors';
import { loadNabCorpus, type LabelledSeries } from './nab-corpus';
import { nabFileScore, nabNormalised, probationaryLength } from './nab-score';
import { heading, printTable, ratio, verdict } from './table';
import {
  addCounts,
  countWindows,
  NO_COUNTS,
  precisionRecall,
  type WindowCounts,
} from './window-scoring';

/** Published NAB standard scores (numenta/NAB results/final_results.json), for reference. */
const PUBLISHED =
  'published NAB standard: windowedGaussian 39.6, randomCutForest 51.7, numenta HTM 70.1';

interface Row {
  /** Detector, or "detector: part". */
  label: string;
  baseline: boolean;
  byCategory: Map<string, WindowCounts>;
  noWindowEvents: number;
  nabRaw: number;
  nabTp: number;
  nabFp: number;
  ms: number;
}

function newRow(label: string, baseline: boolean): Row {
  return {
    label,
    baseline,
    byCategory: new Map(),
    noWindowEvents: 0,
    nabRaw: 0,
    nabTp: 0,
    nabFp: 0,
    ms: 0,
  };
}

function score(row: Row, file: LabelledSeries, indexes: readonly number[]): void {
  const n = file.y.length;
  const counts = countWindows(indexes, file.windows, probationaryLength(n));
  if (file.windows.length === 0) row.noWindowEvents += counts.events;
  else
    row.byCategory.set(
      file.category,
      addCounts(row.byCategory.get(file.category) ?? NO_COUNTS, counts),
    );
  const nab = nabFileScore(n, indexes, file.windows);
  row.nabRaw += nab.score;
  row.nabTp += nab.tp;
  row.nabFp += nab.fp;
}

function runDetector(detector: Detector, corpus: readonly LabelledSeries[]): Row[] {
  const all = newRow(detector.name, detector.baseline);
  const parts = new Map<string, Row>();
  for (const file of corpus) {
    const started = performance.now();
    const found = detector.detect(file);
    all.ms += performance.now() - started;
    score(all, file, found.all);
    for (const [part, indexes] of Object.entries(found.parts ?? {})) {
      const row = parts.get(part) ?? newRow(`${detector.name}: ${part}`, detector.baseline);
      parts.set(part, row);
      score(row, file, indexes);
    }
  }
  return [all, ...parts.values()];
}

function total(row: Row): WindowCounts {
  return [...row.byCategory.values()].reduce(addCounts, NO_COUNTS);
}

function countCells(counts: WindowCounts): string[] {
  const pr = precisionRecall(counts);
  return [
    `${counts.windowsFound}/${counts.windows}`,
    String(counts.events),
    String(counts.eventsInside),
    ratio(pr.recall),
    ratio(pr.precision),
    ratio(pr.f1),
  ];
}

export function runNabQuality(): void {
  const corpus = loadNabCorpus();
  const windows = corpus.reduce((sum, file) => sum + file.windows.length, 0);
  const labelled = corpus.filter((file) => file.windows.length > 0);
  heading(
    `NAB: ${corpus.length} series (${labelled.length} with windows, ${windows} windows, ` +
      `${corpus.reduce((s, f) => s + f.y.length, 0)} points)`,
  );
  console.log(
    'Each detector sees each whole series. A run of consecutive flagged points is one event;',
  );
  console.log(
    'recall = windows with ≥ 1 flagged point, precision = events touching a window / events.',
  );
  console.log("Points in NAB's probationary period (first min(15 %, 750)) are not scored.");
  const rows = DETECTORS.flatMap((detector) => runDetector(detector, corpus));
  // NAB's null detector: every window missed (its normalised score is 0 by definition).
  const nullRaw = corpus.reduce((sum, f) => sum + nabFileScore(f.y.length, [], f.windows).score, 0);

  console.log('\nPer category (files with windows):');
  const categories = [...new Set(labelled.map((f) => f.category))];
  printTable(
    ['category', 'detector', 'windows', 'events', 'inside', 'recall', 'precision', 'F1'],
    categories.flatMap((category) =>
      rows.map((row) => [
        category,
        row.label,
        ...countCells(row.byCategory.get(category) ?? NO_COUNTS),
      ]),
    ),
  );

  console.log(
    "\nOverall (micro-averaged over the files with windows), and NAB's own score over all files:",
  );
  printTable(
    [
      'detector',
      'windows',
      'events',
      'inside',
      'recall',
      'precision',
      'F1',
      'before 1st',
      'no-window FP',
      'NAB std',
      'NAB TP/FP pts',
      'ms',
    ],
    rows.map((row) => [
      row.label,
      ...countCells(total(row)),
      String(total(row).eventsBeforeFirstWindow),
      String(row.noWindowEvents),
      nabNormalised(row.nabRaw, nullRaw, windows).toFixed(1),
      `${row.nabTp}/${row.nabFp}`,
      row.ms.toFixed(0),
    ]),
  );
  console.log(
    "'before 1st': events before a file's first window (false positives in NAB's scoring too);",
  );
  console.log(
    "'no-window FP': events on the files without windows; NAB std: 0 = no detections, 100 = perfect.",
  );
  console.log(`(${PUBLISHED})`);

  const overall = new Map(rows.map((row) => [row.label, precisionRecall(total(row))]));
  const baselineF1 = Math.max(
    ...rows.filter((r) => r.baseline).map((r) => overall.get(r.label)?.f1 ?? 0),
  );
  console.log('\nTargets (NAB):');
  for (const row of rows.filter((r) => !r.baseline && !r.label.includes(':'))) {
    const pr = overall.get(row.label);
    const f1 = pr?.f1 ?? 0;
    console.log(
      `  ${verdict(f1 >= baselineF1 + 0.1)}  ${row.label}: F1 ${ratio(f1)} vs best baseline ${ratio(baselineF1)} (clear margin: ≥ +0.10)`,
    );
    console.log(
      `  ${verdict((pr?.recall ?? 0) >= 0.5 && (pr?.precision ?? 0) >= 0.5)}  ${row.label}: window recall ${ratio(pr?.recall)} ≥ 0.5 at precision ${ratio(pr?.precision)} ≥ 0.5`,
    );
  }
}
