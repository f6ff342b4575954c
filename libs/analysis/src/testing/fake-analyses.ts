import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Principal } from '@app/access';
import type { Keyed, KeysetPosition } from '@app/common';
import { type AppConfig, loadConfig } from '@app/config';
import type { JobQueue, UnitOfWork } from '@app/database';
import type { DatasetEntity, DatasetsService, DatasetUploadService } from '@app/datasets';
import type { AnalysisModel } from '@app/models';
import { ProblemException } from '@app/common';
import type { AnalysisEventType } from '../entities/analysis-event.entity';
import type { AnalysisEntity, AnalysisStatus } from '../entities/analysis.entity';
import type { AnalysisEventsRepository } from '../repositories/analysis-events.repository';
import type { AnalysesRepository } from '../repositories/analyses.repository';
import { AnalysesService } from '../services/analyses.service';
import type { MetricSeriesInputService } from '../services/metric-series-input.service';
import { RunningAnalysesService } from '../services/running-analyses.service';

export const ORG_A = organizationIdOf('11111111-1111-4111-8111-111111111111');
export const ORG_B = organizationIdOf('22222222-2222-4222-8222-222222222222');

/** An analyst's API key of the organization (`key-1`, the creator {@link analysisEntity} names). */
export const analystOf = (organizationId: OrganizationId, id = 'key-1'): Principal =>
  ({ kind: 'apiKey', id, organizationId, role: 'analyst' }) as const;

/** The configuration of a test, with `env` over it (environment variables as strings). */
export function analysisConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/** The model a test's process runs: only the names an analysis records are read. */
export const testModel = (name = 'builtin-test'): AnalysisModel =>
  ({ provider: 'builtin', name, runner: {}, classifier: undefined }) as unknown as AnalysisModel;

let made = 0;

/** A valid analysis of `organizationId` (no row behind it: services' specs only). */
export function analysisEntity(
  organizationId: OrganizationId,
  fields: Partial<AnalysisEntity> = {},
): AnalysisEntity {
  made += 1;
  return {
    id: `00000000-0000-4000-a000-${String(made).padStart(12, '0')}`,
    organizationId,
    status: 'queued',
    input: { kind: 'text', text: 'the weather was lovely' },
    datasetId: null,
    agents: null,
    question: null,
    maxAnomalies: null,
    inputHash: 'hash',
    modelProvider: 'builtin',
    modelName: 'builtin-queued',
    sdkVersion: '0.0.0',
    agentRuns: null,
    result: null,
    error: null,
    errorCode: null,
    replayOf: null,
    createdBy: 'key-1',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, made)),
    startedAt: null,
    completedAt: null,
    heartbeatAt: null,
    ...fields,
  };
}

/** A transaction of the fake store, and how it ended. */
export interface FakeUnit {
  id: number;
  outcome: 'open' | 'committed' | 'rolled back';
}

/** An event as the fake store keeps it, with the transaction it was appended in. */
export interface StoredEvent {
  organizationId: OrganizationId;
  analysisId: string;
  type: AnalysisEventType;
  data: Record<string, unknown>;
  work: unknown;
}

/**
 * The analyses and their events in memory, keeping the repositories' rules: nothing is
 * found, changed or appended across organizations, a transition happens only from the
 * statuses given, and a transaction that throws leaves nothing it wrote. Every call is
 * recorded with the organization it was made for.
 */
export class FakeAnalysisStore {
  readonly rows: AnalysisEntity[] = [];
  readonly events: StoredEvent[] = [];
  readonly units: FakeUnit[] = [];
  readonly calls: Array<{ method: string; organizationId: OrganizationId | '*'; work?: unknown }> =
    [];

  constructor(rows: AnalysisEntity[] = []) {
    this.rows.push(...rows);
  }

  /** The methods called, in order. */
  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  /** The event types appended for `analysisId`, in order. */
  eventTypes(analysisId: string): string[] {
    return this.events.filter((event) => event.analysisId === analysisId).map((e) => e.type);
  }

  own(organizationId: OrganizationId, id: string): AnalysisEntity | undefined {
    return this.rows.find((row) => row.organizationId === organizationId && row.id === id);
  }

  private isStale(row: AnalysisEntity, staleAfterMs: number): boolean {
    const beat = row.heartbeatAt?.getTime();
    return row.status === 'running' && beat !== undefined && beat < Date.now() - staleAfterMs;
  }

