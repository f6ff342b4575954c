import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Principal } from '@app/access';
import type { AuditRecord, AuditService } from '@app/audit';
import type { Keyed, KeysetPosition } from '@app/common';
import { type AppConfig, loadConfig } from '@app/config';
import type { UnitOfWork } from '@app/database';
import type { DatasetsService } from '@app/datasets';
import type { ReportRunEntity } from '../entities/report-run.entity';
import type { ReportEntity } from '../entities/report.entity';
import type { NewReportRun, ReportRunsRepository } from '../repositories/report-runs.repository';
import type {
  NewReport,
  ReportChanges,
  ReportsRepository,
} from '../repositories/reports.repository';
import { ReportsService } from '../services/reports.service';

export const ORG_A = organizationIdOf('11111111-1111-4111-8111-111111111111');
export const ORG_B = organizationIdOf('22222222-2222-4222-8222-222222222222');

export const analystOf = (organizationId: OrganizationId): Principal => ({
  kind: 'apiKey',
  id: `key-of-${organizationId.slice(0, 4)}`,
  organizationId,
  role: 'analyst',
});

/** The test environment's configuration with `env` on top. */
export const reportsConfig = (env: Record<string, string> = {}): AppConfig =>
  loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });

let made = 0;
const nextId = () => {
  made += 1;
  return `00000000-0000-4000-8000-${String(made).padStart(12, '0')}`;
};

/** A valid report of `organizationId`: daily at 08:00 UTC, a PDF, enabled, no webhook. */
export function reportEntity(
  organizationId: OrganizationId,
  fields: Partial<ReportEntity> = {},
): ReportEntity {
  return {
    id: nextId(),
    organizationId,
    name: 'Daily visits',
    metrics: [{ name: 'visits', dimensions: {}, aggregate: 'sum' }],
    datasetId: null,
    period: 'day',
    schedule: '0 8 * * *',
    timezone: 'UTC',
    catchUp: 'latest',
    formats: ['pdf'],
    webhookUrl: null,
    webhookSecret: null,
    webhookPreviousSecret: null,
    webhookPreviousSecretUntil: null,
    webhookDisabledAt: null,
    attachDocument: false,
    enabled: true,
    scheduledThrough: new Date(Date.UTC(2027, 0, 1)),
    nextDueAt: new Date(Date.UTC(2027, 0, 1, 8)),
    createdBy: 'key-1',
    createdAt: new Date(Date.UTC(2026, 11, 1)),
    updatedAt: new Date(Date.UTC(2026, 11, 1)),
    ...fields,
  };
}

/** A queued scheduled run of `report` for 2 January 2027 08:00 UTC, over the day before. */
export function reportRunEntity(
  report: Pick<ReportEntity, 'id' | 'organizationId'>,
  fields: Partial<ReportRunEntity> = {},
): ReportRunEntity {
  return {
    id: nextId(),
    organizationId: report.organizationId,
    reportId: report.id,
    trigger: 'schedule',
    dueAt: new Date(Date.UTC(2027, 0, 2, 8)),
    periodStart: new Date(Date.UTC(2027, 0, 1)),
    periodEnd: new Date(Date.UTC(2027, 0, 2)),
    status: 'queued',
    error: null,
    errorCode: null,
    attempts: 0,
    startedAt: null,
    heartbeatAt: null,
    generatedAt: null,
    finishedAt: null,
    summary: null,
    deliveryStatus: 'none',
    requestedBy: null,
    createdAt: new Date(Date.UTC(2027, 0, 2, 8)),
    ...fields,
  };
}

/** A transaction as the fakes hand it out, and how it ended. */
export interface FakeUnit {
  id: number;
  outcome: 'open' | 'committed' | 'rolled back';
}

/**
 * Rows in memory with transactions that put them back as they were when `work` throws,
 * as the database would. Each unit handed to `work` is recorded, to check which writes
 * shared one.
 */
class FakeTable<Row extends { organizationId: OrganizationId; id: string; createdAt: Date }> {
  readonly units: FakeUnit[] = [];

