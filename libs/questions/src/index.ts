export * from './query/structured-query';
export * from './planner/plan';
export { columnParts, editDistance, isTypo, singular, wordsOf } from './planner/question-words';
export { planQuestion } from './planner/builtin-planner';
