import {
  fieldTooLong,
  lineTooLong,
  mixedLineEndings,
  tooManyColumns,
  unclosedQuote,
} from './tokenizer-refusals';
import { type CsvField, CsvRows } from './csv-rows';

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
 * - empty lines and field counts are read as {@link CsvRows} says (./csv-rows).
 *
 * Text arrives in chunks of any size (a chunk may end inside a quoted field, between
 * a doubled quote or between `\r` and `\n`); rows come out in {@link rows}, which the
 * caller empties. Memory is bounded by the limits: a line or field that grows past
 * its limit fails by the end of the chunk where it does, not at its own end.
 *
 * Field strings are slices of the chunk text; a consumer that keeps some of them for
 * long (distinct values, top values) should copy them, or the chunks stay alive.
 */
export class CsvTokenizer extends CsvRows {
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
    super();
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
    return this.blankLinesFrom ?? this.rowLine;
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
    if (this.inQuotes) throw unclosedQuote(this.quoteLine);
    if (this.fields.length > 0 || this.partial.length > 0 || this.sawQuote) {
      this.endField('', 0, 0);
      this.endRow();
    }
    // Empty lines at the end of the file are not rows: the rows end where they start.
    this.rowLine = this.dropBlankLines() ?? this.rowLine;
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
    this.completeRow(fields, line);
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
    throw mixedLineEndings(line, ending, this.lineEndingLine, this.lineEnding);
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
    const field = { field: this.fields.length + 1, row: this.nextRowNumber, line };
    throw fieldTooLong(field, this.limits.maxFieldLength, this.sawQuote);
  }

  private tooManyColumns(): never {
    throw tooManyColumns(this.nextRowNumber, this.rowLine, this.limits.maxColumns);
  }

  private lineTooLong(): never {
    throw lineTooLong(this.line, this.limits.maxLineLength);
  }
}
