/**
 * Metrics reads over a million points. Seeds 1,000,000 points of one metric name, one
 * every 31.5 s over the year before today (UTC), with `region` and `host` dimensions,
 * straight in SQL (the columns `MetricsRepository.insert` writes, and its `metric_names`
 * row), then `VACUUM ANALYZE` so series can aggregate from the covering index alone, and
 * `CHECKPOINT`. Then, in one run, on one in-process server and at the same concurrency,
 * each target loaded for a second first (not counted) and then measured:
 *   hello     `GET /bench-hello`, a route added to the app's own Fastify instance: it
 *             passes Fastify and its hooks (request id, request log, helmet, CORS,
 *             compression, HTTP metrics) but skips the Nest router, the guards (API key,
 *             rate limit, permission, signature), the validation pipe, the exception
 *             filter and the cache and database: the ceiling;
 *   cached    `GET /v1/metrics?name=…&from=…` with a service API key, the same URL every
 *             time: after the warm-up, every request a cache hit;
 *   uncached  the same query with `from` one millisecond earlier on every request: still
 *             before the first point, so the same page of the newest 50, but a new cache
 *             key, so every request misses, reads PostgreSQL and stores its entry, as a
 *             real miss does (the TTL cannot be 0, and a write between reads would time
 *             the write too);
 * (autocannon sends no Accept-Encoding, so the list's 15 KB page goes out uncompressed)
 * and prints req/s, p99 and errors of each, with the list cache's hits and misses as
 * proof, the ratio cached/hello, and the time of `GET /v1/metrics/series?interval=day&
 * agg=avg` over all 1,000,000 points, one request at a time, each with `from` a day
 * earlier than the last (a new cache key over the same points): best and median of 7.
 *
 * The cache is Redis at `REDIS_URL` when set (keys under a `REDIS_KEY_PREFIX` of this
 * run's own, deleted after), in-process memory otherwise. The database is an embedded
 * PostgreSQL, or a scratch database on the server at `DATABASE_URL`, dropped after.
 * Targets: cached ≥ 60 % of hello at 50 connections; series ≤ 300 ms uncached.
 */
import { ApiKeysService, OrganizationBootstrapService } from '@app/auth';
import { loadConfig } from '@app/config';
import { startEmbeddedPostgres } from '@app/database';
import { PrometheusService } from '@app/observability';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { ApiModule } from '../../apps/api/src/api.module';
import { createApiApp } from '../../apps/api/src/http/create-api-app';
import type { BenchOptions } from './bench-options';
import { createScratchDatabase, freePort } from './bench-service';

const POINTS = 1_000_000;
const NAME = 'bench.latency_ms';
const DAY_MS = 86_400_000;
const SERIES_RUNS = 7;

interface Measured {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  hits: number;
  misses: number;
}

/** Seed window: the 365 days before today, UTC midnight to midnight. */
function seedWindow(): { start: Date; end: Date } {
  const end = new Date();
  end.setUTCHours(0, 0, 0, 0);
  return { start: new Date(end.getTime() - 365 * DAY_MS), end };
}

async function seed(
  databaseUrl: string,
  organizationId: string,
  createdBy: string,
  start: Date,
  end: Date,
): Promise<void> {
  const stepSeconds = (end.getTime() - start.getTime()) / 1000 / POINTS;
  const last = new Date(start.getTime() + (POINTS - 1) * stepSeconds * 1000);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    process.stdout.write(`metrics: seeding ${POINTS.toLocaleString('en')} points... `);
    const started = performance.now();
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO metrics (id, organization_id, name, value, unit, dimensions, observed_at, source,
         dataset_id, analysis_id, agent, tool_call_id, created_by)
       SELECT gen_random_uuid(), $1, $2, round((100 + 40 * sin(i / 2880.0) + 20 * random())::numeric, 3),
         'ms', jsonb_build_object('region', (ARRAY['eu', 'us', 'ap', 'sa'])[1 + i % 4], 'host', 'host-' || i % 20),
         $3::timestamptz + i * $4::interval, 'client', NULL, NULL, NULL, NULL, $5
       FROM generate_series(0, $6::int - 1) AS i`,
      [organizationId, NAME, start.toISOString(), `${stepSeconds} seconds`, createdBy, POINTS],
    );
    await client.query(
      `INSERT INTO metric_names (organization_id, name, count, last_observed_at) VALUES ($1, $2, $3, $4)`,
      [organizationId, NAME, POINTS, last.toISOString()],
    );
    await client.query('COMMIT');
    const inserted = performance.now();
    await client.query('VACUUM ANALYZE metrics');
    const vacuumed = performance.now();
    // The seed's dirty pages are written now rather than by a checkpoint during the load.
    await client.query('CHECKPOINT').catch((error: unknown) => {
      console.log(`(CHECKPOINT refused, the seed's writes may overlap the load: ${String(error)})`);
    });
    console.log(
      `${((inserted - started) / 1000).toFixed(1)} s insert, ` +
        `${((vacuumed - inserted) / 1000).toFixed(1)} s VACUUM ANALYZE`,
    );
  } finally {
    await client.end();
  }
}

/** Hits and misses of the list cache so far, from the app's Prometheus counter. */
async function listLookups(metrics: PrometheusService): Promise<{ hits: number; misses: number }> {
  const { values } = await metrics.cacheLookups.get();
  const count = (result: string) =>
    values
      .filter(({ labels }) => labels.cache === 'metrics.list' && labels.result === result)
      .reduce((sum, { value }) => sum + value, 0);
  return { hits: count('hit'), misses: count('miss') };
}

