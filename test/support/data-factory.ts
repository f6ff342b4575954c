import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Role } from '@app/access';
import type { AuditOutcome } from '../../libs/audit/src/entities/audit-event.entity';
import { AuditEventEntity } from '../../libs/audit/src/entities/audit-event.entity';
import { AuditEventsRepository } from '../../libs/audit/src/repositories/audit-events.repository';
import { ApiKeyEntity } from '../../libs/auth/src/entities/api-key.entity';
import { UserEntity } from '../../libs/auth/src/entities/user.entity';
import { ApiKeysRepository } from '../../libs/auth/src/repositories/api-keys.repository';
import { UsersRepository } from '../../libs/auth/src/repositories/users.repository';
import { hashPassword } from '../../libs/auth/src/services/credentials';
import { IdempotencyKeysRepository } from '../../libs/idempotency/src/repositories/idempotency-keys.repository';
import { generateApiKey } from '@app/auth';
import type { LongConnections } from '@app/database';
import { DatasetEntity, datasetTable } from '@app/datasets';
import type { MetricInput } from '@app/metrics';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { DatasetTablesRepository } from '../../libs/datasets/src/repositories/dataset-tables.repository';
import { DatasetsRepository } from '../../libs/datasets/src/repositories/datasets.repository';
import type { MetricProvenance } from '../../libs/metrics/src/repositories/metric-queries';
import { MetricsRepository } from '../../libs/metrics/src/repositories/metrics.repository';
import {
  AnalysisEventEntity,
  type AnalysisEventType,
} from '../../libs/analysis/src/entities/analysis-event.entity';
import { AnalysisEntity } from '../../libs/analysis/src/entities/analysis.entity';
import { AnalysisEventsRepository } from '../../libs/analysis/src/repositories/analysis-events.repository';
import { AnalysesRepository } from '../../libs/analysis/src/repositories/analyses.repository';
import { QuestionEntity } from '../../libs/questions/src/entities/question.entity';
import { QuestionsRepository } from '../../libs/questions/src/repositories/questions.repository';
import { ReportRunEntity } from '../../libs/reports/src/entities/report-run.entity';
import { ReportEntity } from '../../libs/reports/src/entities/report.entity';
import { ReportRunsRepository } from '../../libs/reports/src/repositories/report-runs.repository';
import { ReportsRepository } from '../../libs/reports/src/repositories/reports.repository';
import { reportEntity } from '../../libs/reports/src/testing/fake-reports';

/** An analysis as a test makes it: what it leaves out takes a plain default (queued text). */
export type TestAnalysis = Partial<Omit<AnalysisEntity, 'organizationId' | 'createdAt'>>;

/** An event of a test's analysis, appended in order after it is inserted. */
export interface TestAnalysisEvent {
  type: AnalysisEventType;
  data?: Record<string, unknown>;
}

/** A report as a test makes it: what it leaves out takes a plain default (daily, enabled). */
export type TestReport = Partial<Omit<ReportEntity, 'organizationId' | 'createdAt' | 'updatedAt'>>;

/** A run as a test makes it: queued and scheduled unless told otherwise. */
export type TestReportRun = Partial<Omit<ReportRunEntity, 'organizationId' | 'reportId'>>;

/** A metric point as a test writes it: what it leaves out takes a plain default. */
export type TestMetric = Pick<MetricInput, 'name' | 'value'> & Partial<MetricInput>;

/**
 * Builders of valid rows on a test file's own database, for specs of repositories and
 * services without an app (see repository-database.ts; the app's own Factory is in ./factory): each inserts through the real
 * repositories (or plain SQL where the owning lib has no repository method for it) and
 * answers what it made. One builder per entity; add yours beside them.
 */
