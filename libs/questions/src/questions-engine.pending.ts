import { ProblemException } from '@app/common';
import type { DatasetEntity } from '@app/datasets';
import type { PlannerDataset, QuestionPlan } from './planner/plan';
import { QuestionPlanner } from './planner/question-planner';
import { DatasetQueries } from './query/dataset-queries';
import type { QueryResult, StructuredQuery } from './query/structured-query';

/*
 * The builtin planner (`planQuestion`, planner/builtin-planner.ts) and the compiler with its
 * repository (query/query-compiler.ts, repositories/question-query.repository.ts) are built on
 * their own branches (issue 20). Until they are merged these stand in, so the routes, the
 * storage and the contract exist and are tested; asking answers 503. At the merge the module
 * binds `QuestionPlanner` to `planQuestion` and `DatasetQueries` to compile-and-run.
 */

function unavailable(): ProblemException {
  return new ProblemException(
    503,
    'questions-unavailable',
    'Asking a dataset is not available in this build: its planner is not installed',
  );
}

export class PendingQuestionPlanner extends QuestionPlanner {
  readonly model = { provider: 'builtin', name: 'sightline-builtin-question-planner-1' };

  plan(_question: string, _dataset: PlannerDataset): QuestionPlan {
    throw unavailable();
  }
}

export class PendingDatasetQueries extends DatasetQueries {
  run(
    _organizationId: string,
    _dataset: DatasetEntity,
    _query: StructuredQuery,
  ): Promise<QueryResult> {
    return Promise.reject(unavailable());
  }
}
