import { Client } from 'pg';
import { Factory } from '../support/factory';
import { until } from '../support/poll';
import { ReportsClient } from '../support/reports';
import { ServiceProcess, waitForStatus } from '../support/service-process';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

const STALE_SECONDS = 3;
/** The most a report may hold, each drawn as a chart: generation takes seconds. */
const METRICS = 50;
const ROWS = 200_000;
const FORMATS = ['pdf', 'html'];
jest.setTimeout(180_000);

/** A worker process and the proxy its database connections go through, which tells them apart. */
interface Worker {
  name: string;
  process: ServiceProcess;
  proxy: TcpProxy;
}

interface RunRow {
  status: string;
  started_at: Date | null;
  attempts: number;
  generated_at: Date | null;
  delivery_status: string;
}

/**
 * Two worker processes and an api that only queues (WORKERS=off): a report run whose worker
 * is killed mid-generation is taken over by the other worker once its heartbeat is stale,
 * and ends once — one set of documents, one webhook delivery.
 */
describe('a report run whose worker is killed mid-generation', () => {
  let app: TestApp;
  let db: Client;
  let reports: ReportsClient;
  let reportId: string;
  let receiver: WebhookReceiver;
  const workers: Worker[] = [];

  async function startWorker(name: string): Promise<Worker> {
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(app.database.url).port));
    await proxy.start();
    const started = new ServiceProcess(
      'worker',
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: proxy.rewrite(app.database.url),
        WORKER_HEALTH_PORT: '0',
        REPORT_STALE_SECONDS: String(STALE_SECONDS),
      },
      process.cwd(),
    );
    const port = await started.listeningPort(30_000);
    await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 30_000);
    return { name, process: started, proxy };
  }

  /**
   * The worker generating a run: the one whose connection ran a metric query or a heartbeat
   * since the run was claimed (pg_stat_activity keeps an idle connection's last statement).
   */
  function generatingWorker(claimedAt: Date): Promise<Worker> {
    return until('a worker to generate the run', async () => {
      const { rows } = await db.query<{ client_port: number }>(
        `SELECT client_port FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'sightline-worker'
           AND (query LIKE '%FROM metrics WHERE%' OR query LIKE 'UPDATE report_runs SET heartbeat_at%')
           AND query_start >= $1`,
        [claimedAt],
      );
      const ports = new Set(rows.map((row) => row.client_port));
      const generating = workers.filter((worker) =>
        worker.proxy.upstreamPorts().some((port) => ports.has(port)),
      );
      if (generating.length > 1) throw new Error('both workers are generating the run');
      return generating[0];
    });
  }

  async function runRow(runId: string): Promise<RunRow> {
    const { rows } = await db.query<RunRow>(
      'SELECT status, attempts, started_at, generated_at, delivery_status FROM report_runs WHERE id = $1',
      [runId],
    );
    const row = rows[0];
    if (row === undefined) throw new Error(`no run ${runId}`);
    return row;
  }

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    app = await startTestApp({ env: { WORKERS: 'off', RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    const factory = new Factory(app.app);
    const org = await factory.newOrganization();
    reports = new ReportsClient(
      app.baseUrl,
      (await factory.newApiKey(org.organizationId, 'analyst')).key,
    );
    db = new Client({ connectionString: app.database.url });
    await db.connect();
    // Yesterday and the day before (UTC): the period a run made now covers, and the one it
    // is compared with; a point every ~0.9 s, spread over the report's metrics.
    await db.query(
      `INSERT INTO metrics (id, organization_id, name, value, dimensions, observed_at, source, created_by)
       SELECT gen_random_uuid(), $1, 'load_' || (i % $3), 50 + 40 * sin(i / 500.0), '{}',
         date_trunc('day', now()) - interval '2 days' + (i::float8 / $2) * interval '2 days',
         'client', 'test'
       FROM generate_series(0, $2 - 1) AS i`,
      [org.organizationId, ROWS, METRICS],
    );
    const created = await reports.create({
      name: 'Load by host',
      metrics: Array.from({ length: METRICS }, (_, i) => `load_${i}`),
      schedule: '0 0 1 1 *',
      timezone: 'UTC',
      period: 'day',
      formats: FORMATS,
      webhookUrl: receiver.url(),
    });
    reportId = created.id;
    workers.push(...(await Promise.all([startWorker('a'), startWorker('b')])));
  });
  afterAll(async () => {
    for (const worker of workers) {
      await worker.process.kill();
      await worker.proxy.stop();
    }
    await db.end();
    await app.close();
    await receiver.close();
  });

  function ended(runId: string): Promise<RunRow> {
    return until(
      'the run to end',
      async () => {
        const run = await runRow(runId);
        return ['succeeded', 'failed'].includes(run.status) ? run : undefined;
      },
      60_000,
    );
  }

  /** The run's queue jobs once at most `open` of them are still active. */
  function settledJobs(runId: string, open: number): Promise<unknown[]> {
    return until('the run and delivery jobs to settle', async () => {
      const { rows } = await db.query<{ name: string; state: string; singleton_key: string }>(
        `SELECT name, state, singleton_key FROM pgboss.job
         WHERE data->>'runId' = $1 ORDER BY created_on`,
        [runId],
      );
      const active = rows.filter((row) => !['completed', 'failed'].includes(row.state));
      return active.length === open ? rows : undefined;
    });
  }

  /** One set of documents, one delivery recorded, one webhook received. */
  async function expectDeliveredOnce(runId: string): Promise<void> {
    const documents = await db.query<{ format: string; body: Buffer }>(
      'SELECT format, body FROM report_documents WHERE run_id = $1 ORDER BY format',
      [runId],
    );
    expect(documents.rows.map((row) => row.format)).toEqual([...FORMATS].sort());
    const html = documents.rows.find((row) => row.format === 'html')?.body.toString('utf8');
    expect(html).toContain(runId);
    const deliveries = await db.query<{ outcome: string; status_code: number }>(
      'SELECT outcome, status_code FROM report_deliveries WHERE run_id = $1',
      [runId],
    );
    expect(deliveries.rows).toEqual([{ outcome: 'delivered', status_code: 200 }]);
    const received = receiver.received.filter((hook) => hook.body.includes(runId));
    expect(received.map((hook) => [hook.method, hook.headers['webhook-id']])).toEqual([
      ['POST', `msg_${runId}`],
    ]);
  }

  it('generates a run once while both workers live: its heartbeat keeps it through rendering', async () => {
    const runId = await reports.run(reportId);
    expect(await ended(runId)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      delivery_status: 'succeeded',
    });
    expect(await settledJobs(runId, 0)).toEqual([
      { name: 'report-run', state: 'completed', singleton_key: null },
      { name: 'report-delivery', state: 'completed', singleton_key: null },
    ]);
    await expectDeliveredOnce(runId);
  });

  it('finishes a run once on the other worker after its worker is killed', async () => {
    const runId = await reports.run(reportId);
    const claimed = await until('the run to be generating', async () => {
      const run = await runRow(runId);
      const generating = run.status === 'running' && run.generated_at === null;
      return generating && run.started_at !== null ? run.started_at : undefined;
    });
    const holder = await generatingWorker(claimed);
    holder.process.signal('SIGKILL');
    await holder.process.exited;
    // Killed mid-generation, by the only worker that had claimed it.
    expect(await runRow(runId)).toMatchObject({
      status: 'running',
      attempts: 1,
      generated_at: null,
    });

    expect(await ended(runId)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      delivery_status: 'succeeded',
    });
    const survivor = workers.find((worker) => worker !== holder);
    expect(survivor?.process.output.join('\n')).toContain(
      `Report run ${runId}: its process stopped; another will generate it`,
    );
    // Every job of the run has ended but the killed worker's, active until it expires.
    expect(await settledJobs(runId, 1)).toEqual([
      { name: 'report-run', state: 'active', singleton_key: null },
      { name: 'report-run', state: 'completed', singleton_key: `stale:${runId}` },
      { name: 'report-delivery', state: 'completed', singleton_key: null },
    ]);
    await expectDeliveredOnce(runId);
  });
});
