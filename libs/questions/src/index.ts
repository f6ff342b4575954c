export {
  AGGREGATES,
  type Aggregate,
  CALENDAR_PART_RANGES,
  CALENDAR_PARTS,
  type CalendarPart,
  COMPARISON_OPS,
  type ComparisonOp,
  comparisonSchema,
  dimensionSchema,
  filterSchema,
  measureSchema,
  orderSchema,
  QUERY_LIMITS,
  type QueryComparison,
  type QueryDimension,
  type QueryFilter,
  type QueryMeasure,
  type QueryOrder,
  type QueryResult,
  RELATIVE_UNITS,
  type RelativeUnit,
  type ResultColumn,
  type Scalar,
  scalarSchema,
  type StructuredQuery,
  structuredQuerySchema,
  TIME_BUCKETS,
  type TimeBucket,
} from './query/structured-query';
export { InvalidQueryException, parseQuery, validateQuery } from './query/query-validation';
export { type CompiledQuery, compileQuery, type QueryDataset } from './query/query-compiler';
export { QuestionQueryRepository } from './repositories/question-query.repository';
export * from './planner/plan';
export { columnParts, editDistance, isTypo, singular, wordsOf } from './planner/question-words';
export { planQuestion } from './planner/builtin-planner';
export { QuestionsCoreModule, QuestionsModule } from './questions.module';
export { QuestionsService } from './services/questions.service';
export { MAX_QUESTION_LENGTH, questionText } from './services/question-text';
export {
  EXAMPLE_QUERY,
  QuestionResultDto,
  STRUCTURED_QUERY_PROPERTY,
  STRUCTURED_QUERY_SCHEMA,
} from './dtos/question.dto';
export {
  type AnsweredQuestion,
  type QuestionAnswer,
  QuestionAnsweringService,
  type UnansweredQuestion,
} from './services/question-answering.service';
export { QuestionEntity } from './entities/question.entity';
export { QuestionPlanner, type PlannerModel } from './planner/question-planner';
export { DatasetQueries, InvalidQueryError, type QueryRunOptions } from './query/dataset-queries';
export { answerSentence } from './answer/answer-sentence';
export { answerChart } from './answer/answer-chart';
export { numbersAreFromResult } from './answer/result-numbers';
