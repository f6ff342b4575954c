import { cancelledOnAbort } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DatasetScansRepository, type ToolQuery } from './dataset-scans.repository';
import { SeriesScansRepository } from './series-scans.repository';

export type { ToolQuery };

/** The repositories of the agents' tools, bound to one run's read-only statements. */
export interface ToolScans {
  scans: DatasetScansRepository;
  series: SeriesScansRepository;
}

/**
 * How the agents' tools reach the rows of the dataset under analysis: read-only and
 * bounded ({@link readOnlyQuery}). It holds no statement of its own: the named statements
 * are {@link DatasetScansRepository}'s and {@link SeriesScansRepository}'s, which run them
 * through this.
 */
@Injectable()
export class ToolQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** {@link readOnlyQuery} on the application's data source. */
  readOnly(timeoutMs: number, signal?: AbortSignal): ToolQuery {
    return readOnlyQuery(this.dataSource, timeoutMs, signal);
  }
}

/** The tools' repositories, their statements run by `query`. */
export function toolScans(query: ToolQuery): ToolScans {
  return { scans: new DatasetScansRepository(query), series: new SeriesScansRepository(query) };
}

/** {@link toolScans} over {@link readOnlyQuery} on `dataSource` (tests and scripts). */
export function readOnlyScans(
  dataSource: DataSource,
  timeoutMs: number,
  signal?: AbortSignal,
): ToolScans {
  return toolScans(readOnlyQuery(dataSource, timeoutMs, signal));
}

/**
 * `AnalysisContext.query` over a data source: READ ONLY, `statement_timeout` in ms. When
 * `signal` aborts (a cancelled or timed-out analysis), the statements in flight are
 * cancelled in PostgreSQL too (`pg_cancel_backend`), not left to run on.
 */
export function readOnlyQuery(
  dataSource: DataSource,
  timeoutMs: number,
  signal?: AbortSignal,
): ToolQuery {
  return <Row>(text: string, values: unknown[] = []) => {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    return dataSource.transaction(async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await manager.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      return cancelledOnAbort(dataSource, manager, signal, () =>
        manager.query<Row[]>(text, values),
      );
    });
  };
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
