export { CsvError, type CsvErrorCode } from './csv/csv-errors';
export { DEFAULT_CSV_LIMITS, type CsvLimits, type CsvReadOptions } from './csv/csv-options';
export { openCsv, type CsvFile } from './csv/csv-reader';
export { headerNameFault, MAX_HEADER_LENGTH, shownName } from './csv/header-names';
export { columnIdentifiers, quoteIdentifier } from './csv/identifiers';
export {
  convert,
  RowTypeTracker,
  TypeTracker,
  type ColumnType,
  type TypedValue,
} from './csv/type-inference';
export { BinaryCopyEncoder } from './ingest/binary-copy';
export { ColumnProfileBuilder } from './ingest/column-profile-builder';
export { SQL_TYPES } from './ingest/column-storage';
export {
  loadCsvIntoTable,
  type CsvLoadOptions,
  type CsvLoadResult,
  type DatasetColumn,
  type TypeChange,
} from './ingest/csv-table-loader';
export { ColumnProfiler, type ColumnProfile } from './profiling/column-profiler';
export { InlineTypedProfiles, type TypedProfiles } from './profiling/typed-profiles';
export { DatasetsCoreModule, DatasetsModule } from './datasets.module';
export { DatasetUploadService, type DatasetUpload } from './services/dataset-upload.service';
export { CSV_MEDIA_TYPES } from './controllers/upload-request';
export { DatasetEntity, DATASET_ROWS_SCHEMA, datasetTable } from './entities/dataset.entity';
export { ownedBy } from './repositories/dataset-ownership';
export { DatasetsService } from './services/datasets.service';
export { DatasetRowsService } from './services/dataset-rows.service';