/** Requests still in flight when the load stops finish before anything else starts. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000));
}

/** Loads `url` for a second (not counted: warms V8 and the caches), then measures it. */
async function measure(
  name: string,
  url: string,
  options: BenchOptions,
  metrics: PrometheusService,
  extra: Partial<autocannon.Options> = {},
): Promise<Measured> {
  const load = { url, connections: options.connections, ...extra };
  await autocannon({ ...load, duration: 1 });
  await settle();
  const before = await listLookups(metrics);
  const result = await autocannon({ ...load, duration: options.durationSeconds });
  await settle();
  const after = await listLookups(metrics);
  return {
    name,
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    hits: after.hits - before.hits,
    misses: after.misses - before.misses,
  };
}

async function timeSeries(baseUrl: string, key: string, start: Date, end: Date): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < SERIES_RUNS; run++) {
    const from = new Date(start.getTime() - run * DAY_MS).toISOString();
    const url =
      `${baseUrl}/v1/metrics/series?name=${NAME}&interval=day&agg=avg` +
      `&from=${encodeURIComponent(from)}&to=${encodeURIComponent(end.toISOString())}`;
    const started = performance.now();
    const response = await fetch(url, { headers: { 'x-api-key': key } });
    const body = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`series answered ${response.status}: ${body}`);
  }
  return times;
}

/** Deletes this run's keys (the cache's entries and versions, the rate limiter's counters). */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
      const batch = keys as string[];
      if (batch.length > 0) await redis.unlink(...batch);
    }
  } finally {
    redis.disconnect();
  }
}

export async function runMetricsBenchmark(options: BenchOptions): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  const redisPrefix = `sightline-bench-${process.pid}-${Date.now()}:`;
  console.log(
    `metrics: ${options.connections} connections, ${options.durationSeconds} s per target; cache: ` +
      (redisUrl === undefined
        ? 'in-process memory (set REDIS_URL for Redis)'
        : `Redis at ${redisUrl}, prefix ${redisPrefix}`),
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  const external = process.env.DATABASE_URL;
  const embedded =
    external === undefined
      ? await startEmbeddedPostgres(
          { dir: dataDir, port: await freePort() },
          { log: () => undefined, warn: console.warn },
        )
      : undefined;
  const scratch = external === undefined ? undefined : await createScratchDatabase(external);
  const databaseUrl = scratch?.url ?? embedded?.url ?? '';
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: 'b'.repeat(32),
      ENFORCE_HTTPS: 'false',
      BOOTSTRAP_ON_START: 'false',
      REDIS_KEY_PREFIX: redisPrefix,
      ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl }),
    });
    // Log lines are produced and serialised as in production, then discarded.
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const app = await createApiApp(
      ApiModule.forRoot(config, { databaseUrl, logging: { destination: sink } }),
      config,
      { logger: false },
    );
    app
      .getHttpAdapter()
      .getInstance()
      .get('/bench-hello', () => ({ status: 'ok' }));
    await app.listen(0, '127.0.0.1');
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const metrics = app.get(PrometheusService);

    // A service key: that role may read metrics and is exempt from rate limits.
    const organization = await app.get(OrganizationBootstrapService).createOrganization('Bench');
    const serviceKey = await app
      .get(ApiKeysService)
      .issue(organization.organizationId, 'bench', 'service', null);
    const headers = { 'x-api-key': serviceKey.key };
    const { start, end } = seedWindow();
    await seed(databaseUrl, organization.organizationId, serviceKey.id, start, end);

    const results: Measured[] = [];
    results.push(await measure('hello', `${baseUrl}/bench-hello`, options, metrics));
    const listUrl = (from: Date) =>
      `/v1/metrics?name=${NAME}&from=${encodeURIComponent(from.toISOString())}`;
    const cachedUrl = `${baseUrl}${listUrl(new Date(start.getTime() - 1))}`;
    results.push(await measure('cached', cachedUrl, options, metrics, { headers }));
    let request = 0;
    results.push(
      await measure('uncached', `${baseUrl}/v1/metrics`, options, metrics, {
        headers,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              path: listUrl(new Date(start.getTime() - 2 - request++)),
            }),
          },
        ],
      }),
    );
    const series = await timeSeries(baseUrl, serviceKey.key, start, end);
    await app.close();
    if (redisUrl !== undefined) await deleteRedisKeys(redisUrl, redisPrefix);

    console.table(
      results.map((r) => ({
        target: r.name,
        'req/s': Math.round(r.requestsPerSecond),
        'p99 ms': r.p99Ms,
        errors: r.errors,
        'list cache hits': r.hits,
        'list cache misses': r.misses,
      })),
    );
    const [hello, cached] = results;
    if (hello !== undefined && cached !== undefined) {
      const ratio = cached.requestsPerSecond / hello.requestsPerSecond;
      console.log(`cached/hello: ${(ratio * 100).toFixed(0)} %`);
    }
    const sorted = [...series].sort((a, b) => a - b);
    console.log(
      `series (day, avg, a year of day buckets over ${POINTS.toLocaleString('en')} points, uncached, ` +
        `one at a time over HTTP): best ${sorted[0]?.toFixed(0)} ms, ` +
        `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms of ${series.length} ` +
        `(${series.map((ms) => ms.toFixed(0)).join(', ')})`,
    );
    console.log('targets: cached ≥ 60 % of hello at 50 connections; series ≤ 300 ms uncached');
    console.log(
      '(load generator in the same process: compare rows of one run, not across machines)',
    );
  } finally {
    await scratch?.drop();
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
