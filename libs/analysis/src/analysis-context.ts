import type { DatasetEntity } from '@app/datasets';
import type { DataSource } from 'typeorm';

/**
 * What an agent's tools may use, passed in the SDK's `RunContext.context` (never in
 * globals): the organization, the dataset under analysis, and read-only SQL.
 */
export interface AnalysisContext {
  organizationId: string;
  dataset: Pick<
    DatasetEntity,
    'id' | 'name' | 'columns' | 'profile' | 'typeChanges' | 'rowCount' | 'tableName'
  >;
  /** A read-only statement with a statement timeout, in a transaction of its own. */
  query<Row>(text: string, values?: unknown[]): Promise<Row[]>;
}

/** `AnalysisContext.query` over a data source: READ ONLY, `statement_timeout` in ms. */
export function readOnlyQuery(dataSource: DataSource, timeoutMs: number): AnalysisContext['query'] {
  return <Row>(text: string, values: unknown[] = []) =>
    dataSource.transaction(async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await manager.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      return manager.query<Row[]>(text, values);
    });
}
