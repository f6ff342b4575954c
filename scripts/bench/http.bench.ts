/**
 * The cost of Sightline's HTTP pipeline per request. Measures, in one run and
 * at the same concurrency: a bare `node:http` server (the ceiling), bare
 * Fastify, and the full app (`/health/live` through logging, request ids,
 * helmet, CORS, compression and the Nest router; then an authenticated read, without
 * and with its OpenTelemetry span exported to a local collector). Prints req/s, p99
 * latency and the ratio of the app to each baseline.
 */
import { ApiKeysService, OrganizationBootstrapService } from '@app/auth';
import { loadConfig } from '@app/config';
import { startEmbeddedPostgres } from '@app/database';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApiModule } from '../../apps/api/src/api.module';
import { createApiApp } from '../../apps/api/src/http/create-api-app';
import type { BenchOptions } from './bench-options';

interface Measured {
  name: string;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
}

async function measure(
  name: string,
  url: string,
  options: BenchOptions,
  headers: Record<string, string> = {},
): Promise<Measured> {
  const result = await autocannon({
    headers,
    url,
    connections: options.connections,
    duration: options.durationSeconds,
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

export async function runHttpBenchmark(options: BenchOptions): Promise<void> {
  console.log(`http: ${options.connections} connections, ${options.durationSeconds} s per target`);
  const results: Measured[] = [];

  const bare = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end('{"status":"ok"}');
  });
  results.push(await measure('node:http hello', `${await listen(bare)}/`, options));
  bare.close();

  const fastify = Fastify();
  fastify.get('/health/live', () => ({ status: 'ok' }));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  results.push(
    await measure(
      'fastify hello',
      `http://127.0.0.1:${(fastify.server.address() as { port: number }).port}/health/live`,
      options,
    ),
  );
  await fastify.close();

  // The app needs a database to boot; /health/live itself does not touch it.
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  const external = process.env.DATABASE_URL;
  const embedded =
    external === undefined
      ? await startEmbeddedPostgres(
          { dir: dataDir, port: 54399 },
          { log: () => undefined, warn: console.warn },
        )
      : undefined;
  const databaseUrl = external ?? embedded?.url ?? '';
  // Accepts OTLP exports and discards them, as a collector on the same machine would.
  const collector = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
  });
  const collectorUrl = await listen(collector);
  const boot = async (env: Record<string, string> = {}) => {
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: 'b'.repeat(32),
      ENFORCE_HTTPS: 'false',
      ...env,
    });
    // Log lines are produced and serialised as in production, then discarded.
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const app = await createApiApp(
      ApiModule.forRoot(config, { databaseUrl, logging: { destination: sink } }),
      config,
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    return { app, baseUrl: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  };
  try {
    const { app, baseUrl } = await boot();
    results.push(
      await measure(
        'sightline /health/live (full pipeline, info logging)',
        `${baseUrl}/health/live`,
        options,
      ),
    );
    // An authenticated read: API key resolved from the principal cache, permission checked.
    // A service key, because that role is exempt from rate limits (a load test would be throttled).
    const organization = await app.get(OrganizationBootstrapService).createOrganization('Bench');
    const serviceKey = await app
      .get(ApiKeysService)
      .issue(organization.organizationId, 'bench', 'service', null);
    results.push(
      await measure(
        'sightline GET /v1/auth/me (API key, cached principal)',
        `${baseUrl}/v1/auth/me`,
        options,
        {
          'x-api-key': serviceKey.key,
        },
      ),
    );
    await app.close();
    // The same read with its span recorded and exported (OTEL_EXPORTER_OTLP_ENDPOINT set).
    const traced = await boot({ OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl });
    results.push(
      await measure(
        'sightline GET /v1/auth/me (same, spans exported over OTLP)',
        `${traced.baseUrl}/v1/auth/me`,
        options,
        { 'x-api-key': serviceKey.key },
      ),
    );
    await traced.app.close();
  } finally {
    collector.close();
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  console.table(
    results.map((r) => ({
      target: r.name,
      'req/s': Math.round(r.requestsPerSecond),
      'p99 ms': r.p99Ms,
      errors: r.errors,
    })),
  );
  const [ceiling, fastifyBaseline, ...sightline] = results;
  if (ceiling === undefined || fastifyBaseline === undefined) return;
  for (const row of sightline) {
    const toNode = (row.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2);
    const toFastify = (row.requestsPerSecond / fastifyBaseline.requestsPerSecond).toFixed(2);
    console.log(`${row.name}: ${toNode} of node:http, ${toFastify} of fastify`);
  }
  console.log('(load generator in the same process: compare rows of one run, not across machines)');
}
