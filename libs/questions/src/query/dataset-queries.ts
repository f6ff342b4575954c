import type { OrganizationId } from '@app/tenancy';
import type { DatasetEntity } from '@app/datasets';
import type { QueryResult, StructuredQuery } from './structured-query';

/** A structured query that does not fit the dataset (an unknown column, a sum of text). */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
}

export interface QueryRunOptions {
  /** The query's `statement_timeout`; past it the database cancels it (SQLSTATE 57014). */
  timeoutMs: number;
  /** The query's `work_mem` in MiB (the session's when absent). */
  workMemMb?: number;
  /** Aborting cancels the statement in PostgreSQL too. */
  signal?: AbortSignal;
}

/**
 * Runs a structured query on a dataset's rows: validated against its columns, compiled to
 * parameterised SQL by the one compiler, run read-only. Throws {@link InvalidQueryError}
 * for a query that does not fit the dataset.
 */
export abstract class DatasetQueries {
  abstract run(
    organizationId: OrganizationId,
    dataset: DatasetEntity,
    query: StructuredQuery,
    options: QueryRunOptions,
  ): Promise<QueryResult>;
}
