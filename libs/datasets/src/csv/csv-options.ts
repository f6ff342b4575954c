import type { CsvDelimiter } from './delimiter-sniffer';

/** What `openCsv` accepts: parsing choices and the limits that turn into 413s. */
export interface CsvLimits {
  /** Bytes of the whole file, BOM included. */
  maxBytes: number;
  /** Fields per row. PostgreSQL tables stop at 1600 columns. */
  maxColumns: number;
  /** Characters (UTF-16 code units) of one physical line, line break excluded. */
  maxLineLength: number;
  /** Characters of one field as written, quotes included; a quoted field may span lines. */
  maxFieldLength: number;
}

export const DEFAULT_CSV_LIMITS: Readonly<CsvLimits> = {
  maxBytes: 1024 ** 3,
  maxColumns: 1000,
  maxLineLength: 1024 ** 2,
  maxFieldLength: 1024 ** 2,
};

export interface CsvReadOptions {
  /** Sniffed from the first 64 KiB when absent. */
  delimiter?: CsvDelimiter;
  /** The first row names the columns (default); without it they are `column_1`, `column_2`, … */
  header?: boolean;
  /**
   * Pad rows with too few fields with nulls (an empty line becomes a row of nulls).
   * Rows with too many fields still fail unless the extra fields are all empty
   * (`a,b,,`), so no value is ever dropped. Off by default; note that PostgreSQL's
   * `COPY` refuses ragged rows, so a lenient upload cannot be copied byte for byte.
   */
  allowRagged?: boolean;
  limits?: Partial<CsvLimits>;
  /** Rows per yielded batch (a batch may be larger by the rows of one 64 KiB chunk). */
  batchSize?: number;
}
