import type { OrganizationId } from '@app/tenancy';
import { ProblemException, RetryLaterException } from '@app/common';
import { cancelledOnAbort } from '@app/database';
import type { DatasetEntity } from '@app/datasets';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryRunOptions } from '../query/dataset-queries';
import type { CompiledQuery } from '../query/query-compiler';
import { queryResultOf } from '../query/query-results';
import type { QueryResult } from '../query/structured-query';

/** Seconds a client is told to wait before asking again after a query ran out of time. */
const QUERY_TIMEOUT_RETRY_SECONDS = 10;

/**
 * Runs compiled structured queries: one READ ONLY transaction each, with a statement
 * timeout, on a dataset the organization owns.
 */
@Injectable()
export class QuestionQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The result of `compiled` over `dataset`, which must be the organization's (else 404,
   * as if it did not exist). A statement that outlasts `timeoutMs` is a 503 `query-timeout`
   * with `Retry-After`, the house's answer to SQLSTATE 57014: the query was valid, the
   * database was too slow for it now; the client may retry, or ask for less.
   */
  async run(
    organizationId: OrganizationId,
    dataset: Pick<DatasetEntity, 'id' | 'tableName'>,
    compiled: CompiledQuery,
    options: QueryRunOptions,
  ): Promise<QueryResult> {
    if (compiled.tableName !== dataset.tableName) {
      throw new Error(`query compiled for ${compiled.tableName}, run on ${dataset.tableName}`);
    }
    const { signal, timeoutMs, workMemMb } = options;
    signal?.throwIfAborted();
    try {
      const rows = await this.dataSource.transaction(async (manager) => {
        await manager.query('SET TRANSACTION READ ONLY');
        await manager.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
        if (workMemMb !== undefined) {
          await manager.query(`SET LOCAL work_mem = '${Math.max(1, Math.floor(workMemMb))}MB'`);
        }
        const owned = await manager.query<unknown[]>(
          'SELECT 1 FROM datasets WHERE organization_id = $1 AND id = $2 AND table_name = $3',
          [organizationId, dataset.id, dataset.tableName],
        );
        if (owned.length === 0) {
          throw new ProblemException(404, 'not-found', `There is no dataset ${dataset.id}`);
        }
        return cancelledOnAbort(this.dataSource, manager, signal, () =>
          manager.query<Array<Record<string, unknown>>>(compiled.sql, compiled.values),
        );
      });
      return queryResultOf(compiled, rows);
    } catch (error) {
      signal?.throwIfAborted();
      if (sqlStateOf(error) === '57014') {
        throw new RetryLaterException(
          503,
          'query-timeout',
          `The query did not finish within ${timeoutMs} ms; ask again later, or ask for less ` +
            '(a narrower filter, fewer groups)',
          QUERY_TIMEOUT_RETRY_SECONDS,
        );
      }
      throw error;
    }
  }
}

/** The SQLSTATE of a database error (TypeORM wraps the driver's in `driverError`). */
function sqlStateOf(error: unknown): string | undefined {
  for (const candidate of [error, (error as { driverError?: unknown } | null)?.driverError]) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