export class DataFactory {
  private readonly datasets: DatasetsRepository;
  private readonly tables: DatasetTablesRepository;
  private readonly metrics: MetricsRepository;
  private readonly analyses: AnalysesRepository;
  private readonly analysisEvents: AnalysisEventsRepository;
  private readonly questions: QuestionsRepository;
  private readonly users: UsersRepository;
  private readonly apiKeys: ApiKeysRepository;
  private readonly auditEvents: AuditEventsRepository;
  private readonly idempotencyKeys: IdempotencyKeysRepository;
  private readonly reports: ReportsRepository;
  private readonly reportRuns: ReportRunsRepository;
  private dueTimes = 0;

  constructor(
    private readonly dataSource: DataSource,
    connections: LongConnections,
  ) {
    this.datasets = new DatasetsRepository(dataSource.getRepository(DatasetEntity));
    this.tables = new DatasetTablesRepository(dataSource, connections);
    this.metrics = new MetricsRepository(dataSource, connections);
    this.analyses = new AnalysesRepository(dataSource.getRepository(AnalysisEntity));
    this.analysisEvents = new AnalysisEventsRepository(
      dataSource.getRepository(AnalysisEventEntity),
    );
    this.questions = new QuestionsRepository(dataSource.getRepository(QuestionEntity));
    this.users = new UsersRepository(dataSource.getRepository(UserEntity));
    this.apiKeys = new ApiKeysRepository(dataSource.getRepository(ApiKeyEntity));
    this.auditEvents = new AuditEventsRepository(dataSource.getRepository(AuditEventEntity));
    this.idempotencyKeys = new IdempotencyKeysRepository(dataSource);
    this.reports = new ReportsRepository(dataSource.getRepository(ReportEntity));
    this.reportRuns = new ReportRunsRepository(dataSource.getRepository(ReportRunEntity));
  }

  /** An organization; its id. */
  async newOrganization(name = `Org ${randomUUID().slice(0, 8)}`): Promise<OrganizationId> {
    const [created] = await this.dataSource.query<Array<{ id: string }>>(
      'INSERT INTO organizations (name) VALUES ($1) RETURNING id',
      [name],
    );
    if (created === undefined) throw new Error('no organization was inserted');
    return organizationIdOf(created.id);
  }

  /**
   * A dataset of the organization with its rows table, loaded from `csv` (a header row
   * first) the way an upload loads it: table, rows and dataset row in one transaction.
   */
  newDataset(
    organizationId: OrganizationId,
    csv = 'city,n\nOslo,1\nLima,2\n',
    name = 'test.csv',
  ): Promise<DatasetEntity> {
    const id = randomUUID();
    const tableName = `d_${id.replace(/-/g, '')}`;
    return this.tables.inUploadTransaction(async (work) => {
      const loaded = await this.tables.loadCsv(work, Readable.from([Buffer.from(csv)]), {
        table: datasetTable({ tableName }),
        header: true,
      });
      const { columns, rowCount, byteSize, delimiter, profile, typeChanges } = loaded;
      const dataset = { id, name, status: 'ready' as const, tableName, hasHeader: true };
      const stored = { columns, rowCount, byteSize, delimiter, profile, typeChanges };
      return this.datasets.insert(
        organizationId,
        { ...dataset, ...stored, createdBy: 'factory' },
        work,
      );
    });
  }

  /**
   * A user of the organization with a unique email; the password is hashed only when one
   * is given (argon2 is slow), else the hash is a placeholder no password matches.
   */
  async newUser(
    organizationId: OrganizationId,
    fields: { email?: string; role?: Role; password?: string } = {},
  ): Promise<UserEntity> {
    const email = fields.email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
    const passwordHash =
      fields.password === undefined ? 'not-a-hash' : await hashPassword(fields.password);
    return this.users.insert(organizationId, {
      email,
      role: fields.role ?? 'analyst',
      passwordHash,
    });
  }

