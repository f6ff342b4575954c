import { CsvError } from './csv-errors';

/** An unquoted empty field is `null` (SQL NULL); a quoted empty field (`""`) is `''`. */
export type CsvField = string | null;
export type CsvRow = CsvField[];

export interface TokenizerLimits {
  maxColumns: number;
  maxLineLength: number;
  maxFieldLength: number;
}

/** How the rows of the file end, fixed by the first line break outside quotes. */
type LineEnding = 'unknown' | 'LF' | 'CRLF' | 'CR';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * RFC 4180 tokenizer with PostgreSQL's reading of the grey areas, so that the rows
 * Node sees are exactly the rows `COPY ... (FORMAT csv)` stores from the same bytes:
 *
 * - a `"` anywhere in a field opens a quoted section (`ab"c,d"e` is `abc,de`); inside
 *   one, `""` is a literal quote and any other `"` closes it;
 * - an unquoted empty field is `null`, a quoted one (`""`) is the empty string;
 * - rows end with `\n`, `\r\n` or `\r`, whichever comes first, and every row must
 *   end the same way (PostgreSQL refuses a mix, so do we: `mixed-line-endings`);
 * - an empty line is a row with one null field. Empty lines at the end of the file
 *   are dropped; elsewhere they are ordinary rows, which in a file of more than one
 *   column makes them ragged (PostgreSQL: "missing data for column").
 *
 * Text arrives in chunks of any size (a chunk may end inside a quoted field, between
 * a doubled quote or between `\r` and `\n`); rows come out in {@link rows}, which the
 * caller empties. Memory is bounded by the limits: a line or field that grows past
 * its limit fails by the end of the chunk where it does, not at its own end.
 *
 * Field strings are slices of the chunk text; a consumer that keeps some of them for
 * long (distinct values, top values) should copy them, or the chunks stay alive.
 */
export class CsvTokenizer {
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

  private readonly delimiter: number;
  private fields: CsvField[] = [];
  /** Text of the current field already taken from earlier chunks or quoted sections. */
  private partial = '';
  private sawQuote = false;
  private inQuotes = false;
  /** The last chunk ended on a `"` inside quotes: closing, or the first of `""`? */
  private quotePending = false;
  /** The last chunk ended on an unquoted `\r`: is the next character `\n`? */
  private crPending = false;
  private lineEnding: LineEnding = 'unknown';
  private lineEndingLine = 0;
  /** 1-based physical line of the current position. */
  private line = 1;
  private rowLine = 1;
  /** Lines where the current field's first quote and its latest quoted section open. */
  private fieldQuoteLine = 1;
  private quoteLine = 1;
  /** Empty lines not yet emitted: emitted before the next row, dropped at the end. */
  private blankRun = 0;
  private blankRunLine = 0;
  private previousChunkEndsWithCr = false;
  /**
   * Character offsets in the whole text: of the current chunk, and of the start of the
   * current line and field. Limits are judged on these, at the position where a line
   * or field first grows too long, so the outcome never depends on chunk boundaries.
   */
  private offset = 0;
  private lineStart = 0;
  private fieldStart = 0;

  private readonly limits: TokenizerLimits;

  constructor(delimiter: string, limits: TokenizerLimits) {
    this.delimiter = delimiter.charCodeAt(0);
    // Copied into one shape for every tokenizer (callers pass objects of other shapes):
    // `push` is compiled for one map, not deoptimised when another caller's comes along.
    const { maxColumns, maxLineLength, maxFieldLength } = limits;
    this.limits = { maxColumns, maxLineLength, maxFieldLength };
  }

  /**
   * The physical line where the first row not yet in {@link rows} starts (a pending
   * empty line, or the row being read): every byte before that line belongs to rows
   * already emitted, so a caller may hand those bytes on (to COPY) and keep the rest.
   */
  get nextRowLine(): number {
    return this.blankRun > 0 ? this.blankRunLine : this.rowLine;
  }

  /** The physical line being read: for errors found outside the tokenizer (bad UTF-8). */
  get currentLine(): number {
    return this.line;
  }

