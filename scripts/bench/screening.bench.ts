/**
 * `npm run bench -- screening`: CPU time of the prompt-injection screen
 * (`injectionPattern` then `injectionExcerpt`) on 1 MiB of each shape that would make a
 * backtracking matcher retry a run, beside a baseline measured on the same text in the same
 * run: one regex pass that tests every character once (`/[#$%&]/`, which none of
 * them holds), the least a screen of the whole text can do. Prints
 * the median of five runs and the target (1 MiB screened in < 50 ms) with PASS/FAIL; the
 * unit test asserts only what separates linear time from backtracking.
 */
import { injectionStressShapes } from '../../libs/common/src/guardrails/injection-stress-shapes';
import {
  injectionExcerpt,
  injectionPattern,
} from '../../libs/common/src/guardrails/prompt-injection';
import { printTable, ratio, verdict } from './quality/table';

const MiB = 1024 ** 2;
const TARGET_MS = 50;
const RUNS = 5;

/** Median CPU time (ms) of `work` over {@link RUNS} runs. */
function medianCpuMs(work: () => unknown): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.cpuUsage();
    work();
    const { user, system } = process.cpuUsage(started);
    times.push((user + system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] ?? Number.NaN;
}

export function runScreeningBenchmark(): Promise<void> {
  const rows: string[][] = [];
  let slowest = 0;
  for (const [shape, text] of injectionStressShapes(MiB)) {
    injectionPattern(text.slice(0, 1000));
    const screen = medianCpuMs(() => [injectionPattern(text), injectionExcerpt(text)]);
    const baseline = medianCpuMs(() => /[#$%&]/.test(text));
    slowest = Math.max(slowest, screen);
    rows.push([
      shape,
      screen.toFixed(1),
      baseline.toFixed(1),
      ratio(screen / baseline),
      verdict(screen < TARGET_MS),
    ]);
  }
  console.log(`\nPrompt-injection screen, 1 MiB of each shape: CPU ms, median of ${RUNS}`);
  printTable(['shape', 'screen', 'one pass', 'ratio', `< ${TARGET_MS} ms`], rows);
  console.log(
    `slowest shape: ${slowest.toFixed(1)} ms (target < ${TARGET_MS} ms: ${verdict(slowest < TARGET_MS)})`,
  );
  return Promise.resolve();
}
