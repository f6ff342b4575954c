import type { OrganizationId } from '@app/tenancy';
import type { Principal } from '@app/access';
import {
  decodeCursor,
  type FieldError,
  type Page,
  ProblemException,
  RequestValidationException,
  toPage,
} from '@app/common';
import { AppConfig } from '@app/config';
import { JobQueue, type UnitOfWork } from '@app/database';
import { type DatasetEntity, DatasetsService, DatasetUploadService } from '@app/datasets';
import { AnalysisModel } from '@app/models';
import { activeTraceContext } from '@app/observability';
import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type AnalysisDto,
  type CreateAnalysisDto,
  type ListAnalysesQueryDto,
  mapAnalysis,
} from '../dtos/analysis.dto';
import {
  type AnalysisEntity,
  type AnalysisInput,
  type AnalysisMetricInput,
} from '../entities/analysis.entity';
import { recordsToCsv } from '../input/records-csv';
import type { AnalysisFailure } from '../orchestration/analysis-errors';
import { AGENTS_SDK_VERSION } from '../orchestration/orchestrator';
import { AnalysisEventsRepository } from '../repositories/analysis-events.repository';
import { AnalysesRepository } from '../repositories/analyses.repository';
import { MetricSeriesInputService } from './metric-series-input.service';
import { RunningAnalysesService } from './running-analyses.service';

/** The queue an analysis' job is sent to, in the transaction that inserts it. */
export const ANALYSIS_QUEUE = 'analysis';

/** The payload of an {@link ANALYSIS_QUEUE} job. */
export interface AnalysisJobPayload {
  organizationId: OrganizationId;
  analysisId: string;
  /**
   * W3C trace context (`traceparent`, ...) of the request that queued it: the analysis'
   * spans continue that trace, in whichever process runs it. Absent on older jobs.
   */
  traceContext?: Record<string, string>;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const WAIT_POLL_MS = 100;

/** Records checked and turned into CSV, stored as a dataset inside the creating transaction. */
interface PendingRecords {
  kind: 'records-pending';
  chunks: Buffer[];
  records: number;
  /** Set when the records are a metric's series. */
  metric?: AnalysisMetricInput;
}
type PreparedInput = AnalysisInput | PendingRecords;

/** The rules of analyses: what may be analysed, queueing with the row, waiting, cancelling. */
@Injectable()
export class AnalysesService {
  constructor(
    private readonly analyses: AnalysesRepository,
    private readonly jobs: JobQueue,
    private readonly running: RunningAnalysesService,
    private readonly events: AnalysisEventsRepository,
    private readonly datasets: DatasetsService,
    private readonly uploads: DatasetUploadService,
    private readonly config: AppConfig,
    private readonly model: AnalysisModel,
    private readonly metricSeries: MetricSeriesInputService,
  ) {}

  /** Inserts the analysis and enqueues its job in one transaction. */
  async create(principal: Principal, body: CreateAnalysisDto): Promise<AnalysisEntity> {
    const [created] = await this.createAll(principal, [
      { input: await this.input(principal.organizationId, body), body, replayOf: null },
    ]);
    return created;
  }

  /**
   * `POST /v1/analyses/batch`: every item checked first (a bad one is a 400 naming its
   * index), then all inserted and enqueued in one transaction: all or none.
   */
  async createBatch(principal: Principal, items: CreateAnalysisDto[]): Promise<AnalysisEntity[]> {
    const inputs: PreparedInput[] = [];
    const errors: FieldError[] = [];
    for (const [index, body] of items.entries()) {
      try {
        inputs.push(await this.input(principal.organizationId, body));
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        if (error.fieldErrors === undefined)
          errors.push({ field: `items[${index}]`, message: error.message });
        else
          for (const fieldError of error.fieldErrors)
            errors.push({
              field: `items[${index}].${fieldError.field}`,
              message: fieldError.message,
            });
      }
    }
    if (errors.length > 0) throw new RequestValidationException(errors);
    return this.createAll(
      principal,
      items.map((body, index) => ({ input: inputs[index], body, replayOf: null })),
    );
  }

