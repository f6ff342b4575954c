/**
 * CSV ingestion against PostgreSQL's own loader. For each file size (default 100 MB and
 * 4× that; `--size=<MB>` sets the first), in one run:
 *   1. generates a CSV of mixed types (integers, decimals, booleans, dates, datetimes,
 *      text with quoted commas and doubled quotes);
 *   2. starts the built API as its own process (which warms its ingest path at start-up
 *      with a generated file of its own, DATASET_WARM_UP_BYTES; set it to 0 in the
 *      benchmark's environment for a cold process) and uploads the file over HTTP
 *      (`POST /v1/datasets`, text/csv, streamed), timing it until the 201; then uploads
 *      it again into the same process (its code compiled for this very file by then);
 *   3. times `psql \copy` of the same file into a table of the same shape;
 * and prints both times, their ratio and the service's peak RSS (VmHWM), next to the
 * targets: ratio ≤ 1.2, peak RSS ≤ 256 MB and flat across sizes. `--repeat=<n>` does
 * steps 2–3 n times per size (a fresh service each time) and prints medians, the range
 * of the ratios and the highest peak RSS: on a shared 2-core VM one run's `psql \copy`
 * of the same 100 MB varies from 2.1 to 3.5 s.
 */
import { generateApiKey } from '@app/auth';
import { type ColumnType, SQL_TYPES } from '@app/datasets';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateCsvInChildProcess } from './bench-csv';
import { ensureApiBuilt, openBenchDatabase, startApiService } from './bench-service';
import { machineBusyS, peakRssMb, postgresCpuS, processCpuS } from './process-stats';

const MB = 1024 * 1024;
/**
 * The HTTP client of the uploads, run as plain Node in a process of its own: it streams
 * the file and prints the status, the body and its own CPU seconds as JSON. Sending from
 * the benchmark's own process (ts-node, a heap full of the TypeScript compiler) cost
 * ~2 CPU-seconds per 400 MB upload, most of it garbage collection, taken from a 2-core
 * machine while the upload was timed; 0.25 s here.
 */
const UPLOAD_CLIENT = `
const [port, key, file] = process.argv.slice(1);
const started = process.cpuUsage();
const req = require('node:http').request(
  { host: '127.0.0.1', port: Number(port), method: 'POST', path: '/v1/datasets?name=bench',
    headers: { 'x-api-key': key, 'content-type': 'text/csv',
               'content-length': require('node:fs').statSync(file).size } },
  (response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (body += chunk));
    response.on('end', () => {
      const cpu = process.cpuUsage(started);
      process.stdout.write(JSON.stringify({ status: response.statusCode, body, cpuS: (cpu.user + cpu.system) / 1e6 }));
    });
  });
req.on('error', (error) => { console.error(error); process.exit(1); });
require('node:fs').createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(req);
`;

