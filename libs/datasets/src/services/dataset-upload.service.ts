import type { Principal } from '@app/access';
import { AuditService } from '@app/audit';
import { ProblemException, type RequestMeta, RetryLaterException } from '@app/common';
import { AppConfig } from '@app/config';
import { LongConnections } from '@app/database';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { CsvError } from '../csv/csv-errors';
import type { CsvDelimiter } from '../csv/delimiter-sniffer';
import { ConcurrencyGate } from '../ingest/concurrency-gate';
import { loadCsvIntoTable, prepareLoadTransaction } from '../ingest/csv-table-loader';
import { ProfileThread } from '../ingest/profile-thread';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import { DatasetsRepository } from '../repositories/datasets.repository';

export interface DatasetUpload {
  source: AsyncIterable<Uint8Array>;
  name: string;
  delimiter?: CsvDelimiter;
  header: boolean;
  /** Tells an upload the client abandoned from a broken file (both end the stream early). */
  clientGone: () => boolean;
}

/** What a client refused by a full upload queue is told to wait. */
const UPLOAD_QUEUE_RETRY_AFTER_SECONDS = 10;

/**
 * Turns an upload into a dataset in one transaction: the rows table, its rows (COPY)
 * and the dataset row with its profile commit together or not at all. A broken file,
 * a client that goes away and a killed process all leave nothing behind.
 */
@Injectable()
export class DatasetUploadService {
  private readonly logger = new Logger('Datasets');
  private readonly gate: ConcurrencyGate;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly datasets: DatasetsRepository,
    private readonly audit: AuditService,
    private readonly profileThread: ProfileThread,
    private readonly connections: LongConnections,
  ) {
    const { uploadConcurrency, uploadQueueLength } = config.datasets;
    this.gate = new ConcurrencyGate(
      uploadConcurrency,
      uploadQueueLength,
      () =>
        new RetryLaterException(
          503,
          'upload-queue-full',
          `${uploadConcurrency} uploads are loading and ${uploadQueueLength} waiting, the most this server queues; try again shortly`,
          UPLOAD_QUEUE_RETRY_AFTER_SECONDS,
        ),
    );
  }

  upload(principal: Principal, upload: DatasetUpload, meta?: RequestMeta): Promise<DatasetEntity> {
    return this.gate.run(() => this.load(principal, upload, meta));
  }

  /**
   * Stores a small upload inside the caller's transaction (records sent with an analysis):
   * the dataset commits or rolls back with whatever else the caller writes. No audit
   * record is written here; call {@link recordCreated} once the caller has committed.
   */
  async uploadInTransaction(
    manager: EntityManager,
    principal: Principal,
    upload: DatasetUpload,
  ): Promise<DatasetEntity> {
    if (manager.queryRunner?.isTransactionActive !== true) {
      throw new Error('uploadInTransaction needs a manager inside a transaction');
    }
    const client = (await manager.queryRunner.connect()) as PoolClient;
    try {
      return await this.store(client, manager, principal, upload);
    } catch (error) {
      throw uploadProblem(error, upload);
    }
  }

  /** The audit record of a dataset stored by {@link uploadInTransaction}. */
  recordCreated(principal: Principal, dataset: DatasetEntity, meta?: RequestMeta): Promise<void> {
    return this.audit.record({
      actor: principal,
      action: 'dataset.created',
      outcome: 'success',
      target: { type: 'dataset', id: dataset.id },
      meta,
      details: { name: dataset.name, rowCount: dataset.rowCount, byteSize: dataset.byteSize },
    });
  }

  private async load(
    principal: Principal,
    upload: DatasetUpload,
    meta: RequestMeta | undefined,
  ): Promise<DatasetEntity> {
    // The connection is held as long as the client sends: one of the pool's long slots.
    const releaseSlot = await this.connections.acquire();
    const runner = this.dataSource.createQueryRunner();
    const started = Date.now();
    try {
      const client = (await runner.connect()) as PoolClient;
      await runner.startTransaction();
      const dataset = await this.store(client, runner.manager, principal, upload);
      await runner.commitTransaction();
      this.logger.log(
        `Dataset ${dataset.id}: ${dataset.rowCount} rows, ${dataset.byteSize} bytes in ${Date.now() - started} ms`,
      );
      await this.recordCreated(principal, dataset, meta);
      return dataset;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw uploadProblem(error, upload);
    } finally {
      await runner.release();
      releaseSlot();
    }
  }

  /** The rows table, its rows (COPY) and the dataset row, in the transaction `client` is in. */
  private async store(
    client: PoolClient,
    manager: EntityManager,
    principal: Principal,
    upload: DatasetUpload,
  ): Promise<DatasetEntity> {
    const id = randomUUID();
    const tableName = `d_${id.replace(/-/g, '')}`;
    await prepareLoadTransaction(client);
    const limits = this.config.datasets;
    const loaded = await loadCsvIntoTable(client, upload.source, {
      table: datasetTable({ tableName }),
      delimiter: upload.delimiter,
      header: upload.header,
      limits: {
        maxBytes: limits.maxBytes,
        maxColumns: limits.maxColumns,
        maxLineLength: limits.maxLineLength,
        maxFieldLength: limits.maxFieldLength,
      },
      typedProfiles: this.profileThread.open(),
    });
    return this.datasets.insert(manager, {
      id,
      organizationId: principal.organizationId,
      name: upload.name,
      status: 'ready',
      tableName,
      rowCount: loaded.rowCount,
      byteSize: loaded.byteSize,
      delimiter: loaded.delimiter,
      hasHeader: upload.header,
      columns: loaded.columns,
      profile: loaded.profile,
      typeChanges: loaded.typeChanges,
      createdBy: principal.id,
    });
  }
}

/** The 4xx problem a failed upload answers; an unexpected error as it is (a 500). */
export function uploadProblem(error: unknown, upload: DatasetUpload): unknown {
  if (error instanceof CsvError) {
    return new ProblemException(error.status, `csv-${error.code}`, error.message);
  }
  if (upload.clientGone()) {
    return new ProblemException(
      400,
      'upload-interrupted',
      'The upload ended before the whole file arrived; nothing was stored',
    );
  }
  // Multipart parsing errors carry their own 4xx status (malformed body, too many parts).
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ProblemException(status, 'invalid-upload', (error as Error).message);
  }
  return error;
}