  constructor(readonly rows: Row[]) {}

  async inTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    const unit: FakeUnit = { id: this.units.length + 1, outcome: 'open' };
    this.units.push(unit);
    const before = this.rows.map((row) => ({ ...row }));
    try {
      const result = await work(unit as unknown as UnitOfWork);
      unit.outcome = 'committed';
      return result;
    } catch (error) {
      this.rows.splice(0, this.rows.length, ...before);
      unit.outcome = 'rolled back';
      throw error;
    }
  }

  /** The row with `id` as it is now, of whichever organization (for a spec's checks). */
  stored(id: string): Row {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (row === undefined) throw new Error(`no row ${id}`);
    return row;
  }

  protected own(organizationId: OrganizationId, id: string): Row | undefined {
    return this.rows.find((row) => row.organizationId === organizationId && row.id === id);
  }

  /** The rows `keep` keeps, newest first, `limit` + 1 of them, after `after` (by time only). */
  protected newestFirst(
    keep: (row: Row) => boolean,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<Row>>> {
    const keyed = this.rows
      .filter(keep)
      .map((item) => ({
        item: { ...item },
        position: { time: item.createdAt.toISOString().replace('Z', '000Z'), id: item.id },
      }))
      .sort((a, b) => (a.position.time < b.position.time ? 1 : -1))
      .filter(({ position }) => after === undefined || position.time < after.time);
    return Promise.resolve(keyed.slice(0, limit + 1));
  }
}

/** ReportsRepository in memory: nothing is found, changed or deleted across organizations. */
export class FakeReportsRepository extends FakeTable<ReportEntity> {
  /** The organization locked, and the unit it was locked in, per lockOrganization. */
  readonly locks: Array<{ organizationId: OrganizationId; work: UnitOfWork }> = [];
  /** The unit each insert, update and findForUpdate was made in. */
  readonly writes: Array<{ method: string; work: UnitOfWork | undefined }> = [];

  find(organizationId: OrganizationId, id: string): Promise<ReportEntity | null> {
    const found = this.own(organizationId, id);
    return Promise.resolve(found === undefined ? null : { ...found });
  }

  findForUpdate(organizationId: OrganizationId, id: string, work: UnitOfWork) {
    this.writes.push({ method: 'findForUpdate', work });
    return this.find(organizationId, id);
  }

  lockOrganization(organizationId: OrganizationId, work: UnitOfWork): Promise<void> {
    this.locks.push({ organizationId, work });
    return Promise.resolve();
  }

  count(organizationId: OrganizationId): Promise<number> {
    return Promise.resolve(this.rows.filter((row) => row.organizationId === organizationId).length);
  }

  insert(organizationId: OrganizationId, report: NewReport, work: UnitOfWork) {
    this.writes.push({ method: 'insert', work });
    const at = new Date();
    const row: ReportEntity = { ...report, organizationId, createdAt: at, updatedAt: at };
    this.rows.push(row);
    return Promise.resolve({ ...row });
  }

  update(organizationId: OrganizationId, id: string, changes: ReportChanges, work?: UnitOfWork) {
    this.writes.push({ method: 'update', work });
    const row = this.own(organizationId, id);
    if (row !== undefined) Object.assign(row, changes, { updatedAt: new Date() });
    return Promise.resolve();
  }

  list(
    organizationId: OrganizationId,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<ReportEntity>>> {
    return this.newestFirst((row) => row.organizationId === organizationId, limit, after);
  }

  delete(organizationId: OrganizationId, id: string): Promise<boolean> {
    const row = this.own(organizationId, id);
    if (row === undefined) return Promise.resolve(false);
    this.rows.splice(this.rows.indexOf(row), 1);
    return Promise.resolve(true);
  }

  asRepository(): ReportsRepository {
    return this as unknown as ReportsRepository;
  }
}

/**
 * ReportRunsRepository in memory, keeping its rules: a scheduled (report, due time) is
 * inserted once, a run is found within its organization only, the hourly budget counts
 * runs but those the budget refused, a redelivery reopens only a generated run whose
 * delivery is not pending.
 */
export class FakeReportRunsRepository extends FakeTable<ReportRunEntity> {
  readonly locks: Array<{ organizationId: OrganizationId; work: UnitOfWork }> = [];
  readonly inserts: Array<{ ids: string[]; work: UnitOfWork }> = [];
  /** The time each insert stamps as `createdAt`. */
  now = new Date();