/** `POST /v1/datasets` of `file` as text/csv, streamed (see {@link UPLOAD_CLIENT}). */
export async function upload(
  port: number,
  key: string,
  file: string,
): Promise<{ status: number; body: string; clientCpuS: number }> {
  const client = spawn(process.execPath, ['-e', UPLOAD_CLIENT, String(port), key, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  client.stdout.setEncoding('utf8');
  client.stdout.on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(client, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the upload client exited with ${String(code)}`);
  const answer = JSON.parse(output) as { status: number; body: string; cpuS: number };
  return { status: answer.status, body: answer.body, clientCpuS: answer.cpuS };
}

interface Result {
  sizeMb: number;
  /** The first upload into a fresh service process (after its start-up warm-up). */
  uploadS: number;
  /** The same file again, into the same process. */
  warmUploadS: number;
  psqlS: number;
  peakRssMb: number;
  idleRssMb: number;
  /** CPU seconds of the service (Node), and of the whole machine, while the upload ran. */
  serviceCpuS: number;
  /** CPU seconds of PostgreSQL, and of the HTTP client, while the upload ran. */
  uploadPostgresCpuS: number;
  clientCpuS: number;
  uploadBusyS: number;
  /** CPU seconds of the whole machine while psql \copy ran. */
  psqlBusyS: number;
  psqlPostgresCpuS: number;
}

async function measureSize(
  databaseUrl: string,
  workDir: string,
  sizeMb: number,
  key: string,
  repeat: number,
): Promise<Result[]> {
  const file = join(workDir, `bench-${sizeMb}.csv`);
  process.stdout.write(`ingest: generating ${sizeMb} MB... `);
  await generateCsvInChildProcess(file, sizeMb * MB);
  console.log(`${(statSync(file).size / MB).toFixed(0)} MB`);
  try {
    const runs: Result[] = [];
    for (let run = 0; run < repeat; run++) {
      runs.push(await measureOnce(databaseUrl, workDir, sizeMb, key, file));
    }
    return runs;
  } finally {
    rmSync(file, { force: true });
  }
}

async function measureOnce(
  databaseUrl: string,
  workDir: string,
  sizeMb: number,
  key: string,
  file: string,
): Promise<Result> {
  const service = await startApiService(databaseUrl, workDir, key);
  try {
    const idleRssMb = peakRssMb(service.pid);
    const [serviceCpuBefore, busyBefore] = [processCpuS(service.pid), machineBusyS()];
    const postgresBefore = postgresCpuS();
    const started = performance.now();
    const answer = await upload(service.port, key, file);
    const uploadS = (performance.now() - started) / 1000;
    const serviceCpuS = processCpuS(service.pid) - serviceCpuBefore;
    const uploadBusyS = machineBusyS() - busyBefore;
    const uploadPostgresCpuS = postgresCpuS() - postgresBefore;
    const clientCpuS = answer.clientCpuS;
    if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${answer.body}`);
    const dataset = JSON.parse(answer.body) as {
      columns: Array<{ column: string; type: ColumnType }>;
    };
    const warmStarted = performance.now();
    const again = await upload(service.port, key, file);
    const warmUploadS = (performance.now() - warmStarted) / 1000;
    if (again.status !== 201) throw new Error(`upload answered ${again.status}: ${again.body}`);
    const peak = peakRssMb(service.pid);

    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const table = `bench_copy_${sizeMb}`;
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(
      `CREATE TABLE ${table} (${dataset.columns.map((c) => `"${c.column}" ${SQL_TYPES[c.type]}`).join(', ')})`,
    );
    const [psqlBusyBefore, psqlPostgresBefore] = [machineBusyS(), postgresCpuS()];
    const copyStarted = performance.now();
    execFileSync(
      'psql',
      [databaseUrl, '-q', '-c', `\\copy ${table} FROM '${file}' WITH (FORMAT csv, HEADER true)`],
      {
        stdio: 'inherit',
      },
    );
    const psqlS = (performance.now() - copyStarted) / 1000;
    const psqlBusyS = machineBusyS() - psqlBusyBefore;
    // psql's backend ends with it; its CPU seconds reach the server's children times only
    // once the server has reaped it, a moment later.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const psqlPostgresCpuS = postgresCpuS() - psqlPostgresBefore;
    await client.query(`DROP TABLE ${table}`);
    await client.end();
    return {
      sizeMb,
      uploadS,
      warmUploadS,
      psqlS,
      peakRssMb: peak,
      idleRssMb,
      serviceCpuS,
      uploadPostgresCpuS,
      clientCpuS,
      uploadBusyS,
      psqlBusyS,
      psqlPostgresCpuS,
    };
  } finally {
    await service.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** The runs of one size as one row: medians, each ratio's median (and range), the highest RSS. */
function summarise(runs: Result[]) {
  const of = (pick: (r: Result) => number) => median(runs.map(pick));
  const range = (pick: (r: Result) => number) => {
    const values = runs.map(pick);
    return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
  };
  return {
    sizeMb: runs[0]?.sizeMb ?? 0,
    runs: runs.length,
    uploadS: of((r) => r.uploadS),
    warmUploadS: of((r) => r.warmUploadS),
    psqlS: of((r) => r.psqlS),
    ratio: of((r) => r.uploadS / r.psqlS),
    ratioRange: range((r) => r.uploadS / r.psqlS),
    warmRatio: of((r) => r.warmUploadS / r.psqlS),
    warmRatioRange: range((r) => r.warmUploadS / r.psqlS),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    idleRssMb: of((r) => r.idleRssMb),
    serviceCpuS: of((r) => r.serviceCpuS),
    uploadPostgresCpuS: of((r) => r.uploadPostgresCpuS),
    clientCpuS: of((r) => r.clientCpuS),
    uploadBusyS: of((r) => r.uploadBusyS),
    psqlBusyS: of((r) => r.psqlBusyS),
    psqlPostgresCpuS: of((r) => r.psqlPostgresCpuS),
  };
}

export async function runIngestBenchmark(): Promise<void> {
  ensureApiBuilt('ingest');
  const flag = process.argv.find((arg) => arg.startsWith('--size='));
  const base = flag === undefined ? 100 : Number(flag.split('=')[1]);
  const sizes = process.argv.includes('--single') ? [base] : [base, base * 4];
  const repeatFlag = process.argv.find((arg) => arg.startsWith('--repeat='));
  const repeat = repeatFlag === undefined ? 1 : Math.max(1, Number(repeatFlag.split('=')[1]));
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-ingest-'));
  const database = await openBenchDatabase(workDir);
  const databaseUrl = database.url;
  try {
    const results: Array<ReturnType<typeof summarise>> = [];
    // The first start bootstraps the database with this key; later starts find it there.
    const key = generateApiKey().key;
    for (const size of sizes) {
      results.push(summarise(await measureSize(databaseUrl, workDir, size, key, repeat)));
    }
    console.table(
      results.map((r) => ({
        'file MB': r.sizeMb,
        'upload s': r.uploadS.toFixed(2),
        'upload MB/s': (r.sizeMb / r.uploadS).toFixed(1),
        'psql \\copy s': r.psqlS.toFixed(2),
        'psql MB/s': (r.sizeMb / r.psqlS).toFixed(1),
        'ratio upload/psql': r.ratio.toFixed(2),
        'again s': r.warmUploadS.toFixed(2),
        'ratio again/psql': r.warmRatio.toFixed(2),
        'service RSS idle MB': r.idleRssMb.toFixed(0),
        'service peak RSS MB': r.peakRssMb.toFixed(0),
      })),
    );
    // Where the time goes: a machine with both cores busy for the whole upload is CPU-bound,
    // and the service's share says how much of that is Node's parse-and-profile.
    console.table(
      results.map((r) => ({
        'file MB': r.sizeMb,
        'service CPU s': r.serviceCpuS.toFixed(2),
        'postgres CPU s, upload': r.uploadPostgresCpuS.toFixed(2),
        'client CPU s': r.clientCpuS.toFixed(2),
        'machine CPU s, upload': r.uploadBusyS.toFixed(2),
        'postgres CPU s, psql': r.psqlPostgresCpuS.toFixed(2),
        'machine CPU s, psql': r.psqlBusyS.toFixed(2),
        'cores busy, upload': (r.uploadBusyS / r.uploadS).toFixed(2),
        'cores busy, psql': (r.psqlBusyS / r.psqlS).toFixed(2),
      })),
    );
    console.log(
      'upload: the first upload into a fresh service (warmed at start-up with a file of its own);\n' +
        'again: the same file into the same process (peak RSS covers both). CPU columns: the first upload.',
    );
    if (repeat > 1) {
      console.table(
        results.map((r) => ({
          'file MB': r.sizeMb,
          runs: r.runs,
          'ratio upload/psql, range': r.ratioRange,
          'ratio again/psql, range': r.warmRatioRange,
        })),
      );
      console.log(`each figure above is the median of ${repeat} runs (peak RSS: the highest)`);
    }
    console.log('targets: ratio ≤ 1.2; peak RSS ≤ 256 MB, and the same for the 4× file');
  } finally {
    await database.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}
