import { LongConnections, type UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import {
  type CsvLoadOptions,
  type CsvLoadResult,
  loadCsvIntoTable,
} from '../ingest/csv-table-loader';
import { DatasetTableRepository } from './dataset-table.repository';

/**
 * The transactions that create a dataset's rows table and load a CSV into it. A table
 * loaded here belongs to no organization until the dataset row that names it is inserted
 * in the same transaction (DatasetsRepository.insert): before that commits no one else
 * can see it, and if it rolls back the table is gone with it.
 */
@Injectable()
export class DatasetTablesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: LongConnections,
  ) {}

  /**
   * Runs `work` in a new transaction on one of the pool's long slots (an upload holds its
   * connection as long as the client sends): committed when `work` returns, rolled back
   * when it throws.
   */
  async inUploadTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    const releaseSlot = await this.connections.acquire();
    try {
      return await this.inTransaction(work, true);
    } finally {
      releaseSlot();
    }
  }

  /** Runs `work` in a new transaction that is always rolled back (a rehearsal). */
  inRolledBackTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.inTransaction(work, false);
  }

  /**
   * Creates `options.table` and streams the CSV into it (see loadCsvIntoTable), on the
   * connection of `unit`, which must be inside a transaction: the settings of a long load
   * are set for that transaction only.
   */
  async loadCsv(
    unit: UnitOfWork,
    source: AsyncIterable<Uint8Array>,
    options: CsvLoadOptions,
  ): Promise<CsvLoadResult> {
    if (unit.queryRunner?.isTransactionActive !== true) {
      throw new Error('loadCsv needs a unit of work inside a transaction');
    }
    const client = (await unit.queryRunner.connect()) as PoolClient;
    await new DatasetTableRepository(client, options.table).prepareLoad();
    return loadCsvIntoTable(client, source, options);
  }

  private async inTransaction<T>(
    work: (unit: UnitOfWork) => Promise<T>,
    commit: boolean,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const result = await work(runner.manager);
      if (commit) await runner.commitTransaction();
      return result;
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
