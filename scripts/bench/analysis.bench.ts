/**
 * A full analysis of a large dataset, on the builtin model. In one run:
 *   1. generates a deterministic CSV of 2,000,000 rows (`--rows=<n>`): one row a minute
 *      from 2022-01-01 (`at`), a low-cardinality `region`, numbers with a planted trend
 *      and planted anomalies (`sales`), a seasonal one (`temperature`), skewed integers
 *      (`latency_ms`), small counts (`units`) and a free-text-ish `comment`;
 *   2. starts the built API as its own process, uploads the file over HTTP
 *      (`POST /v1/datasets`, text/csv), then runs `POST /v1/analyses?wait=60` with every
 *      agent, `--runs=<n>` times (default 3), one after the other;
 *   3. times, as the baseline, a plain full scan of the same table through `pg`
 *      (`SELECT count(*), avg(<each numeric column>)`): the floor an agent that reads every
 *      row can reach on this machine;
 * and prints per run the analysis' wall time (completedAt − startedAt, and as the client
 * saw it), each agent's `durationMs`, wall / slowest agent, whether the planted anomalies
 * were found, and the targets: full analysis ≤ 3 s, wall / slowest agent ≤ 1.3.
 */
import { generateApiKey } from '@app/auth';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  ensureApiBuilt,
  openBenchDatabase,
  startApiService,
  type ApiService,
} from './bench-service';
import { upload } from './ingest.bench';

const MB = 1024 * 1024;
const START_MS = Date.UTC(2022, 0, 1);
const MINUTE_MS = 60_000;
const REGIONS = ['north', 'south', 'east', 'west', 'central'];
const MOODS = ['great', 'fine', 'slow', 'terrible', 'friendly', 'late', 'broken', 'excellent'];
const THINGS = ['delivery', 'support', 'checkout', 'packaging', 'the app', 'pricing'];
/** Planted anomalies of `sales`, as fractions of the file (row = 1 + floor(fraction · rows)). */
const PLANTED = [
  { at: 0.0612, delta: 900 },
  { at: 0.3141, delta: -800 },
  { at: 0.5, delta: 1200 },
  { at: 0.7777, delta: -950 },
  { at: 0.9876, delta: 1000 },
];
const TARGET_WALL_S = 3;
const TARGET_RATIO = 1.3;

/** A deterministic pseudo-random sequence (LCG) in [0, 1), so the file is the same every run. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

function plantedRows(rows: number): Map<number, number> {
  return new Map(PLANTED.map(({ at, delta }) => [1 + Math.floor(at * rows), delta]));
}

export async function generateAnalysisCsv(path: string, rows: number): Promise<void> {
  const random = lcg(20_221_101);
  // Roughly normal noise: the sum of four uniforms, centred (variance 1/3).
  const noise = () => random() + random() + random() + random() - 2;
  const planted = plantedRows(rows);
  const out = createWriteStream(path);
  out.write('at,region,sales,temperature,latency_ms,units,comment\n');
  let chunk = '';
  for (let row = 1; row <= rows; row++) {
    const day = (row - 1) / 1440;
    const at = new Date(START_MS + (row - 1) * MINUTE_MS).toISOString();
    const region = REGIONS[Math.floor(random() * REGIONS.length)] ?? '';
    // Trend: 0.05 a day (about 70 over the file), noise σ ≈ 23.
    const sales = 500 + 0.05 * day + 40 * noise() + (planted.get(row) ?? 0);
    const temperature = 12 + 10 * Math.sin((2 * Math.PI * day) / 365.25) + 3 * noise();
    const latency = Math.round(20 + 30 * random() * random() * random());
    const units = Math.floor(random() * 8);
    const comment =
      random() < 0.2
        ? ''
        : `${THINGS[Math.floor(random() * THINGS.length)] ?? ''} was ${MOODS[Math.floor(random() * MOODS.length)] ?? ''}`;
    chunk += `${at},${region},${sales.toFixed(2)},${temperature.toFixed(2)},${latency},${units},${comment}\n`;
    if (chunk.length >= 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

interface DatasetAnswer {
  id: string;
  rowCount: number;
  columns: Array<{ name: string; column: string; type: string }>;
}

interface AnalysisAnswer {
  status: string;
  startedAt: string | null;
  completedAt: string | null;
  agents: Array<{ name: string; status: string; durationMs: number; error?: string }>;
  result: { anomalies?: Array<{ column: string; row: number }> } | null;
}

interface Run {
  clientMs: number;
  wallMs: number;
  agents: AnalysisAnswer['agents'];
  plantedFound: number;
}

async function analyse(service: ApiService, key: string, datasetId: string, rows: number) {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${service.port}/v1/analyses?wait=60`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({
      datasetId,
      agents: ['profile', 'trends', 'anomalies', 'text', 'segments', 'summary'],
    }),
  });
  const text = await response.text();
  const clientMs = performance.now() - started;
  if (response.status !== 200) throw new Error(`analysis answered ${response.status}: ${text}`);
  const analysis = JSON.parse(text) as AnalysisAnswer;
  if (analysis.status !== 'succeeded' || analysis.startedAt === null || !analysis.completedAt)
    throw new Error(`analysis did not succeed: ${text.slice(0, 2000)}`);
  const failed = analysis.agents.filter((agent) => agent.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`agents failed: ${JSON.stringify(failed)}`);
  const found = new Set(
    (analysis.result?.anomalies ?? []).filter((a) => a.column === 'sales').map((a) => a.row),
  );
  return {
    clientMs,
    wallMs: Date.parse(analysis.completedAt) - Date.parse(analysis.startedAt),
    agents: analysis.agents,
    plantedFound: [...plantedRows(rows).keys()].filter((row) => found.has(row)).length,
  } satisfies Run;
}

/** Best of `runs` full scans computing what any agent must at least read: every numeric value. */
async function baselineScanMs(
  databaseUrl: string,
  dataset: DatasetAnswer,
  runs: number,
): Promise<number[]> {
  const numeric = dataset.columns.filter((c) => c.type === 'integer' || c.type === 'number');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      'SELECT table_name FROM datasets WHERE id = $1',
      [dataset.id],
    );
    const table = `dataset_rows."${rows[0]?.table_name ?? ''}"`;
    const sql = `SELECT count(*), ${numeric.map((c) => `avg("${c.column}")`).join(', ')} FROM ${table}`;
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await client.query(sql);
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    await client.end();
  }
}

