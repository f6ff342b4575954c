import { Client } from 'pg';
import { Factory } from '../support/factory';
import { until } from '../support/poll';
import { ReportsClient } from '../support/reports';
import { ServiceProcess, waitForStatus } from '../support/service-process';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const TICK_SECONDS = 1;
/** The scheduler's grace (two ticks): a due time this recent at a tick is current, not missed. */
const GRACE_MS = 2 * TICK_SECONDS * 1000;
const MINUTE = 60_000;
const DOWNTIME_MS = 3 * MINUTE;
const POLICIES = ['skip', 'latest', 'all'] as const;
type Policy = (typeof POLICIES)[number];
// Three due minutes, three minutes of downtime and the catch-up: about seven minutes.
jest.setTimeout(10 * MINUTE);

interface ScheduledRun {
  due_at: Date;
  status: string;
  attempts: number;
  /** Generation jobs sent for the run: one, or two schedulers both sent it. */
  jobs: number;
  documents: number;
}

/** The whole minutes in (`after`, `through`], ascending. */
function minutesIn(after: Date, through: Date): Date[] {
  const minutes: Date[] = [];
  for (
    let t = Math.floor(after.getTime() / MINUTE + 1) * MINUTE;
    t <= through.getTime();
    t += MINUTE
  )
    minutes.push(new Date(t));
  return minutes;
}

/**
 * Two api processes with WORKERS=inline and a worker on one database: three schedulers
 * ticking every second. Each due minute of a `* * * * *` report runs once; with every
 * process stopped for three minutes, the restart catches up by each report's policy.
 */