  /** A new analysis over the same input and options as `id` (its dataset must still exist). */
  async replay(principal: Principal, id: string): Promise<AnalysisEntity> {
    const original = await this.get(principal.organizationId, id);
    const body: CreateAnalysisDto = {
      ...(original.input.kind === 'text'
        ? { text: original.input.text }
        : { datasetId: original.input.datasetId }),
      ...(original.agents === null
        ? {}
        : { agents: original.agents as CreateAnalysisDto['agents'] }),
      ...(original.question === null ? {} : { question: original.question }),
      ...(original.maxAnomalies === null ? {} : { maxAnomalies: original.maxAnomalies }),
    };
    const input = await this.input(principal.organizationId, body);
    // Records and metric series were stored as a dataset: the replay reads that dataset again
    // (the series as it was, not as it is now), with the original's input.
    const stored = original.input.kind === 'records' || original.input.kind === 'metric';
    const [created] = await this.createAll(principal, [
      {
        input: stored ? original.input : input,
        body,
        replayOf: original.id,
      },
    ]);
    return created;
  }

  private async createAll(
    principal: Principal,
    requests: Array<{ input: PreparedInput; body: CreateAnalysisDto; replayOf: string | null }>,
  ): Promise<AnalysisEntity[]> {
    const storedRecords: DatasetEntity[] = [];
    // The request's trace, continued by the analyses wherever they run.
    const traceContext = activeTraceContext();
    const analyses = await this.analyses.inTransaction(async (work) => {
      const created: AnalysisEntity[] = [];
      for (const { input: prepared, body, replayOf } of requests) {
        const id = randomUUID();
        const input =
          prepared.kind === 'records-pending'
            ? await this.storeRecords(work, principal, id, prepared, storedRecords)
            : prepared;
        const analysis: Omit<AnalysisEntity, 'organizationId' | 'createdAt' | 'heartbeatAt'> = {
          id,
          status: 'queued',
          input,
          datasetId: input.kind === 'text' ? null : input.datasetId,
          agents: body.agents ?? null,
          question: body.question ?? null,
          maxAnomalies: body.maxAnomalies ?? null,
          inputHash: inputHash(input, body),
          // The model configured here; the process that runs it records its own when it starts.
          modelProvider: this.model.provider,
          modelName: this.model.name,
          sdkVersion: AGENTS_SDK_VERSION,
          agentRuns: null,
          result: null,
          error: null,
          errorCode: null,
          replayOf,
          createdBy: principal.id,
          startedAt: null,
          completedAt: null,
        };
        const saved = await this.analyses.insert(principal.organizationId, analysis, work);
        const job: AnalysisJobPayload = {
          organizationId: principal.organizationId,
          analysisId: saved.id,
          traceContext,
        };
        await this.jobs.sendInTransaction(work, ANALYSIS_QUEUE, job);
        await this.events.append(
          principal.organizationId,
          saved.id,
          'status',
          { status: 'queued' },
          work,
        );
        created.push(saved);
      }
      return created;
    });
    for (const dataset of storedRecords) await this.uploads.recordCreated(principal, dataset);
    return analyses;
  }

  /** Stores records as a dataset named after the analysis, in the creating transaction. */
  private async storeRecords(
    work: UnitOfWork,
    principal: Principal,
    analysisId: string,
    pending: PendingRecords,
    stored: DatasetEntity[],
  ): Promise<AnalysisInput> {
    const { metric } = pending;
    const dataset = await this.uploads.uploadInTransaction(work, principal, {
      source: Readable.from(pending.chunks),
      name:
        metric === undefined
          ? `records of analysis ${analysisId}`
          : `metric ${metric.name} of analysis ${analysisId}`,
      delimiter: ',',
      header: true,
      clientGone: () => false,
    });
    stored.push(dataset);
    return metric === undefined
      ? { kind: 'records', datasetId: dataset.id, records: pending.records }
      : { kind: 'metric', datasetId: dataset.id, records: pending.records, metric };
  }

  async get(organizationId: OrganizationId, id: string): Promise<AnalysisEntity> {
    const analysis = await this.analyses.find(organizationId, id);
    if (analysis === null)
      throw new ProblemException(404, 'not-found', `There is no analysis ${id}`);
    return analysis;
  }

  async list(
    organizationId: OrganizationId,
    query: ListAnalysesQueryDto,
  ): Promise<Page<AnalysisDto>> {
    const rows = await this.analyses.list(
      organizationId,
      { status: query.status, datasetId: query.datasetId?.toLowerCase() },
      query.limit,
      decodeCursor(query.cursor),
    );
    return toPage(rows, query.limit, mapAnalysis);
  }

