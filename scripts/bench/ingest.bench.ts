/**
 * CSV ingestion against PostgreSQL's own loader. For each file size (default 100 MB and
 * 4× that; `--size=<MB>` sets the first), in one run:
 *   1. generates a CSV of mixed types (integers, decimals, booleans, dates, datetimes,
 *      text with quoted commas and doubled quotes);
 *   2. starts the built API as its own process and uploads the file over HTTP
 *      (`POST /v1/datasets`, text/csv, streamed), timing it until the 201;
 *   3. times `psql \copy` of the same file into a table of the same shape;
 * and prints both times, their ratio and the service's peak RSS (VmHWM), next to the
 * targets: ratio ≤ 1.2, peak RSS ≤ 256 MB and flat across sizes.
 */
import { generateApiKey } from '@app/auth';
import { startEmbeddedPostgres } from '@app/database';
import { type ColumnType, SQL_TYPES } from '@app/datasets';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');
const MB = 1024 * 1024;
const HEADER = 'id,sensor,reading,ratio,ok,day,at,comment\n';
const SENSORS = ['alpha', 'beta', 'gamma, delta', 'epsilon "e"', 'zeta'];

function quoted(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function generateCsv(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  let row = 0;
  out.write(HEADER);
  while (written < bytes) {
    let chunk = '';
    for (let i = 0; i < 2000; i++, row++) {
      const at = new Date(1_700_000_000_000 + row * 37_000).toISOString();
      const comment = row % 7 === 0 ? '' : quoted(`note ${row % 997}, said "${row % 13}"`);
      chunk += `${row},${quoted(SENSORS[row % 5] ?? '')},${(row * 7919) % 100003},${(Math.sin(row) * 1000).toFixed(4)},${row % 3 === 0},${at.slice(0, 10)},${at},${comment}\n`;
    }
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitReady(url: string): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
}

/** Peak resident set size of a process so far, in MB (Linux /proc). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function upload(
  port: number,
  key: string,
  file: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/datasets?name=bench',
        headers: {
          'x-api-key': key,
          'content-type': 'text/csv',
          'content-length': statSync(file).size,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(req);
  });
}

export async function createScratchDatabase(
  serverUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sightline_bench_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

interface Result {
  sizeMb: number;
  uploadS: number;
  psqlS: number;
  peakRssMb: number;
  idleRssMb: number;
}

async function measureSize(
  databaseUrl: string,
  workDir: string,
  sizeMb: number,
  key: string,
): Promise<Result> {
  const file = join(workDir, `bench-${sizeMb}.csv`);
  process.stdout.write(`ingest: generating ${sizeMb} MB... `);
  await generateCsv(file, sizeMb * MB);
  console.log(`${(statSync(file).size / MB).toFixed(0)} MB`);

  const port = await freePort();
  // BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service.
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const service = spawn(
    process.execPath,
    [...nodeArgs, join(ROOT, 'dist', 'apps', 'api', 'main.js')],
    {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        JWT_SECRET: 'bench-'.repeat(8),
        ENFORCE_HTTPS: 'false',
        BOOTSTRAP_ADMIN_API_KEY: key,
        DATASET_MAX_BYTES: String(64 * 1024 ** 3),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  try {
    await waitReady(`http://127.0.0.1:${port}/health/ready`);
    const idleRssMb = peakRssMb(service.pid ?? 0);
    const started = performance.now();
    const answer = await upload(port, key, file);
    const uploadS = (performance.now() - started) / 1000;
    if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${answer.body}`);
    const peak = peakRssMb(service.pid ?? 0);
    const dataset = JSON.parse(answer.body) as {
      columns: Array<{ column: string; type: ColumnType }>;
    };

    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const table = `bench_copy_${sizeMb}`;
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(
      `CREATE TABLE ${table} (${dataset.columns.map((c) => `"${c.column}" ${SQL_TYPES[c.type]}`).join(', ')})`,
    );
    const copyStarted = performance.now();
    execFileSync(
      'psql',
      [databaseUrl, '-q', '-c', `\\copy ${table} FROM '${file}' WITH (FORMAT csv, HEADER true)`],
      {
        stdio: 'inherit',
      },
    );
    const psqlS = (performance.now() - copyStarted) / 1000;
    await client.query(`DROP TABLE ${table}`);
    await client.end();
    return { sizeMb, uploadS, psqlS, peakRssMb: peak, idleRssMb };
  } finally {
    service.kill('SIGTERM');
    await once(service, 'exit');
    rmSync(file, { force: true });
  }
}

export async function runIngestBenchmark(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'apps', 'api', 'main.js'))) {
    console.log('ingest: building the API first (npm run build)');
    spawnSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'inherit' });
  }
  const flag = process.argv.find((arg) => arg.startsWith('--size='));
  const base = flag === undefined ? 100 : Number(flag.split('=')[1]);
  const sizes = process.argv.includes('--single') ? [base] : [base, base * 4];
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-ingest-'));
  const external = process.env.DATABASE_URL;
  const embedded =
    external === undefined
      ? await startEmbeddedPostgres(
          { dir: join(workDir, 'pg'), port: await freePort() },
          { log: () => undefined, warn: console.warn },
        )
      : undefined;
  // A server given by DATABASE_URL gets a database of its own for the run, so the bootstrap
  // key below is always the first (and an earlier run's keys are never in the way).
  const scratch = external === undefined ? undefined : await createScratchDatabase(external);
  const databaseUrl = scratch?.url ?? embedded?.url ?? '';
  try {
    const results: Result[] = [];
    // The first start bootstraps the database with this key; later starts find it there.
    const key = generateApiKey().key;
    for (const size of sizes) results.push(await measureSize(databaseUrl, workDir, size, key));
    console.table(
      results.map((r) => ({
        'file MB': r.sizeMb,
        'upload s': r.uploadS.toFixed(2),
        'upload MB/s': (r.sizeMb / r.uploadS).toFixed(1),
        'psql \\copy s': r.psqlS.toFixed(2),
        'psql MB/s': (r.sizeMb / r.psqlS).toFixed(1),
        'ratio upload/psql': (r.uploadS / r.psqlS).toFixed(2),
        'service RSS idle MB': r.idleRssMb.toFixed(0),
        'service peak RSS MB': r.peakRssMb.toFixed(0),
      })),
    );
    console.log('targets: ratio ≤ 1.2; peak RSS ≤ 256 MB, and the same for the 4× file');
  } finally {
    await scratch?.drop();
    await embedded?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