  find(organizationId: OrganizationId, id: string): Promise<ReportRunEntity | null> {
    const found = this.own(organizationId, id);
    return Promise.resolve(found === undefined ? null : { ...found });
  }

  lockOrganization(organizationId: OrganizationId, work: UnitOfWork): Promise<void> {
    this.locks.push({ organizationId, work });
    return Promise.resolve();
  }

  countSince(organizationId: OrganizationId, since: Date): Promise<number> {
    const counted = this.rows.filter(
      (row) =>
        row.organizationId === organizationId &&
        row.createdAt.getTime() >= since.getTime() &&
        row.errorCode !== 'run-limit',
    );
    return Promise.resolve(counted.length);
  }

  insert(organizationId: OrganizationId, runs: NewReportRun[], work: UnitOfWork) {
    const ids: string[] = [];
    for (const run of runs) {
      const taken = this.rows.some(
        (row) =>
          run.trigger === 'schedule' &&
          row.trigger === 'schedule' &&
          row.reportId === run.reportId &&
          row.dueAt.getTime() === run.dueAt.getTime(),
      );
      if (taken) continue;
      const { id, reportId, ...fields } = run;
      this.rows.push(
        reportRunEntity({ id: reportId, organizationId }, { ...fields, id, createdAt: this.now }),
      );
      ids.push(id);
    }
    this.inserts.push({ ids, work });
    return Promise.resolve(ids);
  }

  list(
    organizationId: OrganizationId,
    reportId: string,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<ReportRunEntity>>> {
    const ofReport = (row: ReportRunEntity) =>
      row.organizationId === organizationId && row.reportId === reportId;
    return this.newestFirst(ofReport, limit, after);
  }

  reopenDelivery(organizationId: OrganizationId, id: string): Promise<boolean> {
    const row = this.own(organizationId, id);
    if (row?.generatedAt === null || row === undefined || row.deliveryStatus === 'pending')
      return Promise.resolve(false);
    Object.assign(row, {
      status: 'running',
      deliveryStatus: 'pending',
      finishedAt: null,
      error: null,
      errorCode: null,
    });
    return Promise.resolve(true);
  }

  asRepository(): ReportRunsRepository {
    return this as unknown as ReportRunsRepository;
  }
}

/** DatasetsService knowing these datasets, each of one organization. */
export function datasetsOf(known: Array<{ organizationId: OrganizationId; id: string }>) {
  const find = (organizationId: OrganizationId, id: string) =>
    Promise.resolve(
      known.find((dataset) => dataset.organizationId === organizationId && dataset.id === id) ??
        null,
    );
  return { find } as unknown as DatasetsService;
}

/** The dataset {@link reportsServiceOver} knows, of {@link ORG_A}. */
export const DATASET_OF_A = '33333333-3333-4333-8333-333333333333';

/** A real ReportsService over `repository`, knowing one dataset ({@link DATASET_OF_A}). */
export function reportsServiceOver(
  repository: FakeReportsRepository,
  {
    audit = new FakeAudit(),
    config = reportsConfig(),
  }: { audit?: FakeAudit; config?: AppConfig } = {},
): ReportsService {
  return new ReportsService(
    repository.asRepository(),
    datasetsOf([{ organizationId: ORG_A, id: DATASET_OF_A }]),
    audit.asService(),
    config,
  );
}

/** AuditService keeping its records in memory. */
export class FakeAudit {
  readonly records: AuditRecord[] = [];

  record(record: AuditRecord): Promise<void> {
    this.records.push(record);
    return Promise.resolve();
  }

  asService(): AuditService {
    return this as unknown as AuditService;
  }
}
