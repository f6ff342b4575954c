import type { OrganizationId } from '@app/tenancy';
import { CacheInfraModule } from '@app/cache';
import { ConfigModule } from '@app/config';
import { DatabaseModule, JobQueue, JobQueueModule } from '@app/database';
import { PrometheusModule } from '@app/observability';
import { ReportSchedulerJob, ReportsCoreModule } from '@app/reports';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, type TestingModule } from '@nestjs/testing';
import { ReportsRepository } from '../../libs/reports/src/repositories/reports.repository';
import {
  REPORT_RUN_QUEUE,
  ReportRunsService,
} from '../../libs/reports/src/services/report-runs.service';
import { parseReportSchedule } from '../../libs/reports/src/schedule/report-schedule';
import { formatInZone } from '../../libs/reports/src/schedule/zoned-time';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

const TICK_MS = 10 * 60 * 1000;
const ZONE = 'Europe/Berlin';

/**
 * A background process as far as scheduling goes: its own pool and job queue, and the
 * scheduler job built but not started, so the test is its clock (`tick(now)`).
 */
interface SchedulerProcess {
  job: ReportSchedulerJob;
  jobs: JobQueue;
  reports: ReportsRepository;
  close(): Promise<void>;
}

async function schedulerProcess(db: RepositoryDatabase, name: string): Promise<SchedulerProcess> {
  const url = db.database.url;
  const module: TestingModule = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(db.config),
      PrometheusModule,
      CacheInfraModule,
      DatabaseModule.forRoot({ connectionUrl: url, applicationName: name }),
      JobQueueModule.forRoot(url),
      ReportsCoreModule,
    ],
  }).compile();
  await module.init();
  const reports = module.get(ReportsRepository);
  const job = new ReportSchedulerJob(
    reports,
    module.get(ReportRunsService),
    db.config,
    new SchedulerRegistry(),
  );
  return { job, jobs: module.get(JobQueue), reports, close: () => module.close() };
}

interface RunRow {
  id: string;
  trigger: string;
  status: string;
  due_at: Date;
  period_start: Date;
  period_end: Date;
}

/**
 * `30 2 * * *` in Berlin across the 2027 transitions, run by two processes ticking on a
 * simulated clock: each due time runs once, the skipped 02:30 at 03:00+02:00 and the
 * repeated 02:30 at its first occurrence (see report-schedule.ts).
 */
