/** Datasets whose known values are kept (least recently asked about dropped first). */
const MAX_DATASETS = 200;

/**
 * The distinct values of a dataset's few-valued text columns, kept per dataset: a dataset's
 * rows never change after its upload, and reading them is a scan of the whole table per
 * column — most of what a question over a large table cost before.
 */
export class KnownValuesCache {
  private readonly entries = new Map<string, Promise<Map<string, string[]>>>();

  /** The values for `datasetId`, read once by `read` (a failed read is not kept). */
  get(
    datasetId: string,
    read: () => Promise<Map<string, string[]>>,
  ): Promise<Map<string, string[]>> {
    const known = this.entries.get(datasetId);
    if (known !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the oldest.
      this.entries.delete(datasetId);
      this.entries.set(datasetId, known);
      return known;
    }
    const reading = read();
    this.entries.set(datasetId, reading);
    reading.catch(() => this.entries.delete(datasetId));
    while (this.entries.size > MAX_DATASETS) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return reading;
  }
}