  /** The analysis once it is finished, or as it is after `seconds`. */
  async wait(organizationId: OrganizationId, id: string, seconds: number): Promise<AnalysisEntity> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const analysis = await this.get(organizationId, id);
      if (TERMINAL.has(analysis.status) || Date.now() >= deadline) return analysis;
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  /** Cancels a queued or running analysis (a finished one is a 409). */
  async cancel(organizationId: OrganizationId, id: string): Promise<AnalysisEntity> {
    const analysis = await this.get(organizationId, id);
    const cancelled = await this.analyses.transition(
      organizationId,
      id,
      ['queued', 'running'],
      'cancelled',
      { completedAt: new Date(), error: 'cancelled', errorCode: 'cancelled' },
    );
    if (!cancelled) {
      throw new ProblemException(409, 'conflict', `Analysis ${id} is already ${analysis.status}`);
    }
    this.running.abort(id);
    await this.events.append(organizationId, id, 'failed', {
      status: 'cancelled',
      error: 'cancelled',
      errorCode: 'cancelled',
    });
    return this.get(organizationId, id);
  }

  /**
   * Fails a running analysis (its run failed, or its worker was lost), with its `failed`
   * event; nothing when it is no longer running.
   */
  async fail(
    organizationId: OrganizationId,
    analysisId: string,
    { code, message }: AnalysisFailure,
  ): Promise<void> {
    const failed = await this.analyses.transition(
      organizationId,
      analysisId,
      ['running'],
      'failed',
      { error: message, errorCode: code, completedAt: new Date() },
    );
    if (failed)
      await this.events.append(organizationId, analysisId, 'failed', {
        status: 'failed',
        error: message,
        errorCode: code,
      });
  }

  private async input(
    organizationId: OrganizationId,
    body: CreateAnalysisDto,
  ): Promise<PreparedInput> {
    const given = [body.datasetId, body.records, body.text, body.metric].filter(
      (value) => value !== undefined,
    ).length;
    if (given !== 1) {
      throw new RequestValidationException([
        { field: 'datasetId', message: 'send exactly one of datasetId, records, text and metric' },
      ]);
    }
    if (body.text !== undefined) return { kind: 'text', text: body.text };
    if (body.metric !== undefined) {
      const { records, metric } = await this.metricSeries.read(organizationId, body.metric);
      const { chunks } = recordsToCsv(records, this.config.datasets.maxColumns);
      return { kind: 'records-pending', chunks, records: records.length, metric };
    }
    if (body.records !== undefined) {
      const { chunks } = recordsToCsv(body.records, this.config.datasets.maxColumns);
      return { kind: 'records-pending', chunks, records: body.records.length };
    }
    const datasetId = (body.datasetId as string).toLowerCase();
    // 404 for an unknown dataset, another organization's included.
    await this.datasets.get(organizationId, datasetId);
    return { kind: 'dataset', datasetId };
  }
}

/**
 * sha256 of what was analysed and how, built field by field: stored input comes back from
 * jsonb with its keys reordered, and a replay must hash the same as its original.
 */
function inputHash(input: AnalysisInput, body: CreateAnalysisDto): string {
  const what =
    input.kind === 'text'
      ? [input.kind, input.text]
      : [
          input.kind,
          input.datasetId,
          input.kind === 'dataset' ? null : input.records,
          ...(input.kind === 'metric' ? metricHashFields(input.metric) : []),
        ];
  return createHash('sha256')
    .update(
      JSON.stringify([
        ...what,
        body.agents ?? null,
        body.question ?? null,
        // Only when asked for: the hashes of analyses from before the option stay as they were.
        ...(body.maxAnomalies === undefined ? [] : [body.maxAnomalies]),
      ]),
    )
    .digest('hex');
}

/** A metric input's fields in a fixed order, dimensions sorted by key (see {@link inputHash}). */
function metricHashFields(metric: AnalysisMetricInput): unknown[] {
  const dimensions = Object.entries(metric.dimensions ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return [
    metric.name,
    metric.from,
    metric.to,
    metric.interval,
    metric.agg,
    metric.groupBy ?? null,
    dimensions,
  ];
}