describe('report scheduler across daylight saving, two processes', () => {
  let db: RepositoryDatabase;
  let first: SchedulerProcess;
  let second: SchedulerProcess;

  beforeAll(async () => {
    db = await repositoryDatabase();
    first = await schedulerProcess(db, 'sightline-test-scheduler-1');
    second = await schedulerProcess(db, 'sightline-test-scheduler-2');
  });
  // A test's report stops at the test's end, or a later test's ticks would catch it up.
  const made: Array<{ organizationId: OrganizationId; id: string }> = [];
  afterEach(async () => {
    for (const { organizationId, id } of made.splice(0)) {
      await first.reports.update(organizationId, id, { enabled: false, nextDueAt: null });
    }
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db?.close();
  });

  /** `30 2 * * *` in Berlin, catching up `all`, scheduled through `from`. */
  async function berlinReport(from: string) {
    const organizationId = await db.factory.newOrganization();
    const schedule = parseReportSchedule('30 2 * * *', ZONE);
    const report = await db.factory.newReport(organizationId, {
      schedule: schedule.expression,
      timezone: ZONE,
      catchUp: 'all',
      scheduledThrough: new Date(from),
      nextDueAt: schedule.nextRuns(new Date(from), 1)[0] ?? null,
    });
    made.push({ organizationId, id: report.id });
    return report;
  }

  const runsOf = (reportId: string) =>
    db.dataSource.query<RunRow[]>(
      `SELECT id, trigger, status, due_at, period_start, period_end
       FROM report_runs WHERE report_id = $1 ORDER BY due_at`,
      [reportId],
    );

  /** Both processes tick at once at every step from `from` to `until`; the runs they made. */
  async function tickBoth(from: string, until: string): Promise<number> {
    let created = 0;
    for (let now = Date.parse(from); now <= Date.parse(until); now += TICK_MS) {
      const made = await Promise.all([
        first.job.tick(new Date(now)),
        second.job.tick(new Date(now)),
      ]);
      created += made[0] + made[1];
    }
    return created;
  }

  // Periods are the local day before the due time: 23 hours on 28 March, 25 on 31 October.
  it.each([
    {
      transition: 'spring forward',
      from: '2027-03-27T00:00:00Z',
      until: '2027-03-30T00:00:00Z',
      runs: [
        ['2027-03-27T01:30:00Z', '2027-03-25T23:00:00Z', '2027-03-26T23:00:00Z'],
        ['2027-03-28T01:00:00Z', '2027-03-26T23:00:00Z', '2027-03-27T23:00:00Z'],
        ['2027-03-29T00:30:00Z', '2027-03-27T23:00:00Z', '2027-03-28T22:00:00Z'],
      ],
      local: [
        '2027-03-27T02:30:00+01:00',
        '2027-03-28T03:00:00+02:00',
        '2027-03-29T02:30:00+02:00',
      ],
    },
    {
      transition: 'fall back',
      from: '2027-10-29T00:00:00Z',
      until: '2027-11-02T00:00:00Z',
      runs: [
        ['2027-10-29T00:30:00Z', '2027-10-27T22:00:00Z', '2027-10-28T22:00:00Z'],
        ['2027-10-30T00:30:00Z', '2027-10-28T22:00:00Z', '2027-10-29T22:00:00Z'],
        ['2027-10-31T00:30:00Z', '2027-10-29T22:00:00Z', '2027-10-30T22:00:00Z'],
        ['2027-11-01T01:30:00Z', '2027-10-30T22:00:00Z', '2027-10-31T23:00:00Z'],
      ],
      local: [
        '2027-10-29T02:30:00+02:00',
        '2027-10-30T02:30:00+02:00',
        '2027-10-31T02:30:00+02:00',
        '2027-11-01T02:30:00+01:00',
      ],
    },
  ])('runs each local day once over $transition', async ({ from, until, runs, local }) => {
    const report = await berlinReport(from);

    const created = await tickBoth(from, until);

    const stored = await runsOf(report.id);
    expect(
      stored.map((run) => [
        run.due_at.toISOString(),
        run.period_start.toISOString(),
        run.period_end.toISOString(),
      ]),
    ).toEqual(runs.map((times) => times.map((time) => new Date(time).toISOString())));
    expect(stored.map((run) => formatInZone(run.due_at, ZONE))).toEqual(local);
    const days = stored.map((run) => formatInZone(run.due_at, ZONE).slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
    expect(stored.every((run) => run.trigger === 'schedule' && run.status === 'queued')).toBe(true);
    // What the processes said they made is what is stored, and each run has one job.
    expect(created).toBe(stored.length);
    for (const run of stored) {
      expect(await first.jobs.jobsWith(REPORT_RUN_QUEUE, 'runId', run.id)).toHaveLength(1);
    }
  });

  it('inserts no due time twice when both processes claim it again', async () => {
    const from = '2027-03-27T00:00:00Z';
    const until = '2027-03-30T00:00:00Z';
    const report = await berlinReport(from);
    // One process makes the runs (a tick after downtime: `all` catches every one up).
    expect(await first.job.tick(new Date(until))).toBe(3);
    const before = await runsOf(report.id);

    // The cursor goes back (a restore, a lost update): both claim the same due times again,
    // at once and then one after the other; the unique (report, due time) turns them away.
    const rewind = () =>
      first.reports.update(report.organizationId, report.id, {
        scheduledThrough: new Date(from),
        nextDueAt: new Date('2027-03-27T01:30:00Z'),
      });
    await rewind();
    const together = await Promise.all([
      first.job.tick(new Date(until)),
      second.job.tick(new Date(until)),
    ]);
    await rewind();
    const afterwards = await second.job.tick(new Date(until));

    expect([...together, afterwards]).toEqual([0, 0, 0]);
    expect(await runsOf(report.id)).toEqual(before);
  });
});
