import { Client } from 'pg';
import { type Json, uploadCsv } from '../support/datasets';
import { call, Factory } from '../support/factory';
import { FakeOtlpCollector } from '../support/fake-otlp-collector';
import { until } from '../support/poll';
import { ServiceProcess, waitForStatus } from '../support/service-process';
import { startTestApp, type TestApp } from '../support/test-app';

const STALE_SECONDS = 3;
jest.setTimeout(90_000);

/**
 * Analyses run by the built worker process (the api queues only): cancelling from the api
 * stops the worker's run and its SQL, and a worker killed mid-analysis is replaced and the
 * analysis runs again to one result with one set of metrics. The worker's agent spans
 * reach an OpenTelemetry collector.
 */
describe('analyses in a separate worker process', () => {
  let app: TestApp;
  let analyst: string;
  let datasetId: string;
  let table: string;
  let db: Client;
  let worker: ServiceProcess;
  const collector = new FakeOtlpCollector();
  let collectorUrl: string;

  async function startWorker(): Promise<ServiceProcess> {
    const started = new ServiceProcess(
      'worker',
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: app.database.url,
        WORKER_HEALTH_PORT: '0',
        ANALYSIS_STALE_SECONDS: String(STALE_SECONDS),
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
      },
      process.cwd(),
    );
    const port = await started.listeningPort(30_000);
    await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 30_000);
    return started;
  }

  const request = (method: string, path: string, body?: unknown) =>
    call(app.baseUrl, method, path, { headers: { 'x-api-key': analyst }, body });

  /** The queue's jobs for `analysisId`, once none is running or waiting to retry. */
  function settledJobs(analysisId: string): Promise<Array<{ state: string; retry_count: number }>> {
    return until('the analysis job to settle', async () => {
      const { rows } = await db.query<{ state: string; retry_count: number }>(
        `SELECT state, retry_count FROM pgboss.job WHERE name = 'analysis' AND data->>'analysisId' = $1`,
        [analysisId],
      );
      return rows.length > 0 && rows.every((row) => row.state !== 'active' && row.state !== 'retry')
        ? rows
        : undefined;
    });
  }

  /** The worker's statements waiting on the table lock the test holds. */
  async function blockedWorkerQueries(): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE application_name = 'sightline-worker' AND state = 'active' AND wait_event_type = 'Lock'`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Holds an exclusive lock on the dataset's table: every tool query waits on it. */
  async function lockTable(): Promise<Client> {
    const holder = new Client({ connectionString: app.database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return holder;
  }

  async function release(holder: Client): Promise<void> {
    await holder.query('COMMIT');
    await holder.end();
  }

  beforeAll(async () => {
    collectorUrl = await collector.start();
    app = await startTestApp({ env: { WORKERS: 'off', RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    const lines = ['day,sales'];
    for (let d = 0; d < 60; d++) {
      const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${day},${100 + 3 * d + ((d * 37) % 11) + (d === 40 ? 300 : 0)}`);
    }
    datasetId = String((await uploadCsv(app, analyst, `${lines.join('\n')}\n`)).body.id);
    db = new Client({ connectionString: app.database.url });
    await db.connect();
    const { rows } = await db.query<{ table_name: string }>(
      'SELECT table_name FROM datasets WHERE id = $1',
      [datasetId],
    );
    table = `dataset_rows."${rows[0]?.table_name ?? ''}"`;
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker.kill();
    await db.end();
    await app.close();
    await collector.stop();
  });

  it("sends the worker's agent spans to the OpenTelemetry collector, in the caller's trace", async () => {
    const callerTrace = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    const created = await call(app.baseUrl, 'POST', '/v1/analyses', {
      headers: { 'x-api-key': analyst, traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: { datasetId },
    });
    expect(created.status).toBe(202);
    const id = String(created.body.id);

    // The worker batches spans and sends them every few seconds.
    const root = await until('the analysis span at the collector', () =>
      Promise.resolve(collector.spans.find((span) => span.values['sightline.analysis.id'] === id)),
    );
    // The trace context travelled with the job, from the api's request to this process.
    expect(root).toMatchObject({
      name: 'Sightline analysis',
      service: 'sightline',
      traceId: callerTrace,
      parentSpanId: callerSpan,
    });
    const analysis = (await request('GET', `/v1/analyses/${id}`)).body;
    expect(analysis.status).toBe('succeeded');
    const agents = collector.spans
      .filter((span) => span.traceId === root.traceId)
      .map((span) => span.values['gen_ai.agent.name'])
      .filter((name) => name !== undefined);
    expect(agents.sort()).toEqual(
      (analysis.agents as Array<{ name: string }>).map((agent) => agent.name).sort(),
    );
  });

  it('cancels from the api a run in the worker, stopping its SQL', async () => {
    const holder = await lockTable();
    try {
      const created = await request('POST', '/v1/analyses', { datasetId });
      expect(created.status).toBe(202);
      const id = String(created.body.id);
      await until('the worker to block on the lock', async () =>
        (await blockedWorkerQueries()) > 0 ? true : undefined,
      );

      const cancelled = await request('DELETE', `/v1/analyses/${id}`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      // The lock is still held: the worker's statements end only because they were cancelled.
      await until('the worker to cancel its statements', async () =>
        (await blockedWorkerQueries()) === 0 ? true : undefined,
      );
      await release(holder);

      // Nothing may be written after the cancel: look once the worker is done with the job.
      await settledJobs(id);
      const analysis = (await request('GET', `/v1/analyses/${id}`)).body;
      expect(analysis).toMatchObject({ status: 'cancelled', error: 'cancelled', result: null });
      const { rows } = await db.query('SELECT 1 FROM metrics WHERE analysis_id = $1', [id]);
      expect(rows).toEqual([]);
    } finally {
      await holder.end().catch(() => undefined);
    }
  });

  it('runs an analysis again after its worker is killed: one result, one set of metrics', async () => {
    const holder = await lockTable();
    let id = '';
    try {
      const created = await request('POST', '/v1/analyses', { datasetId });
      id = String(created.body.id);
      await until('the worker to start it', async () =>
        (await blockedWorkerQueries()) > 0 ? true : undefined,
      );
      expect((await request('GET', `/v1/analyses/${id}`)).body.status).toBe('running');
      worker.signal('SIGKILL');
      await worker.exited;
    } finally {
      await release(holder);
    }

    worker = await startWorker();
    const analysis = await until('the analysis to finish', async () => {
      const body = (await request('GET', `/v1/analyses/${id}`)).body;
      return ['succeeded', 'failed', 'cancelled'].includes(String(body.status)) ? body : undefined;
    });
    expect(analysis.status).toBe('succeeded');
    const result = analysis.result as Json;
    expect(result.anomalies).toEqual([
      expect.objectContaining({ column: 'sales', row: 41, kind: 'spike' }),
    ]);

    const written = result.metrics as string[];
    expect(written.length).toBeGreaterThan(0);
    const { rows: stored } = await db.query<{ id: string }>(
      'SELECT id FROM metrics WHERE analysis_id = $1',
      [id],
    );
    expect(stored.map((row) => row.id).sort()).toEqual([...written].sort());
    // The worker completes the queue's job after the analysis row says succeeded.
    const jobs = await settledJobs(id);
    expect(jobs).toEqual([{ state: 'completed', retry_count: 1 }]);
    const events = await db.query<{ type: string; data: Json }>(
      'SELECT type, data FROM analysis_events WHERE analysis_id = $1 ORDER BY id',
      [id],
    );
    const statuses = events.rows.filter((e) => e.type === 'status').map((e) => e.data.status);
    expect(statuses).toEqual(['queued', 'running', 'running']);
    expect(events.rows.at(-1)?.type).toBe('completed');
  });
});