  push(text: string): void {
    const n = text.length;
    if (n === 0) return;
    const delimiter = this.delimiter;
    const maxSpecial = Math.max(delimiter, QUOTE);
    const { maxLineLength, maxFieldLength } = this.limits;
    let i = 0;
    /** Start of the current field's text not yet copied into `partial`. */
    let start = 0;

    if (this.crPending) {
      this.crPending = false;
      if (text.charCodeAt(0) === LF) {
        this.endRowAtCr('CRLF', 0);
        i = start = 1;
      } else {
        this.endRowAtCr('CR', -1);
      }
    } else if (this.quotePending) {
      this.quotePending = false;
      if (text.charCodeAt(0) === QUOTE) {
        this.partial += '"';
        i = start = 1;
      } else {
        this.inQuotes = false;
      }
    }

    while (i < n) {
      if (this.inQuotes) {
        for (; i < n; i++) {
          const c = text.charCodeAt(i);
          if (c > QUOTE) continue;
          if (c === QUOTE) break;
          if (c === LF) {
            const previous = i > 0 ? text.charCodeAt(i - 1) : -1;
            if (previous === CR || (i === 0 && this.previousChunkEndsWithCr)) {
              this.lineStart = this.offset + i + 1;
            } else {
              this.breakLine(i);
            }
          } else if (c === CR) {
            this.breakLine(i);
          }
        }
        if (i === n) break;
        if (i + 1 === n) {
          this.partial += text.slice(start, i);
          this.quotePending = true;
          start = n;
          break;
        }
        if (text.charCodeAt(i + 1) === QUOTE) {
          this.partial += text.slice(start, i + 1);
          i += 2;
        } else {
          this.partial += text.slice(start, i);
          this.inQuotes = false;
          i += 1;
        }
        start = i;
        continue;
      }

      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > maxSpecial) continue;
        if (c === delimiter) {
          const at = this.offset + i;
          if (at - this.fieldStart > maxFieldLength || at - this.lineStart > maxLineLength) {
            this.checkLimits(at);
          }
          if (this.partial.length === 0 && !this.sawQuote) {
            // The common case, inline: a plain field within one chunk.
            const fields = this.fields;
            if (fields.length === this.limits.maxColumns) this.tooManyColumns();
            fields.push(i === start ? null : text.slice(start, i));
          } else {
            this.endField(text, start, i);
          }
          start = i + 1;
          this.fieldStart = at + 1;
        } else if (c === QUOTE) {
          this.partial += text.slice(start, i);
          if (!this.sawQuote) this.fieldQuoteLine = this.line;
          this.sawQuote = true;
          this.inQuotes = true;
          this.quoteLine = this.line;
          start = i + 1;
          i += 1;
          break;
        } else if (c === LF) {
          const at = this.offset + i;
          if (at - this.fieldStart > maxFieldLength || at - this.lineStart > maxLineLength) {
            this.checkLimits(at);
          }
          if (
            this.partial.length === 0 &&
            !this.sawQuote &&
            this.fields.length < this.limits.maxColumns
          ) {
            this.fields.push(i === start ? null : text.slice(start, i));
          } else {
            this.endField(text, start, i);
          }
          // breakLine(), inline: the limits are checked.
          this.lineStart = this.fieldStart = at + 1;
          this.line += 1;
          if (this.lineEnding !== 'LF') this.endLine('LF');
          this.endRow();
          start = i + 1;
        } else if (c === CR) {
          this.checkLimits(this.offset + i);
          this.endField(text, start, i);
          this.breakLine(i);
          // Whether the row ends with CR or CRLF is known only with the next character.
          if (i + 1 === n) {
            this.crPending = true;
            start = n;
          } else if (text.charCodeAt(i + 1) === LF) {
            this.endRowAtCr('CRLF', i + 1);
            i += 1;
            start = i + 1;
          } else {
            this.endRowAtCr('CR', i);
            start = i + 1;
          }
        }
      }
    }

    if (start < n) this.partial += text.slice(start, n);
    this.previousChunkEndsWithCr = text.charCodeAt(n - 1) === CR;
    this.offset += n;
    this.checkLimits(this.offset);
  }

  /** The input is over: finish the last row (a missing final line break is fine). */
  end(): void {
    if (this.crPending) {
      this.crPending = false;
      this.endRowAtCr('CR', -1);
    }
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) {
      throw new CsvError(
        'unclosed-quote',
        `The quoted field that starts on line ${this.quoteLine} is never closed ` +
          '(a " inside an unquoted field also starts a quoted section; double it or quote the whole field)',
        this.quoteLine,
      );
    }
    if (this.fields.length > 0 || this.partial.length > 0 || this.sawQuote) {
      this.endField('', 0, 0);
      this.endRow();
    }
    // Empty lines at the end of the file are not rows: the rows end where they start.
    if (this.blankRun > 0) this.rowLine = this.blankRunLine;
    this.blankRun = 0;
  }

  private endField(text: string, start: number, end: number): void {
    const value =
      this.partial.length === 0 ? text.slice(start, end) : this.partial + text.slice(start, end);
    this.partial = '';
    if (this.fields.length === this.limits.maxColumns) this.tooManyColumns();
    this.fields.push(value.length === 0 && !this.sawQuote ? null : value);
    this.sawQuote = false;
  }

  /** Ends the row at an unquoted `\r` (`index`: of the `\n` of CRLF, or -1). */
  private endRowAtCr(ending: 'CR' | 'CRLF', index: number): void {
    if (ending === 'CRLF') this.lineStart = this.fieldStart = this.offset + index + 1;
    this.endLine(ending);
    this.endRow();
  }

  private endRow(): void {
    const fields = this.fields;
    this.fields = [];
    const line = this.rowLine;
    this.rowLine = this.line;
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
    const reference = this.firstRowIsHeader ? 'the header' : 'the first row';
    const count = `${expected} field${expected === 1 ? '' : 's'}`;
    const message =
      fields.length === 1 && fields[0] === null
        ? `Row ${row} is an empty line; ${reference} has ${count} (line ${line})`
        : this.allowRagged
          ? `Row ${row} has ${fields.length} fields, more than the ${expected} of ${reference}, and the extra ones are not empty (line ${line})`
          : `Row ${row} has ${fields.length} field${fields.length === 1 ? '' : 's'}; ${reference} has ${expected} (line ${line})`;
    throw new CsvError('ragged-row', message, line);
  }

  /** A physical line ends at `index` of the current chunk (outside or inside quotes). */
  private breakLine(index: number): void {
    const end = this.offset + index;
    this.checkLimits(end);
    this.lineStart = end + 1;
    this.fieldStart = this.inQuotes ? this.fieldStart : end + 1;
    this.line += 1;
  }

  /** Records how an unquoted line break ends a row; every row must end the same way. */
  private endLine(ending: Exclude<LineEnding, 'unknown'>): void {
    if (this.lineEnding === ending) return;
    const line = this.line - 1;
    if (this.lineEnding === 'unknown') {
      this.lineEnding = ending;
      this.lineEndingLine = line;
      return;
    }
    throw new CsvError(
      'mixed-line-endings',
      `Line ${line} ends with ${ending} but line ${this.lineEndingLine} ends with ${this.lineEnding}; ` +
        'use one kind of line break throughout, and quote fields that contain line breaks',
      line,
    );
  }

  /**
   * Fails when the current field or line is over its limit before position `at`:
   * whichever went over first, wherever the chunks happen to end.
   */
  private checkLimits(at: number): void {
    const fieldOver = this.fieldStart + this.limits.maxFieldLength;
    const lineOver = this.lineStart + this.limits.maxLineLength;
    if (fieldOver < at && fieldOver <= lineOver) this.fieldTooLong();
    if (lineOver < at) this.lineTooLong();
  }

  private fieldTooLong(): never {
    const line = this.sawQuote ? this.fieldQuoteLine : this.line;
    const hint = this.sawQuote ? '; is a closing quote missing?' : '';
    throw new CsvError(
      'field-too-long',
      `Field ${this.fields.length + 1} of row ${this.rowCount + this.blankRun + 1} is longer than ${this.limits.maxFieldLength} characters, the limit${hint} (line ${line})`,
      line,
    );
  }

  private tooManyColumns(): never {
    throw new CsvError(
      'too-many-columns',
      `Row ${this.rowCount + this.blankRun + 1} has more than ${this.limits.maxColumns} fields, the limit (line ${this.rowLine})`,
      this.rowLine,
    );
  }

  private lineTooLong(): never {
    throw new CsvError(
      'line-too-long',
      `Line ${this.line} is longer than ${this.limits.maxLineLength} characters, the limit`,
      this.line,
    );
  }
}