  readonly analyses = {
    inTransaction: async <T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> => {
      const unit: FakeUnit = { id: this.units.length + 1, outcome: 'open' };
      this.units.push(unit);
      const rows = this.rows.map((row) => ({ ...row }));
      const events = this.events.length;
      try {
        const result = await work(unit as unknown as UnitOfWork);
        unit.outcome = 'committed';
        return result;
      } catch (error) {
        unit.outcome = 'rolled back';
        this.rows.splice(0, this.rows.length, ...rows);
        this.events.splice(events);
        throw error;
      }
    },
    find: (organizationId: OrganizationId, id: string): Promise<AnalysisEntity | null> => {
      this.calls.push({ method: 'find', organizationId });
      const found = this.own(organizationId, id);
      return Promise.resolve(found === undefined ? null : { ...found });
    },
    insert: (
      organizationId: OrganizationId,
      analysis: Omit<AnalysisEntity, 'organizationId' | 'createdAt' | 'heartbeatAt'>,
      work: UnitOfWork,
    ): Promise<AnalysisEntity> => {
      this.calls.push({ method: 'insert', organizationId, work });
      const row = { ...analysis, organizationId, createdAt: new Date(), heartbeatAt: null };
      this.rows.push(row);
      return Promise.resolve({ ...row });
    },
    transition: (
      organizationId: OrganizationId,
      id: string,
      from: AnalysisStatus[],
      to: AnalysisStatus,
      changes: Partial<AnalysisEntity> = {},
      work?: UnitOfWork,
    ): Promise<boolean> => {
      this.calls.push({ method: 'transition', organizationId, work });
      const row = this.own(organizationId, id);
      if (row === undefined || !from.includes(row.status)) return Promise.resolve(false);
      Object.assign(row, changes, { status: to });
      return Promise.resolve(true);
    },
    heartbeat: (
      organizationId: OrganizationId,
      id: string,
    ): Promise<AnalysisStatus | undefined> => {
      this.calls.push({ method: 'heartbeat', organizationId });
      const row = this.own(organizationId, id);
      if (row !== undefined) row.heartbeatAt = new Date();
      return Promise.resolve(row?.status);
    },
    stale: (
      staleAfterMs: number,
    ): Promise<Array<{ organizationId: OrganizationId; id: string }>> => {
      this.calls.push({ method: 'stale', organizationId: '*' });
      return Promise.resolve(
        this.rows
          .filter((row) => this.isStale(row, staleAfterMs))
          .map(({ organizationId, id }) => ({ organizationId, id })),
      );
    },
    claimStale: (
      organizationId: OrganizationId,
      id: string,
      staleAfterMs: number,
    ): Promise<boolean> => {
      this.calls.push({ method: 'claimStale', organizationId });
      const row = this.own(organizationId, id);
      if (row === undefined || !this.isStale(row, staleAfterMs)) return Promise.resolve(false);
      row.heartbeatAt = new Date();
      return Promise.resolve(true);
    },
    list: (
      organizationId: OrganizationId,
      filter: { status?: AnalysisStatus; datasetId?: string },
      limit: number,
      _after: KeysetPosition | undefined,
    ): Promise<Array<Keyed<AnalysisEntity>>> => {
      this.calls.push({ method: 'list', organizationId });
      const keyed = this.rows
        .filter((row) => row.organizationId === organizationId)
        .filter((row) => filter.status === undefined || row.status === filter.status)
        .filter((row) => filter.datasetId === undefined || row.datasetId === filter.datasetId)
        .map((item) => ({
          item,
          position: { time: item.createdAt.toISOString().replace('Z', '000Z'), id: item.id },
        }))
        .sort((a, b) => (a.position.time < b.position.time ? 1 : -1));
      return Promise.resolve(keyed.slice(0, limit + 1));
    },
  };

  readonly eventLog = {
    append: (
      organizationId: OrganizationId,
      analysisId: string,
      type: AnalysisEventType,
      data: Record<string, unknown>,
      work?: UnitOfWork,
    ): Promise<void> => {
      this.calls.push({ method: 'append', organizationId, work });
      if (this.own(organizationId, analysisId) !== undefined)
        this.events.push({ organizationId, analysisId, type, data, work });
      return Promise.resolve();
    },
  };

  /** As the services' constructors take them (the fakes have the methods they call). */
  asAnalyses(): AnalysesRepository {
    return this.analyses as unknown as AnalysesRepository;
  }

  asEvents(): AnalysisEventsRepository {
    return this.eventLog as unknown as AnalysisEventsRepository;
  }
}

/** JobQueue recording what is sent in which transaction (and failing a send when told). */
export class FakeJobQueue {
  readonly sent: Array<{ work: unknown; name: string; data: Record<string, unknown> }> = [];
  /** Jobs `jobsWith` answers, by analysis id. */
  readonly jobs = new Map<string, Array<{ id: string; state: string }>>();
  readonly failed: string[] = [];
  /** The send with this index (0-based) throws. */
  failSend: number | undefined;

