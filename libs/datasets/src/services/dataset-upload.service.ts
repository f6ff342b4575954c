import type { Principal } from '@app/access';
import { AuditService } from '@app/audit';
import { ProblemException, type RequestMeta, RetryLaterException } from '@app/common';
import { AppConfig } from '@app/config';
import type { UnitOfWork } from '@app/database';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CsvError } from '../csv/csv-errors';
import type { CsvDelimiter } from '../csv/delimiter-sniffer';
import { ConcurrencyGate } from '../ingest/concurrency-gate';
import { ProfileThreadService } from '../ingest/profile-thread.service';
import { datasetTable, type DatasetEntity } from '../entities/dataset.entity';
import { DatasetTablesRepository } from '../repositories/dataset-tables.repository';
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
    private readonly datasets: DatasetsRepository,
    private readonly tables: DatasetTablesRepository,
    private readonly audit: AuditService,
    private readonly profileThread: ProfileThreadService,
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
    work: UnitOfWork,
    principal: Principal,
    upload: DatasetUpload,
  ): Promise<DatasetEntity> {
    try {
      return await this.store(work, principal, upload);
    } catch (error) {
      throw uploadProblem(error, upload);
    }
  }

  /**
   * Loads a CSV (with a header row) as an upload would, into a table whose transaction is
   * always rolled back: the start-up warm-up. Its row count.
   */
  rehearse(source: AsyncIterable<Uint8Array>): Promise<number> {
    return this.tables.inRolledBackTransaction(async (work) => {
      const tableName = `warm_up_${randomUUID().replace(/-/g, '')}`;
      const loaded = await this.tables.loadCsv(work, source, {
        table: datasetTable({ tableName }),
        header: true,
        limits: this.config.datasets,
        typedProfiles: this.profileThread.open(),
      });
      return loaded.rowCount;
    });
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
    try {
      // Timed from the transaction's start, not from the wait for a long slot.
      let started = Date.now();
      const dataset = await this.tables.inUploadTransaction((work) => {
        started = Date.now();
        return this.store(work, principal, upload);
      });
      this.logger.log(
        `Dataset ${dataset.id}: ${dataset.rowCount} rows, ${dataset.byteSize} bytes in ${Date.now() - started} ms`,
      );
      await this.recordCreated(principal, dataset, meta);
      return dataset;
    } catch (error) {
      throw uploadProblem(error, upload);
    }
  }

  /** The rows table, its rows (COPY) and the dataset row, in the transaction of `work`. */
  private async store(
    work: UnitOfWork,
    principal: Principal,
    upload: DatasetUpload,
  ): Promise<DatasetEntity> {
    const id = randomUUID();
    const tableName = `d_${id.replace(/-/g, '')}`;
    const limits = this.config.datasets;
    const loaded = await this.tables.loadCsv(work, upload.source, {
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
    return this.datasets.insert(
      principal.organizationId,
      {
        id,
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
      },
      work,
    );
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