  /** An API key of the organization: its row and the key itself (shown once in the API). */
  async newApiKey(
    organizationId: OrganizationId,
    fields: { role?: Role; expiresAt?: Date | null; revoked?: boolean } = {},
  ): Promise<{ entity: ApiKeyEntity; key: string }> {
    const generated = generateApiKey();
    const role = fields.role ?? 'analyst';
    const entity = await this.apiKeys.insert(organizationId, {
      name: `${role} key`,
      role,
      prefix: generated.prefix,
      keyHash: generated.keyHash,
      expiresAt: fields.expiresAt ?? null,
    });
    if (fields.revoked === true) await this.apiKeys.revoke(organizationId, entity.id);
    return { entity, key: generated.key };
  }

  /** An audit event of the organization (an admin's `user.created` unless told otherwise). */
  async newAuditEvent(
    organizationId: OrganizationId | null,
    fields: { action?: string; outcome?: AuditOutcome; createdAt?: Date } = {},
  ): Promise<AuditEventEntity> {
    const id = randomUUID();
    await this.auditEvents.insert({
      organizationId,
      actorKind: 'user',
      actorId: randomUUID(),
      action: fields.action ?? 'user.created',
      outcome: fields.outcome ?? 'success',
      targetType: 'user',
      targetId: id,
      ip: null,
      userAgent: null,
      requestId: null,
      details: {},
    });
    // The repository answers nothing: the target id (unique per event) finds the row.
    const repository = this.dataSource.getRepository(AuditEventEntity);
    if (fields.createdAt !== undefined)
      await repository.update({ targetId: id }, { createdAt: fields.createdAt });
    return repository.findOneByOrFail({ targetId: id });
  }

  /**
   * An `Idempotency-Key` of the organization, in progress unless a response is given,
   * created `ageSeconds` ago by the database's clock; its key.
   */
  async newIdempotencyKey(
    organizationId: OrganizationId,
    fields: {
      key?: string;
      requestHash?: string;
      response?: { status: number; body: unknown };
      ageSeconds?: number;
    } = {},
  ): Promise<string> {
    const key = fields.key ?? `key-${randomUUID()}`;
    const taken = await this.idempotencyKeys.insertInProgress(
      organizationId,
      key,
      fields.requestHash ?? 'hash',
    );
    if (!taken) throw new Error(`the organization already holds ${key}`);
    if (fields.response !== undefined)
      await this.idempotencyKeys.markDone(organizationId, key, fields.response);
    if (fields.ageSeconds !== undefined)
      await this.dataSource.query(
        `UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $3)
         WHERE organization_id = $1 AND key = $2`,
        [organizationId, key, fields.ageSeconds],
      );
    return key;
  }

  /** Metric points of the organization, written by a client unless told otherwise; their ids. */
  async newMetrics(
    organizationId: OrganizationId,
    points: TestMetric[],
    provenance: Partial<MetricProvenance> = {},
  ): Promise<string[]> {
    const ids = points.map(() => randomUUID());
    const metrics = points.map((point) => ({
      unit: null,
      dimensions: {},
      observedAt: new Date(),
      datasetId: null,
      ...point,
    }));
    await this.metrics.insert(organizationId, ids, metrics, {
      source: 'client',
      analysisId: null,
      agent: null,
      toolCallId: null,
      createdBy: 'factory',
      ...provenance,
    });
    return ids;
  }

