import type { OrganizationId } from '@app/tenancy';
import type { DatasetEntity } from '@app/datasets';
import { Injectable } from '@nestjs/common';
import { QuestionQueryRepository } from '../repositories/question-query.repository';
import { DatasetQueries, InvalidQueryError, type QueryRunOptions } from './dataset-queries';
import { compileQuery } from './query-compiler';
import { InvalidQueryException } from './query-validation';
import type { QueryResult, StructuredQuery } from './structured-query';

/** {@link DatasetQueries} by the one compiler and the read-only query repository. */
@Injectable()
export class CompiledDatasetQueries extends DatasetQueries {
  constructor(private readonly repository: QuestionQueryRepository) {
    super();
  }

  run(
    organizationId: OrganizationId,
    dataset: DatasetEntity,
    query: StructuredQuery,
    options: QueryRunOptions,
  ): Promise<QueryResult> {
    let compiled;
    try {
      compiled = compileQuery(query, dataset);
    } catch (error) {
      if (error instanceof InvalidQueryException) throw new InvalidQueryError(error.message);
      throw error;
    }
    return this.repository.run(organizationId, dataset, compiled, options);
  }
}