function option(name: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag === undefined ? fallback : Number(flag.split('=')[1]);
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

export async function runAnalysisBenchmark(): Promise<void> {
  ensureApiBuilt('analysis');
  const rows = option('rows', 2_000_000);
  const runs = option('runs', 3);
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-analysis-'));
  const database = await openBenchDatabase(workDir);
  const file = join(workDir, 'analysis.csv');
  let service: ApiService | undefined;
  try {
    process.stdout.write(`analysis: generating ${rows.toLocaleString('en')} rows... `);
    await generateAnalysisCsv(file, rows);
    console.log(`${(statSync(file).size / MB).toFixed(0)} MB`);
    const key = generateApiKey().key;
    service = await startApiService(database.url, workDir, key);
    const uploadStarted = performance.now();
    const answer = await upload(service.port, key, file);
    if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${answer.body}`);
    const dataset = JSON.parse(answer.body) as DatasetAnswer;
    console.log(
      `analysis: uploaded in ${seconds(performance.now() - uploadStarted)} s ` +
        `(${dataset.rowCount.toLocaleString('en')} rows, columns ${dataset.columns.map((c) => `${c.name}:${c.type}`).join(', ')})`,
    );

    const results: Run[] = [];
    for (let run = 0; run < runs; run++) {
      results.push(await analyse(service, key, dataset.id, rows));
    }
    const baseline = await baselineScanMs(database.url, dataset, Math.max(3, runs));

    const names = results[0]?.agents.map((agent) => agent.name) ?? [];
    console.table(
      results.map((r, i) => {
        const slowest = Math.max(...r.agents.map((agent) => agent.durationMs));
        return {
          run: i + 1,
          'wall s': seconds(r.wallMs),
          'client s': seconds(r.clientMs),
          ...Object.fromEntries(
            names.map((name) => [
              `${name} s`,
              seconds(r.agents.find((agent) => agent.name === name)?.durationMs ?? NaN),
            ]),
          ),
          'wall/slowest': (r.wallMs / slowest).toFixed(2),
          'planted found': `${r.plantedFound}/${PLANTED.length}`,
        };
      }),
    );
    const walls = results.map((r) => r.wallMs);
    const ratios = results.map((r) => r.wallMs / Math.max(...r.agents.map((a) => a.durationMs)));
    console.log(
      `baseline: SELECT count(*), avg(<each numeric column>) over the table through pg: ` +
        `best ${seconds(Math.min(...baseline))} s, median ${seconds(median(baseline))} s ` +
        `(${baseline.map(seconds).join(', ')})`,
    );
    console.log(
      `analysis: wall median ${seconds(median(walls))} s (best ${seconds(Math.min(...walls))} s, ` +
        `${(median(walls) / median(baseline)).toFixed(1)}× the baseline scan); ` +
        `wall/slowest median ${median(ratios).toFixed(2)}`,
    );
    console.log(
      `targets: full analysis ≤ ${TARGET_WALL_S} s; wall/slowest agent ≤ ${TARGET_RATIO} ` +
        '(2 cores shared with PostgreSQL: compare rows of one run, not across machines)',
    );
  } finally {
    await service?.stop();
    await database.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
