/**
 * `npm run bench -- quality`: how well the analyses find what is there, on data nobody
 * here wrote — the NAB anomaly corpus (bench/data/nab), a seeded generated set with known
 * structure, Seattle's daily weather and the UCI labelled review sentences — each beside baselines computed in the same run.
 * Offline and deterministic; prints tables and the targets with PASS/FAIL, asserts
 * nothing. Sections live in scripts/bench/quality/.
 */
import { performance } from 'node:perf_hooks';
import { runNabQuality } from './quality/anomalies';
import { runChangePointQuality } from './quality/change-points';
import { runGeneratedAnomalyQuality } from './quality/generated-anomalies';
import { generatedSeries } from './quality/generated-series';
import { runSeasonQuality } from './quality/seasons';
import { runSegmentQuality } from './quality/segments';
import { runSentimentQuality } from './quality/sentiment';
import { runWeatherQuality } from './quality/weather';

function runGeneratedQuality(): void {
  const set = generatedSeries();
  runSeasonQuality(set);
  runChangePointQuality(set);
  runGeneratedAnomalyQuality(set);
}

/** The sections, in the order they print; each may be synchronous. */
const SECTIONS: ReadonlyArray<() => void | Promise<void>> = [
  runNabQuality,
  runGeneratedQuality,
  runWeatherQuality,
  runSegmentQuality,
  runSentimentQuality,
];

export async function runQualityBenchmark(): Promise<void> {
  const started = performance.now();
  for (const section of SECTIONS) {
    const at = performance.now();
    await section();
    console.log(`(${section.name}: ${((performance.now() - at) / 1000).toFixed(1)} s)`);
  }
  console.log(`\nquality bench: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
