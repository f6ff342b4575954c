export * from './query/structured-query';
export * from './planner/plan';