  /**
   * An analysis of the organization (queued free text unless told otherwise; a `heartbeatAt`
   * given is set after the insert, as a running worker sets it), then its `events` in order.
   */
  async newAnalysis(
    organizationId: OrganizationId,
    fields: TestAnalysis = {},
    events: TestAnalysisEvent[] = [],
  ): Promise<AnalysisEntity> {
    const { heartbeatAt, ...analysis } = fields;
    const inserted = await this.analyses.inTransaction((work) =>
      this.analyses.insert(
        organizationId,
        {
          id: randomUUID(),
          status: 'queued',
          input: { kind: 'text', text: 'a test' },
          datasetId: null,
          agents: null,
          question: null,
          maxAnomalies: null,
          inputHash: 'test',
          modelProvider: 'builtin',
          modelName: 'builtin-test',
          sdkVersion: 'test',
          agentRuns: null,
          result: null,
          error: null,
          errorCode: null,
          replayOf: null,
          createdBy: 'factory',
          startedAt: null,
          completedAt: null,
          ...analysis,
        },
        work,
      ),
    );
    if (heartbeatAt !== undefined)
      await this.analyses.transition(
        organizationId,
        inserted.id,
        [inserted.status],
        inserted.status,
        {
          heartbeatAt,
        },
      );
    for (const event of events)
      await this.analysisEvents.append(organizationId, inserted.id, event.type, event.data ?? {});
    return { ...inserted, heartbeatAt: heartbeatAt ?? null };
  }

  /** A question of the organization asked of `datasetId`, answered by the builtin planner. */
  newQuestion(
    organizationId: OrganizationId,
    datasetId: string,
    fields: Partial<Omit<QuestionEntity, 'organizationId' | 'datasetId' | 'createdAt'>> = {},
  ): Promise<QuestionEntity> {
    return this.questions.insert(organizationId, {
      id: randomUUID(),
      datasetId,
      question: 'how many rows?',
      answer: 'There are 2 rows.',
      query: { measures: [{ agg: 'count' }] },
      result: { columns: [{ name: 'count', type: 'number' }], rows: [[2]], truncated: false },
      chart: null,
      readings: [],
      modelProvider: 'builtin',
      modelName: 'builtin-test',
      toolCallId: null,
      usage: { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      durationMs: 1,
      createdBy: 'factory',
      ...fields,
    });
  }

  /**
   * A report of the organization as the unit specs' `reportEntity` makes one (daily at 08:00
   * UTC, a PDF of `visits`, no webhook), but not due: a test that schedules sets `nextDueAt`.
   */
  newReport(organizationId: OrganizationId, fields: TestReport = {}): Promise<ReportEntity> {
    const defaults = { id: randomUUID(), scheduledThrough: new Date(), nextDueAt: null };
    const made = reportEntity(organizationId, { ...defaults, createdBy: 'factory', ...fields });
    const {
      organizationId: _organization,
      createdAt: _created,
      updatedAt: _updated,
      ...report
    } = made;
    return this.reports.inTransaction((work) => this.reports.insert(organizationId, report, work));
  }

  /**
   * A run of the report (queued, scheduled for a fresh due time, over the day before it,
   * unless told otherwise). Columns a worker sets later (attempts, heartbeat, generation,
   * delivery, creation time) are set after the insert, as the worker would.
   */
  async newReportRun(
    organizationId: OrganizationId,
    reportId: string,
    fields: TestReportRun = {},
  ): Promise<ReportRunEntity> {
    // A due time of its own, so scheduled runs of one report never meet its unique index.
    this.dueTimes += 1;
    const dueAt = fields.dueAt ?? new Date(Date.UTC(2026, 0, 1) + this.dueTimes * 60_000);
    const { id = randomUUID(), trigger = 'schedule', status = 'queued', ...later } = fields;
    const run = {
      id,
      reportId,
      trigger,
      dueAt,
      periodStart: fields.periodStart ?? new Date(dueAt.getTime() - 24 * 60 * 60 * 1000),
      periodEnd: fields.periodEnd ?? dueAt,
      status,
    };
    await this.reportRuns.inTransaction((work) =>
      this.reportRuns.insert(organizationId, [run], work),
    );
    const { dueAt: _dueAt, periodStart: _start, periodEnd: _end, ...changes } = later;
    if (Object.keys(changes).length > 0)
      await this.dataSource.getRepository(ReportRunEntity).update({ id }, changes);
    return this.dataSource.getRepository(ReportRunEntity).findOneByOrFail({ id });
  }
}
