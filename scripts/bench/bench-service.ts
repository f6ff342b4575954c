/**
 * The service and database of the benchmarks that run the built API as a process:
 * building it when stale, starting it on a free port, and a scratch database (on the
 * server at DATABASE_URL) or an embedded PostgreSQL to run it against.
 */
import { startEmbeddedPostgres } from '@app/database';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');

/**
 * A port nothing listens on at this moment, for a server that must be told its port: the
 * reservation is released just before the server binds it, so another process could take it
 * in between. The API could bind 0 and report its port, but only in an info-level log line,
 * and the benchmarks run it at `warn` because request logging would cost the figures; so it is
 * told a port too, and a lost race shows as the service exiting before it is ready.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function waitReady(url: string, exited?: () => boolean): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    if (exited?.() === true)
      throw new Error(`the service behind ${url} exited before it was ready`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never became ready`);
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

export interface ApiService {
  port: number;
  pid: number;
  /** SIGTERM, then waits for the process to exit. */
  stop: () => Promise<void>;
}

/**
 * The built API (`dist/apps/api/main.js`) as its own process on a free port, in production
 * mode, with `key` as the bootstrap admin key (the first start of a database creates it),
 * once `/health/ready` answers.
 */
export async function startApiService(
  databaseUrl: string,
  workDir: string,
  key: string,
  env: Readonly<Record<string, string>> = {},
): Promise<ApiService> {
  const port = await freePort();
  // BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service;
  // BENCH_API_MAIN=<path of another build's main.js> runs that build (A/B comparisons);
  // DATASET_* variables set for the benchmark reach the service too.
  // The service runs with the Node options the image and `npm start` give it (Dockerfile).
  const nodeArgs = [
    '--max-semi-space-size=16',
    ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const service = spawn(
    process.execPath,
    [...nodeArgs, process.env.BENCH_API_MAIN ?? join(ROOT, 'dist', 'apps', 'api', 'main.js')],
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
        // DATASET_* of the benchmark's own environment win (A/B runs of a setting, e.g.
        // DATASET_WARM_UP_BYTES=0 for a service that does not warm its ingest path).
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => name.startsWith('DATASET_')),
        ),
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = once(service, 'exit');
  const stop = async () => {
    if (service.exitCode === null && service.signalCode === null) service.kill('SIGTERM');
    await exited;
  };
  try {
    await waitReady(
      `http://127.0.0.1:${port}/health/ready`,
      () => service.exitCode !== null || service.signalCode !== null,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, pid: service.pid ?? 0, stop };
}

/** Newest modification time (ms) of the files below `dir` whose names end with `.ts`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (entry.endsWith('.ts')) newest = Math.max(newest, statSync(join(dir, entry)).mtimeMs);
  }
  return newest;
}

/** Builds the API (`nest build api`) when its bundle is missing or older than a source file. */
export function ensureApiBuilt(bench: string): void {
  const bundle = join(ROOT, 'dist', 'apps', 'api', 'main.js');
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const sources = Math.max(
    newestSource(join(ROOT, 'apps', 'api')),
    newestSource(join(ROOT, 'libs')),
  );
  if (built >= sources) return;
  console.log(
    `${bench}: building the API first (its bundle is ${built === 0 ? 'missing' : 'stale'})`,
  );
  const build = spawnSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`nest build api exited with ${build.status}`);
}

/**
 * The database of a benchmark run: a scratch database on the server at `DATABASE_URL` when
 * it is set (so the bootstrap key of the run is always the first, and an earlier run's keys
 * and datasets are never in the way), else an embedded PostgreSQL under `workDir`.
 */
export async function openBenchDatabase(
  workDir: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const external = process.env.DATABASE_URL;
  if (external !== undefined) {
    const scratch = await createScratchDatabase(external);
    return { url: scratch.url, close: scratch.drop };
  }
  const embedded = await startEmbeddedPostgres(
    { dir: join(workDir, 'pg'), port: await freePort() },
    { log: () => undefined, warn: console.warn },
  );
  return { url: embedded.url, close: () => embedded.stop() };
}