describe('scheduled reports across processes', () => {
  let database: TestDatabase;
  let db: Client;
  let analyst: string;
  let processes: ServiceProcess[] = [];
  let apiUrl = '';
  const reports = new Map<Policy, string>();
  /** Each report's cursor when every process had stopped after the first three minutes. */
  const stoppedThrough = new Map<Policy, Date>();

  async function startAll(): Promise<void> {
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REPORT_TICK_SECONDS: String(TICK_SECONDS),
    };
    const api = () =>
      new ServiceProcess('api', { ...env, PORT: '0', WORKERS: 'inline' }, process.cwd());
    const worker = new ServiceProcess('worker', { ...env, WORKER_HEALTH_PORT: '0' }, process.cwd());
    processes = [api(), api(), worker];
    const ports = await Promise.all(processes.map((started) => started.listeningPort(60_000)));
    await Promise.all(
      ports.map((port) => waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 60_000)),
    );
    apiUrl = `http://127.0.0.1:${ports[0]}`;
  }

  /** SIGTERM to every process; each must exit cleanly and leave no connection behind. */
  async function stopAll(): Promise<void> {
    for (const started of processes) started.signal('SIGTERM');
    expect(await Promise.all(processes.map((started) => started.exited))).toEqual([0, 0, 0]);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE 'sightline-%'`,
    );
    expect(rows[0]?.n).toBe(0);
  }

  async function scheduledThrough(policy: Policy): Promise<Date> {
    const { rows } = await db.query<{ scheduled_through: Date }>(
      'SELECT scheduled_through FROM reports WHERE id = $1',
      [reports.get(policy)],
    );
    const through = rows[0]?.scheduled_through;
    if (through === undefined) throw new Error(`no report for ${policy}`);
    return through;
  }

  async function scheduledRuns(policy: Policy, after = new Date(0)): Promise<ScheduledRun[]> {
    const { rows } = await db.query<ScheduledRun>(
      `SELECT run.due_at, run.status, run.attempts,
         (SELECT count(*)::int FROM pgboss.job
          WHERE name = 'report-run' AND data->>'runId' = run.id::text) AS jobs,
         (SELECT count(*)::int FROM report_documents WHERE run_id = run.id) AS documents
       FROM report_runs run
       WHERE run.report_id = $1 AND run.trigger = 'schedule' AND run.due_at > $2
       ORDER BY run.due_at`,
      [reports.get(policy), after],
    );
    return rows;
  }

  /** Runs of the due times expected, each generated once, by one job, into one document. */
  function onceEach(dueTimes: Date[]): ScheduledRun[] {
    return dueTimes.map((dueAt) => ({
      due_at: dueAt,
      status: 'succeeded',
      attempts: 1,
      jobs: 1,
      documents: 1,
    }));
  }

  async function unfinishedRuns(): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_runs WHERE status IN ('queued', 'running')`,
    );
    return rows[0]?.n ?? 0;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    // An api in this process only to issue a key: it schedules nothing and is gone before
    // the processes under test start.
    const keys = await startTestApp({ database, env: { WORKERS: 'off' } });
    const factory = new Factory(keys.app);
    const org = await factory.newOrganization();
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    await keys.close();
    await startAll();
  });
  afterAll(async () => {
    await Promise.all(processes.map((started) => started.kill()));
    await db.end();
    await database.drop();
  });

  it('runs every due minute once while three processes schedule', async () => {
    const since = new Map<Policy, Date>();
    for (const policy of POLICIES) {
      const created = await new ReportsClient(apiUrl, analyst).create({
        name: `Every minute (${policy})`,
        metrics: ['requests'],
        schedule: '* * * * *',
        timezone: 'UTC',
        period: 'schedule',
        catchUp: policy,
        formats: ['json'],
      });
      reports.set(policy, created.id);
      since.set(policy, await scheduledThrough(policy));
    }

    await until(
      'three due minutes of every report to run',
      async () => {
        for (const policy of POLICIES) {
          const done = (await scheduledRuns(policy)).filter((run) => run.status === 'succeeded');
          if (done.length < 3) return undefined;
        }
        return (await unfinishedRuns()) === 0 ? true : undefined;
      },
      4 * MINUTE,
    );
    await stopAll();

    for (const policy of POLICIES) {
      const through = await scheduledThrough(policy);
      stoppedThrough.set(policy, through);
      const due = minutesIn(since.get(policy) ?? through, through);
      expect(due.length).toBeGreaterThanOrEqual(3);
      expect({ policy, runs: await scheduledRuns(policy) }).toEqual({
        policy,
        runs: onceEach(due),
      });
    }
  });

  it('catches up after three minutes with every process stopped: skip none, latest one, all', async () => {
    // Restart three minutes on, at 15–40 s past a minute: no due time is then within the
    // scheduler's grace of the first tick, so which are missed follows from the clock alone.
    let restartAt = Date.now() + DOWNTIME_MS;
    const second = restartAt % MINUTE;
    if (second < 15_000) restartAt += 15_000 - second;
    else if (second > 40_000) restartAt += MINUTE - second + 15_000;
    // The one deliberate wait: the downtime itself.
    await new Promise((resolve) => setTimeout(resolve, restartAt - Date.now()));
    const restarted = new Date();
    await startAll();
    const ready = new Date();
    const ambiguous = minutesIn(
      new Date(restarted.getTime() - GRACE_MS - 1000),
      new Date(ready.getTime() + 1000),
    );
    if (ambiguous.length > 0)
      throw new Error(`a due minute fell while the processes started: ${ambiguous.join(', ')}`);

    await until(
      'every report to be scheduled since the restart and its runs to end',
      async () => {
        for (const policy of POLICIES) {
          if ((await scheduledThrough(policy)).getTime() < restarted.getTime()) return undefined;
        }
        return (await unfinishedRuns()) === 0 ? true : undefined;
      },
      MINUTE,
    );
    await stopAll();

    for (const policy of POLICIES) {
      const stopped = stoppedThrough.get(policy) ?? new Date();
      const due = minutesIn(stopped, await scheduledThrough(policy));
      const missed = due.filter((dueAt) => dueAt.getTime() < restarted.getTime());
      const current = due.filter((dueAt) => dueAt.getTime() > ready.getTime());
      expect(missed).toHaveLength(3);
      const expected = {
        skip: current,
        latest: [...missed.slice(-1), ...current],
        all: [...missed, ...current],
      }[policy];
      expect({ policy, runs: await scheduledRuns(policy, stopped) }).toEqual({
        policy,
        runs: onceEach(expected),
      });
    }
  });
});
