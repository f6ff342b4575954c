/**
 * `npm run bench -- <name> [--duration=<s>] [--connections=<n>]`
 * Runs a benchmark and prints its numbers next to a baseline measured in the
 * same run. Benchmarks live in scripts/bench/; targets are printed, not asserted
 * by tests.
 */
import { runAnalysisBenchmark } from './bench/analysis.bench';
import { runAskBenchmark } from './bench/ask.bench';
import type { BenchOptions } from './bench/bench-options';
import { runHttpBenchmark } from './bench/http.bench';
import { runIngestBenchmark } from './bench/ingest.bench';
import { runIngestStagesBenchmark } from './bench/ingest-stages.bench';
import { runMetricsBenchmark } from './bench/metrics.bench';
import { runQualityBenchmark } from './bench/quality.bench';
import { runScreeningBenchmark } from './bench/screening.bench';

const BENCHMARKS: Record<string, (options: BenchOptions) => Promise<void>> = {
  analysis: runAnalysisBenchmark,
  ask: runAskBenchmark,
  http: runHttpBenchmark,
  ingest: runIngestBenchmark,
  'ingest-stages': runIngestStagesBenchmark,
  metrics: runMetricsBenchmark,
  quality: runQualityBenchmark,
  screening: runScreeningBenchmark,
};

function option(name: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag === undefined ? fallback : Number(flag.split('=')[1]);
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const selected = names.length === 0 ? Object.keys(BENCHMARKS) : names;
  const unknown = selected.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}`,
    );
    process.exit(2);
  }
  const options = {
    durationSeconds: option('duration', 5),
    connections: option('connections', 50),
  };
  for (const name of selected) await BENCHMARKS[name]?.(options);
}

main().then(
  // A benchmark that cannot run (the ask endpoint missing) sets exitCode and says why.
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
