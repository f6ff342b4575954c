/**
 * Where the ingest path's CPU goes, in-process and without a database: for the
 * generated CSV of the `ingest` benchmark (`--size=<MB>`, default 100), the best of
 * four passes of each cumulative stage —
 *   read      the file's bytes through a stream (the baseline: no parsing at all);
 *   tokenize  + UTF-8 check and decode, CSV fields and rows (openCsv);
 *   types     + type inference of every value (TypeTracker);
 *   profile   + the one-pass profile (ColumnProfileBuilder), all on this thread;
 *   encode    + the COPY binary tuples of every row (BinaryCopyEncoder).
 * The service does all of this on one thread, but for the profile of the typed columns
 * (numbers, dates, booleans: most of `profile`), which its profile worker thread
 * computes, while PostgreSQL stores the tuples; on a 2-core machine those three
 * threads share the cores.
 */
import {
  BinaryCopyEncoder,
  ColumnProfileBuilder,
  DEFAULT_CSV_LIMITS,
  InlineTypedProfiles,
  openCsv,
  TypeTracker,
} from '@app/datasets';
import { restoreFastStringPrototype } from '@app/runtime';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCsv } from './bench-csv';

const MB = 1024 * 1024;
const STAGES = ['read', 'tokenize', 'types', 'profile', 'encode'] as const;
type Stage = (typeof STAGES)[number];

async function runStage(path: string, stage: Stage): Promise<number> {
  const started = performance.now();
  const source = createReadStream(path, { highWaterMark: 64 * 1024 });
  if (stage === 'read') {
    for await (const chunk of source) void chunk;
    return performance.now() - started;
  }
  const file = await openCsv(source, { limits: DEFAULT_CSV_LIMITS });
  const trackers = file.columns.map(() => new TypeTracker());
  // All on this thread: in the service the typed columns' profile runs on the profile thread.
  const typedProfiles = new InlineTypedProfiles();
  const profiles = file.columns.map((name, i) => new ColumnProfileBuilder(name, i, typedProfiles));
  // The values the type check reads, for the profile (as the loader keeps them per window).
  const values = file.columns.map(() => new Float64Array(0));
  const encoder = new BinaryCopyEncoder();
  let typed = false;
  for await (const batch of file) {
    if (stage === 'tokenize') continue;
    for (let c = 0; c < trackers.length; c++) {
      const tracker = trackers[c];
      if (values[c].length < batch.length) values[c] = new Float64Array(batch.length);
      const column = values[c];
      for (let r = 0; r < batch.length; r++)
        column[r] = tracker.observeValue(batch[r]?.[c] ?? null);
    }
    if (stage === 'types') continue;
    if (!typed) {
      // As the loader does after its sample: one type per column from then on.
      typed = true;
      profiles.forEach((profile, i) => profile.setType(trackers[i]?.type ?? 'string'));
      encoder.setTypes(trackers.map((tracker) => tracker.type));
    }
    for (let c = 0; c < profiles.length; c++)
      profiles[c]?.addWindow([batch], values[c], batch.length);
    if (stage === 'encode') encoder.encode([batch], values);
  }
  profiles.forEach((profile, i) => profile.settle(trackers[i]?.type ?? 'string'));
  const finished = await typedProfiles.finish();
  profiles.forEach((profile) => profile.profile(finished));
  return performance.now() - started;
}

export async function runIngestStagesBenchmark(): Promise<void> {
  const flag = process.argv.find((arg) => arg.startsWith('--size='));
  const sizeMb = flag === undefined ? 100 : Number(flag.split('=')[1]);
  restoreFastStringPrototype(); // as the service does once its modules are loaded
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-ingest-stages-'));
  const path = join(workDir, 'stages.csv');
  try {
    await generateCsv(path, sizeMb * MB);
    const megabytes = statSync(path).size / MB;
    const best = new Map<Stage, number>(STAGES.map((stage) => [stage, Infinity]));
    for (let pass = 0; pass < 4; pass++) {
      for (const stage of STAGES) {
        best.set(stage, Math.min(best.get(stage) ?? Infinity, await runStage(path, stage)));
      }
    }
    let previous = 0;
    console.table(
      STAGES.map((stage) => {
        const ms = best.get(stage) ?? 0;
        const row = {
          stage,
          'cumulative s': (ms / 1000).toFixed(2),
          'this stage s': ((ms - previous) / 1000).toFixed(2),
          'MB/s': (megabytes / (ms / 1000)).toFixed(1),
        };
        previous = ms;
        return row;
      }),
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