  sendInTransaction(work: unknown, name: string, data: Record<string, unknown>): Promise<string> {
    if (this.failSend === this.sent.length) return Promise.reject(new Error('queue is down'));
    this.sent.push({ work, name, data });
    return Promise.resolve(`job-${this.sent.length}`);
  }

  jobsWith(
    _name: string,
    _key: string,
    analysisId: string,
  ): Promise<Array<{ id: string; state: string }>> {
    return Promise.resolve(this.jobs.get(analysisId) ?? []);
  }

  readonly boss = {
    fail: (_name: string, id: string): Promise<void> => {
      this.failed.push(id);
      return Promise.resolve();
    },
  };

  asQueue(): JobQueue {
    return this as unknown as JobQueue;
  }
}

/**
 * DatasetsService over datasets in memory: `get` is a 404 and `find` null across
 * organizations. Records which organization each lookup was made for.
 */
export class FakeDatasets {
  readonly asked: Array<{ method: string; organizationId: OrganizationId; id: string }> = [];

  constructor(readonly rows: DatasetEntity[] = []) {}

  find(organizationId: OrganizationId, id: string): Promise<DatasetEntity | null> {
    this.asked.push({ method: 'find', organizationId, id });
    const found = this.rows.find((row) => row.organizationId === organizationId && row.id === id);
    return Promise.resolve(found ?? null);
  }

  get(organizationId: OrganizationId, id: string): Promise<DatasetEntity> {
    this.asked.push({ method: 'get', organizationId, id });
    const found = this.rows.find((row) => row.organizationId === organizationId && row.id === id);
    return found === undefined
      ? Promise.reject(new ProblemException(404, 'not-found', `There is no dataset ${id}`))
      : Promise.resolve(found);
  }

  asService(): DatasetsService {
    return this as unknown as DatasetsService;
  }
}

let stored = 0;

/**
 * A dataset of `organizationId` as the analysis code sees it: an id and a table to hand
 * to the agents (nothing here reads its rows or profile).
 */
export function datasetOf(organizationId: OrganizationId, name = 'dataset'): DatasetEntity {
  stored += 1;
  const id = `00000000-0000-4000-b000-${String(stored).padStart(12, '0')}`;
  const tableName = `d_${id.replace(/-/g, '')}`;
  return { id, organizationId, name, tableName, status: 'ready' } as DatasetEntity;
}

/**
 * DatasetUploadService storing records as a dataset of the principal's organization
 * (added to `datasets`, so a later lookup finds it), with the CSV it was given and the
 * transaction it was stored in; audit records kept apart.
 */
export class FakeUploads {
  readonly uploads: Array<{
    work: unknown;
    name: string;
    csv: string;
    organizationId: OrganizationId;
  }> = [];
  readonly audited: Array<{ organizationId: OrganizationId; datasetId: string }> = [];

  constructor(private readonly datasets: FakeDatasets) {}

  async uploadInTransaction(
    work: unknown,
    principal: Principal,
    upload: { source: AsyncIterable<Buffer>; name: string },
  ): Promise<DatasetEntity> {
    const chunks: Buffer[] = [];
    for await (const chunk of upload.source) chunks.push(chunk);
    const { organizationId } = principal;
    this.uploads.push({
      work,
      name: upload.name,
      csv: Buffer.concat(chunks).toString(),
      organizationId,
    });
    const dataset = datasetOf(organizationId, upload.name);
    this.datasets.rows.push(dataset);
    return dataset;
  }

  recordCreated(principal: Principal, dataset: DatasetEntity): Promise<void> {
    this.audited.push({ organizationId: principal.organizationId, datasetId: dataset.id });
    return Promise.resolve();
  }

  asService(): DatasetUploadService {
    return this as unknown as DatasetUploadService;
  }
}

/** An AnalysesService over the fakes given (the rest faked empty), as the jobs use it. */
export function analysesServiceOver(
  store: FakeAnalysisStore,
  parts: {
    jobs?: FakeJobQueue;
    running?: RunningAnalysesService;
    datasets?: FakeDatasets;
    uploads?: FakeUploads;
    config?: AppConfig;
    model?: AnalysisModel;
    metricSeries?: Pick<MetricSeriesInputService, 'read'>;
  } = {},
): AnalysesService {
  const datasets = parts.datasets ?? new FakeDatasets();
  return new AnalysesService(
    store.asAnalyses(),
    (parts.jobs ?? new FakeJobQueue()).asQueue(),
    parts.running ?? new RunningAnalysesService(),
    store.asEvents(),
    datasets.asService(),
    (parts.uploads ?? new FakeUploads(datasets)).asService(),
    parts.config ?? analysisConfig(),
    parts.model ?? testModel(),
    (parts.metricSeries ?? {}) as MetricSeriesInputService,
  );
}
