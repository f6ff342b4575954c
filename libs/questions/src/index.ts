export * from './query/structured-query';
