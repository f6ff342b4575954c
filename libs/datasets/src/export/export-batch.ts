import type { DatasetEntity } from '../entities/dataset.entity';

/** Bytes of rows one export round trip fetches, about: a batch is held in memory whole. */
const EXPORT_BATCH_BYTES = 4 * 1024 * 1024;
const MAX_EXPORT_BATCH_ROWS = 1000;

/**
 * Rows an export fetches per round trip, from the file's bytes per row: a fixed 1,000 rows
 * of 1 MiB cells was a 1 GB batch in memory; narrow rows still come 1,000 at a time.
 */
export function exportBatchRows(dataset: Pick<DatasetEntity, 'byteSize' | 'rowCount'>): number {
  const rowBytes = Math.max(1, dataset.byteSize / Math.max(1, dataset.rowCount));
  return Math.max(1, Math.min(MAX_EXPORT_BATCH_ROWS, Math.floor(EXPORT_BATCH_BYTES / rowBytes)));
}
