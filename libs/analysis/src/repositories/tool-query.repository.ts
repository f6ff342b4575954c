import { cancelledOnAbort } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AnalysisContext } from '../orchestration/analysis-context';

/**
 * The SQL the agents' tools run on the rows of the dataset under analysis. It holds no
 * statement of its own: the tools build them on the table of a dataset read, by
 * organization, through the datasets service, and this runs them read-only and bounded.
 */
@Injectable()
export class ToolQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** {@link readOnlyQuery} on the application's data source. */
  readOnly(timeoutMs: number, signal?: AbortSignal): AnalysisContext['query'] {
    return readOnlyQuery(this.dataSource, timeoutMs, signal);
  }
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
): AnalysisContext['query'] {
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
