import { CsvError } from './csv-errors';

/** An unquoted empty field is `null` (SQL NULL); a quoted empty field (`""`) is `''`. */
export type CsvField = string | null;
export type CsvRow = CsvField[];

/**
 * The rows of a CSV file as PostgreSQL's `COPY ... (FORMAT csv)` counts them, whatever
 * reads their characters (CsvTokenizer, which extends it, in ./csv-tokenizer):
 *
 * - an empty line is a row with one null field. Empty lines at the end of the file
 *   are dropped; elsewhere they are ordinary rows, which in a file of more than one
 *   column makes them ragged (PostgreSQL: "missing data for column");
 * - every row has the first row's field count, unless ragged rows are allowed: then a
 *   short row is padded with nulls, and a long one loses its extra fields if all are empty.
 */
export class CsvRows {
  /** Completed rows, in order; the caller takes them and assigns a fresh array. */
  rows: CsvRow[] = [];
  /** Field count every row must have; 0 until the first row fixes it; -1: any count. */
  expectedFields = 0;
  /** Rows completed so far, header and empty lines included. */
  rowCount = 0;
  /** The header row's field count names "the header" in messages; else "the first row". */
  firstRowIsHeader = true;
  /** Pad short rows with nulls instead of failing (extra fields must still be empty). */
  allowRagged = false;
  /** Sees the first row before any other is read: the reader checks the header here. */
  onFirstRow: ((row: CsvRow) => void) | undefined;

  /** Empty lines not yet emitted: emitted before the next row, dropped at the end. */
  private blankRun = 0;
  private blankRunLine = 0;

  /** The physical line where the empty lines not yet emitted start, if there are any. */
  protected get blankLinesFrom(): number | undefined {
    return this.blankRun > 0 ? this.blankRunLine : undefined;
  }

  /** The number the row being read gets (empty lines before it count). */
  protected get nextRowNumber(): number {
    return this.rowCount + this.blankRun + 1;
  }

  /** A row ends; its first physical line is `line`. */
  protected completeRow(fields: CsvRow, line: number): void {
    if (fields.length === 1 && fields[0] === null && this.rowCount > 0) {
      if (this.blankRun === 0) this.blankRunLine = line;
      this.blankRun += 1;
      return;
    }
    if (this.blankRun > 0) this.flushBlankRun();
    this.rowCount += 1;
    if (this.expectedFields === 0) {
      this.expectedFields = fields.length;
      this.onFirstRow?.(fields);
    } else if (fields.length !== this.expectedFields && this.expectedFields > 0) {
      this.ragged(fields, this.rowCount, line);
    }
    this.rows.push(fields);
  }

  /** The input is over: empty lines not yet emitted are not rows. Where they start, if any. */
  protected dropBlankLines(): number | undefined {
    const from = this.blankLinesFrom;
    this.blankRun = 0;
    return from;
  }

  /** Empty lines followed by more rows are rows of one null field (as PostgreSQL reads them). */
  private flushBlankRun(): void {
    let line = this.blankRunLine;
    for (; this.blankRun > 0; this.blankRun -= 1) {
      this.rowCount += 1;
      const fields: CsvRow = [null];
      if (this.expectedFields > 1) this.ragged(fields, this.rowCount, line);
      this.rows.push(fields);
      line += 1;
    }
  }

  /** Pads a short row when allowed; otherwise, and for any non-empty extra field, fails. */
  private ragged(fields: CsvRow, row: number, line: number): void {
    const expected = this.expectedFields;
    if (this.allowRagged) {
      if (fields.length < expected) {
        while (fields.length < expected) fields.push(null);
        return;
      }
      if (fields.slice(expected).every((field) => field === null || field === '')) {
        fields.length = expected;
        return;
      }
    }
    throw raggedRow(fields, { expected, row, line }, this);
  }
}

/**
 * Row `row` (at `line`) has `fields`, not the `expected` count of the first row (the header's,
 * when the first row is one); with ragged rows allowed, only extra fields that are not empty.
 */
function raggedRow(
  fields: CsvRow,
  { expected, row, line }: { expected: number; row: number; line: number },
  { firstRowIsHeader, allowRagged }: { firstRowIsHeader: boolean; allowRagged: boolean },
): CsvError {
  const reference = firstRowIsHeader ? 'the header' : 'the first row';
  const count = `${expected} field${expected === 1 ? '' : 's'}`;
  const message =
    fields.length === 1 && fields[0] === null
      ? `Row ${row} is an empty line; ${reference} has ${count} (line ${line})`
      : allowRagged
        ? `Row ${row} has ${fields.length} fields, more than the ${expected} of ${reference}, and the extra ones are not empty (line ${line})`
        : `Row ${row} has ${fields.length} field${fields.length === 1 ? '' : 's'}; ${reference} has ${expected} (line ${line})`;
  return new CsvError('ragged-row', message, line);
}
