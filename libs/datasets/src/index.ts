export { CsvError, type CsvErrorCode } from './csv/csv-errors';
export { DEFAULT_CSV_LIMITS, type CsvLimits, type CsvReadOptions } from './csv/csv-options';
export { openCsv, type CsvFile } from './csv/csv-reader';
export { columnIdentifiers, quoteIdentifier } from './csv/identifiers';
export {
  convert,
  RowTypeTracker,
  TypeTracker,
  type ColumnType,
  type TypedValue,
} from './csv/type-inference';
export {
  loadCsvIntoTable,
  type CsvLoadOptions,
  type CsvLoadResult,
  type DatasetColumn,
  type TypeChange,
} from './ingest/csv-table-loader';
export { ColumnProfiler, type ColumnProfile } from './profiling/column-profiler';
